// The shape of an analysis that scales to a model's whole context: an overview per head (max-pooled, ≤ 256×256
// cells) plus exact rows on demand, instead of every layer's N×N matrix. Two implementations: the replay of
// longAnalysis.ts, and a wrapper around a full AttentionResult for models whose graph cannot be replayed.
import { overviewGeometry, poolHead } from './pooledOverview';
import type { AttentionResult, ModelInfo, Timings, Token } from './types';

/** Max-pooled attention: layers[l] is [head][cellRow][cellColumn], each cell the largest weight of tile×tile tokens. */
export interface AttentionOverview {
  /** Tokens per cell side (1 up to 256 tokens: the overview is then the exact attention). */
  tile: number;
  /** Cells per side: ceil(N / tile). */
  cells: number;
  layers: Float32Array[];
}

export interface LongAttention {
  model: ModelInfo;
  text: string;
  tokens: Token[];
  truncated: boolean;
  coveredRange: { start: number; end: number };
  timings: Timings;
  /** 'replay': rows recomputed from queries and keys; 'full': every Softmax output was kept (see fallbackReason). */
  method: 'replay' | 'full';
  fallbackReason?: string;
  overview: AttentionOverview;
  /** Set when the text was analysed in overlapping windows: content-token ranges [start, end) of the stitched list. */
  windows?: { start: number; end: number }[];
  /** Said plainly wherever windows are shown: attention never crosses a window. */
  windowNote?: string;
  /** Bytes of the tensors this result keeps to answer rows (queries, keys, operands or kept matrices) and its overview. */
  heldBytes: number;
  /** The exact attention of token `query` over every key in one layer and head (zeros after it when causal). */
  row(layer: number, head: number, query: number): Float32Array;
  /** row() for every layer and head: [layer][head]. */
  queryRows(query: number): Float32Array[][];
  /** Exact cells of queries [q0, q1) × keys [k0, k1), row-major: the zoom into an overview cell. */
  tile(layer: number, head: number, queries: { start: number; end: number }, keys: { start: number; end: number }): Float32Array;
}

/** tile() from any row function: one exact row per query, cut to the keys. */
export function tileFromRows(r: Pick<LongAttention, 'row' | 'tokens'>, layer: number, head: number, queries: { start: number; end: number }, keys: { start: number; end: number }): Float32Array {
  const n = r.tokens.length;
  const ok = (x: { start: number; end: number }) => Number.isInteger(x.start) && Number.isInteger(x.end) && x.start >= 0 && x.start < x.end && x.end <= n;
  if (!ok(queries) || !ok(keys)) throw new RangeError(`tile ranges must lie within 0–${n} and be non-empty`);
  const width = keys.end - keys.start;
  const out = new Float32Array((queries.end - queries.start) * width);
  for (let q = queries.start; q < queries.end; q++) out.set(r.row(layer, head, q).subarray(keys.start, keys.end), (q - queries.start) * width);
  return out;
}

/** Throws a RangeError naming the bad index: callers pass indices from the UI or the command line. */
export function checkRowIndex(r: Pick<LongAttention, 'model' | 'tokens'>, layer: number, head: number, query: number): void {
  const check = (what: string, v: number, size: number) => {
    if (!Number.isInteger(v) || v < 0 || v >= size) throw new RangeError(`${what} ${v} is out of range (0–${size - 1})`);
  };
  check('layer', layer, r.model.layers);
  check('head', head, r.model.heads);
  check('token', query, r.tokens.length);
}

/** Rows of every layer and head for one query, from any row function. */
export function allRows(r: Pick<LongAttention, 'model' | 'row'>, query: number): Float32Array[][] {
  return Array.from({ length: r.model.layers }, (_, l) => Array.from({ length: r.model.heads }, (_, h) => r.row(l, h, query)));
}

/** A full result seen through the LongAttention interface (overview pooled in JS, rows sliced). */
/** Total bytes of typed arrays. */
export function bytesOf(arrays: ArrayLike<{ byteLength: number }>): number {
  let total = 0;
  for (let i = 0; i < arrays.length; i++) total += arrays[i].byteLength;
  return total;
}

export function fromFullResult(result: AttentionResult, fallbackReason: string): LongAttention {
  const n = result.tokens.length;
  const heads = result.model.heads;
  const { tile, cells } = overviewGeometry(Math.max(n, 1));
  const layers = result.attention.map((layer) => {
    const out = new Float32Array(heads * cells * cells);
    if (n > 0) for (let h = 0; h < heads; h++) poolHead(layer, h * n * n, n, out, h * cells * cells);
    return out;
  });
  const long: LongAttention = {
    model: result.model,
    text: result.text,
    tokens: result.tokens,
    truncated: result.truncated,
    coveredRange: result.coveredRange,
    timings: result.timings,
    method: 'full',
    fallbackReason,
    overview: { tile, cells, layers },
    heldBytes: bytesOf(result.attention) + bytesOf(layers),
    row: (layer, head, query) => {
      checkRowIndex(long, layer, head, query);
      const start = (head * n + query) * n;
      return result.attention[layer].slice(start, start + n);
    },
    queryRows: (query) => allRows(long, query),
    tile: (layer, head, queries, keys) => tileFromRows(long, layer, head, queries, keys),
  };
  return long;
}
