// Train the bundled model's WordPiece tokenizer on the corpus, prune it to VOCAB_SIZE ids, write the Hugging Face
// tokenizer files into media/model, and tokenize the corpus into the binary id stream train.py reads.
// Note: the library's WordPiece trainer numbers "##" pieces in hash-map order, so a rerun gives an equivalent but
// differently numbered vocabulary; the committed tokenizer.json is the one the bundled weights were trained with.
// Usage: node train_tokenizer.js <workDir> <modelDir>
'use strict';
const fs = require('fs');
const path = require('path');
const tk = require('tokenizers');

const VOCAB_SIZE = 8000;
const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const [workDir = '/tmp/attention-lens-train', modelDir = path.join(__dirname, '../../media/model')] = process.argv.slice(2);

// Keep case and accents (code is case-sensitive); cleanText drops control characters that would bloat the alphabet.
function configure(tokenizer) {
  tokenizer.setNormalizer(tk.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: false }));
  // Splits on whitespace and isolates every punctuation character, so each bracket is its own token.
  tokenizer.setPreTokenizer(tk.bertPreTokenizer());
}

// Characters worth a vocabulary slot: printable ASCII, Latin letters with accents, common typographic punctuation.
function keepCharacter(ch) {
  const c = ch.codePointAt(0);
  return (c >= 0x21 && c <= 0x7e) || (c >= 0xa1 && c <= 0x24f) || (c >= 0x2010 && c <= 0x2027) || c === 0x2192;
}

function prunedVocab(trainedVocab) {
  const byId = Object.keys(trainedVocab).sort((a, b) => trainedVocab[a] - trainedVocab[b]);
  const vocab = {};
  SPECIALS.forEach((t, i) => { vocab[t] = i; });
  let next = SPECIALS.length;
  for (const token of byId) {
    if (next >= VOCAB_SIZE) break;
    const body = token.startsWith('##') ? token.slice(2) : token;
    // Alphabet entries come first in id order; drop rare scripts and symbols so merges get the room.
    if ([...body].length === 1 && !keepCharacter(body)) continue;
    if (token in vocab) continue;
    vocab[token] = next++;
  }
  return vocab;
}

function buildTokenizer(files) {
  const trainer = new tk.Tokenizer(tk.WordPiece.empty());
  configure(trainer);
  trainer.train(files);
  const trained = JSON.parse(saveToString(trainer));
  const vocab = prunedVocab(trained.model.vocab);
  const json = { ...trained, added_tokens: [], model: { ...trained.model, unk_token: '[UNK]', vocab } };
  const tokenizer = tk.Tokenizer.fromString(JSON.stringify(json));
  tokenizer.addSpecialTokens(SPECIALS);
  tokenizer.setPostProcessor(tk.bertProcessing(['[SEP]', vocab['[SEP]']], ['[CLS]', vocab['[CLS]']]));
  tokenizer.setDecoder(tk.wordPieceDecoder('##', true));
  return tokenizer;
}

function saveToString(tokenizer) {
  const tmp = path.join(workDir, 'tokenizer-trained.json');
  tokenizer.save(tmp);
  return fs.readFileSync(tmp, 'utf8');
}

function writeHuggingFaceFiles(tokenizer) {
  fs.mkdirSync(modelDir, { recursive: true });
  tokenizer.save(path.join(modelDir, 'tokenizer.json'), true);
  const map = { unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' };
  fs.writeFileSync(path.join(modelDir, 'special_tokens_map.json'), JSON.stringify(map, null, 2) + '\n');
  const config = {
    tokenizer_class: 'BertTokenizerFast', do_lower_case: false, strip_accents: false, tokenize_chinese_chars: true,
    clean_up_tokenization_spaces: true, model_max_length: 512, ...map,
  };
  fs.writeFileSync(path.join(modelDir, 'tokenizer_config.json'), JSON.stringify(config, null, 2) + '\n');
}

// All training documents as one uint16 stream, documents separated by [SEP] so windows see boundaries.
async function writeIdStream(tokenizer, files) {
  const sep = tokenizer.tokenToId('[SEP]');
  const chunks = [];
  let total = 0;
  for (let i = 0; i < files.length; i += 64) {
    const texts = files.slice(i, i + 64).map((f) => fs.readFileSync(f, 'utf8'));
    const encodings = await tokenizer.encodeBatch(texts, { addSpecialTokens: false });
    for (const e of encodings) {
      const ids = Uint16Array.from([...e.getIds(), sep]);
      chunks.push(ids);
      total += ids.length;
    }
  }
  const out = Buffer.concat(chunks.map((c) => Buffer.from(c.buffer)));
  fs.writeFileSync(path.join(workDir, 'train.bin'), out);
  return total;
}

async function main() {
  const trainDir = path.join(workDir, 'train');
  const files = fs.readdirSync(trainDir).sort().map((f) => path.join(trainDir, f));
  const tokenizer = buildTokenizer(files);
  writeHuggingFaceFiles(tokenizer);
  const reloaded = tk.Tokenizer.fromFile(path.join(modelDir, 'tokenizer.json'));
  const total = await writeIdStream(reloaded, files);
  const probe = await reloaded.encode('def f(x): return g([x, {1: 2}])');
  console.log(`vocab ${reloaded.getVocabSize(true)}, training tokens ${total}`);
  console.log(probe.getTokens().join(' '));
}

main().catch((err) => { console.error(err); process.exit(1); });
