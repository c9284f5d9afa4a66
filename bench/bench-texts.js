// Texts that tokenize to exactly N tokens ([CLS] and [SEP] included), one different text per run so no result
// cache can answer a repeated request.
'use strict';
const tk = require('tokenizers');

/** Small deterministic PRNG (mulberry32) so every bench run uses the same texts. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whole-word pieces (letters only, no `##`): each one is exactly one token on its own. */
function singleTokenWords(tokenizer) {
  return Object.keys(tokenizer.getVocab(false))
    .filter((w) => /^[a-z]{3,12}$/.test(w))
    .sort();
}

/** `count` texts of exactly `tokens` tokens each, with their ids; throws if the tokenizer disagrees. */
async function textsWithTokenCount(tokenizerFile, tokens, count, seed) {
  const tokenizer = tk.Tokenizer.fromFile(tokenizerFile);
  const words = singleTokenWords(tokenizer);
  const random = prng(seed + tokens);
  const out = [];
  for (let i = 0; i < count; i++) {
    const picked = Array.from({ length: tokens - 2 }, () => words[Math.floor(random() * words.length)]);
    // Space-separated whole-word pieces: one token per word, so the count is exact (checked below).
    const text = picked.join(' ');
    const encoding = await tokenizer.encode(text);
    const ids = encoding.getIds();
    if (ids.length !== tokens) throw new Error(`bench text tokenized to ${ids.length} tokens, expected ${tokens}`);
    out.push({ text, ids });
  }
  return out;
}

module.exports = { textsWithTokenCount };
