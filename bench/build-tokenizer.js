// Trains a BERT-style WordPiece tokenizer (lower-case, ≤ 30522 pieces) with the `tokenizers` binding and writes
// tokenizer.json, tokenizer_config.json and special_tokens_map.json into the bench model folder.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const tk = require('tokenizers');

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

// Any English-ish text present on a Debian machine will do: the model's weights are random anyway. The byte budget
// keeps training to seconds (the whole stdlib takes minutes on 2 cores).
const CORPUS_BYTES = 1_500_000;

function corpusFiles() {
  const dirs = ['/usr/share/common-licenses', '/usr/lib/python3.11', '/usr/lib/python3'];
  const files = [];
  let bytes = 0;
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      const stat = fs.statSync(file);
      if (!stat.isFile() || bytes + stat.size > CORPUS_BYTES) continue;
      files.push(file);
      bytes += stat.size;
    }
  }
  if (files.length === 0) throw new Error('no corpus files found to train the bench tokenizer on');
  return files;
}

function trainedVocabInIdOrder() {
  const t = new tk.Tokenizer(tk.WordPiece.empty());
  t.setNormalizer(tk.bertNormalizer({ lowercase: true }));
  t.setPreTokenizer(tk.bertPreTokenizer());
  t.train(corpusFiles());
  const tmp = path.join(os.tmpdir(), `al-bench-tok-${process.pid}.json`);
  t.save(tmp);
  const json = JSON.parse(fs.readFileSync(tmp, 'utf8'));
  fs.unlinkSync(tmp);
  return Object.entries(json.model.vocab).sort((a, b) => a[1] - b[1]).map(([token]) => token);
}

/** Writes the tokenizer files; returns the vocabulary size (always ≤ maxVocab). */
function buildBenchTokenizer(folder, maxVocab) {
  const vocab = {};
  for (const token of [...SPECIALS, ...trainedVocabInIdOrder()]) {
    if (Object.keys(vocab).length >= maxVocab) break;
    if (!(token in vocab)) vocab[token] = Object.keys(vocab).length;
  }
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((content) => ({
      id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', vocab['[SEP]']], cls: ['[CLS]', vocab['[CLS]']] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  fs.mkdirSync(folder, { recursive: true });
  // Round-trip through the library so the file is exactly what `tokenizers` reads and writes.
  tk.Tokenizer.fromString(JSON.stringify(json)).save(path.join(folder, 'tokenizer.json'), true);
  const special = { unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' };
  const config = { tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512, ...special };
  fs.writeFileSync(path.join(folder, 'tokenizer_config.json'), JSON.stringify(config, null, 2) + '\n');
  fs.writeFileSync(path.join(folder, 'special_tokens_map.json'), JSON.stringify(special, null, 2) + '\n');
  return tk.Tokenizer.fromFile(path.join(folder, 'tokenizer.json')).getVocabSize(true);
}

module.exports = { buildBenchTokenizer };
