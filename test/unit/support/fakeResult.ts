// Builds AttentionResults with random, row-normalised attention for host tests (deterministic per seed).
import type { AttentionResult, Token } from '../../../src/engine/types';

function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** `text` split on single spaces into word tokens, wrapped in [CLS] … [SEP]. */
export function wordTokens(text: string): Token[] {
  const tokens: Token[] = [{ id: 101, text: '[CLS]', start: 0, end: 0, special: true }];
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    tokens.push({ id: tokens.length, text: m[0], start: m.index, end: m.index + m[0].length, special: false });
  }
  tokens.push({ id: 102, text: '[SEP]', start: text.length, end: text.length, special: true });
  return tokens;
}

export function fakeResult(text: string, layers: number, heads: number, seed = 7, tokens = wordTokens(text)): AttentionResult {
  const n = tokens.length;
  const rand = seeded(seed);
  const attention = Array.from({ length: layers }, () => {
    const a = new Float32Array(heads * n * n);
    for (let r = 0; r < heads * n; r++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += a[r * n + k] = rand() ** 3;
      for (let k = 0; k < n; k++) a[r * n + k] /= sum;
    }
    return a;
  });
  return {
    model: { name: 'fake', folder: '/fake', onnxFile: '/fake/onnx/model.onnx', modelType: 'bert', layers, heads, causal: false, maxTokens: 512, vocabSize: 1000 },
    text,
    tokens,
    attention,
    truncated: false,
    coveredRange: { start: 0, end: text.length },
    timings: { tokenizeMs: 0, runMs: 0, totalMs: 0 },
  };
}
