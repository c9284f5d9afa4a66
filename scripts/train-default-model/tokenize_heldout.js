// Tokenize the held-out documents and the bundled held-out sample with the committed tokenizer, for evaluate.py.
// Usage: node tokenize_heldout.js <workDir> <modelDir> <samplesDir>
'use strict';
const fs = require('fs');
const path = require('path');
const tk = require('tokenizers');

const root = path.join(__dirname, '../..');
const [workDir = '/tmp/attention-lens-train', modelDir = path.join(root, 'media/model'), samplesDir = path.join(root, 'media/samples')] = process.argv.slice(2);

async function main() {
  const tokenizer = tk.Tokenizer.fromFile(path.join(modelDir, 'tokenizer.json'));
  const result = {};
  for (const part of ['code', 'prose']) {
    const docs = JSON.parse(fs.readFileSync(path.join(workDir, 'heldout', `${part}.json`), 'utf8'));
    const encodings = await tokenizer.encodeBatch(docs.map((d) => d.text), { addSpecialTokens: false });
    result[part] = encodings.map((e, i) => ({ path: docs[i].path, ids: e.getIds(), tokens: e.getTokens() }));
  }
  // The sample the unit tests analyse through the engine: same [CLS] … [SEP] sequence the engine builds.
  const sample = await tokenizer.encode(fs.readFileSync(path.join(samplesDir, 'heldout-sample.py'), 'utf8'));
  const sampleInfo = { ids: sample.getIds(), tokens: sample.getTokens(), special: sample.getSpecialTokensMask() };
  fs.writeFileSync(path.join(workDir, 'heldout-tokens.json'), JSON.stringify({ ...result, sample: sampleInfo }));
  const unknown = Object.values(result).flat().reduce((n, d) => n + d.tokens.filter((t) => t === '[UNK]').length, 0);
  const total = Object.values(result).flat().reduce((n, d) => n + d.ids.length, 0);
  console.log(`held-out tokens ${total} ([UNK] ${(100 * unknown / total).toFixed(2)}%), sample ${sampleInfo.ids.length} tokens`);
}

main().catch((err) => { console.error(err); process.exit(1); });
