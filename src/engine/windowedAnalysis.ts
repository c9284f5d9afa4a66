// A text longer than the model's limit, analysed window by window (encoderWindows.ts) and stitched into one
// LongAttention: rows from each token's owner window, one stitched overview, the windows and their note.
import { performance } from 'perf_hooks';
import { ownerWindow, planWindows, splitSpecials, stitchOverview, stitchRow, TokenWindow, WINDOW_NOTE, windowPositions } from './encoderWindows';
import { allRows, AttentionOverview, bytesOf, checkRowIndex, LongAttention, tileFromRows } from './longAttention';
import { overviewGeometry, poolHead } from './pooledOverview';
import type { TokenizedText } from './tokenize';
import type { ModelInfo } from './types';

/** What one run gives: each layer's exact rows (replayed or kept) and the pooled overview. */
export interface WindowRun {
  layers: { row(head: number, query: number): Float32Array }[];
  overview: AttentionOverview;
  /** Bytes this run keeps for its rows and overview. */
  bytes: number;
}

/** A WindowRun from every layer's full attention (the full path): rows sliced, overview pooled in JS. */
export function windowRunFromAttention(attention: Float32Array[], heads: number, n: number): WindowRun {
  const { tile, cells } = overviewGeometry(Math.max(n, 1));
  const overview = attention.map((layer) => {
    const out = new Float32Array(heads * cells * cells);
    for (let h = 0; h < heads; h++) poolHead(layer, h * n * n, n, out, h * cells * cells);
    return out;
  });
  return {
    layers: attention.map((layer) => ({ row: (head: number, query: number) => layer.slice((head * n + query) * n, (head * n + query + 1) * n) })),
    overview: { tile, cells, layers: overview },
    bytes: bytesOf(attention) + bytesOf(overview),
  };
}

/** `whole` is the full tokenization (more than `limit` tokens); `run` analyses one window's ids. */
export async function analyzeInWindows(
  info: ModelInfo,
  whole: TokenizedText,
  limit: number,
  run: (ids: number[]) => Promise<WindowRun>,
  context: { text: string; t0: number; method: LongAttention['method']; fallbackReason?: string },
): Promise<LongAttention> {
  const t1 = performance.now();
  const stitched = splitSpecials(whole.tokens);
  const n = whole.ids.length;
  const count = n - stitched.leading - stitched.trailing;
  const size = limit - stitched.leading - stitched.trailing;
  if (size < 2) throw new RangeError(`a window of ${limit} tokens leaves no room for text beside the special tokens`);
  const windows: TokenWindow[] = planWindows(stitched.leading, count, size, Math.floor(size / 2));
  const positions = windows.map((w) => windowPositions(stitched, w));
  const runs: WindowRun[] = [];
  for (const p of positions) runs.push(await run(Array.from(p, (i) => whole.ids[i])));
  const owner = (i: number) => ownerWindow(windows, i);
  const localIndex = (w: number, i: number) => positions[w].indexOf(i);
  const { tile, cells } = overviewGeometry(n);
  const layers = runs[0].layers.map((_, l) =>
    stitchOverview(n, info.heads, runs.map((r, w) => ({ positions: positions[w], owns: (q: number) => owner(positions[w][q]) === w, overview: r.overview.layers[l] }))),
  );
  const t2 = performance.now();
  const result: LongAttention = {
    model: info,
    text: context.text,
    tokens: whole.tokens,
    truncated: false,
    coveredRange: whole.coveredRange,
    timings: { tokenizeMs: t1 - context.t0, runMs: t2 - t1, totalMs: t2 - context.t0 },
    method: context.method,
    ...(context.fallbackReason ? { fallbackReason: context.fallbackReason } : {}),
    overview: { tile, cells, layers },
    windows,
    windowNote: WINDOW_NOTE,
    heldBytes: runs.reduce((total, r) => total + r.bytes, 0) + bytesOf(layers),
    row: (layer, head, query) => {
      checkRowIndex(result, layer, head, query);
      const w = owner(query);
      return stitchRow(runs[w].layers[layer].row(head, localIndex(w, query)), positions[w], n);
    },
    queryRows: (query) => allRows(result, query),
    tile: (layer, head, queries, keys) => tileFromRows(result, layer, head, queries, keys),
  };
  return result;
}
