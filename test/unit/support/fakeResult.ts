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

/** `layers` arrays of `heads` row-normalised rows×cols matrices. */
function randomAttention(rand: () => number, layers: number, heads: number, rows: number, cols: number, causal = false): Float32Array[] {
  return Array.from({ length: layers }, () => {
    const a = new Float32Array(heads * rows * cols);
    for (let r = 0; r < heads * rows; r++) {
      const last = causal ? r % rows : cols - 1;
      let sum = 0;
      for (let k = 0; k <= last; k++) sum += a[r * cols + k] = rand() ** 3;
      for (let k = 0; k <= last; k++) a[r * cols + k] /= sum;
    }
    return a;
  });
}

/**
 * `result` as an encoder–decoder analysis of `target`: decoder input = a start token and the target's words,
 * causal decoder self-attention and cross-attention over the result's tokens, `decoderLayers` layers.
 */
export function withTarget(result: AttentionResult, target: string, decoderLayers: number, generated = false, seed = 11): AttentionResult {
  const heads = result.model.heads;
  const words = wordTokens(target).slice(1, -1);
  const tokens: Token[] = [{ id: 2, text: '</s>', start: 0, end: 0, special: true }, ...words];
  const rand = seeded(seed);
  const t = tokens.length;
  return {
    ...result,
    model: {
      ...result.model,
      decoder: { onnxFile: '/fake/onnx/decoder_model.onnx', layers: decoderLayers, heads, crossHeads: heads, maxTokens: 64, startTokenId: 2, shift: 'start-token' },
    },
    target: {
      text: target,
      tokens,
      attention: randomAttention(rand, decoderLayers, heads, t, t, true),
      crossAttention: randomAttention(rand, decoderLayers, heads, t, result.tokens.length),
      generated,
    },
  };
}

export function fakeResult(text: string, layers: number, heads: number, seed = 7, tokens = wordTokens(text)): AttentionResult {
  const n = tokens.length;
  const attention = randomAttention(seeded(seed), layers, heads, n, n);
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
