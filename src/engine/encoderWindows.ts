// Encoders (BERT family) have a fixed number of positions, typically 512. A longer text is analysed in overlapping
// windows, each a separate run with the model's own special tokens around it; the results are stitched into one token
// list. Attention never crosses a window: a token's row comes from the window where it sits most centrally, and is
// zero for every key outside that window.
import { overviewGeometry } from './pooledOverview';
import type { Token } from './types';

/** Content tokens [start, end) of the stitched list (indices into `tokens`, after the leading specials). */
export interface TokenWindow {
  start: number;
  end: number;
}

export const WINDOW_NOTE = 'Attention never crosses a window: each token attends only within the window it was analysed in.';

/** The stitched tokens: leading specials, all content tokens, trailing specials (as one run would have them). */
export interface StitchedTokens {
  tokens: Token[];
  leading: number;
  trailing: number;
}

export function splitSpecials(tokens: Token[]): StitchedTokens {
  let leading = 0;
  while (leading < tokens.length && tokens[leading].special) leading++;
  let trailing = 0;
  while (trailing < tokens.length - leading && tokens[tokens.length - 1 - trailing].special) trailing++;
  return { tokens, leading, trailing };
}

/** Windows of `size` content tokens overlapping by `overlap`, covering [leading, leading + count). */
export function planWindows(leading: number, count: number, size: number, overlap: number): TokenWindow[] {
  if (size < 1) throw new RangeError('a window must hold at least one token');
  const stride = Math.max(1, size - Math.min(overlap, size - 1));
  const windows: TokenWindow[] = [];
  for (let start = 0; ; start += stride) {
    const s = Math.min(start, Math.max(0, count - size));
    windows.push({ start: leading + s, end: leading + Math.min(count, s + size) });
    if (s + size >= count) break;
  }
  return windows;
}

/** The window in which content token `i` is furthest from an edge (the first for leading, last for trailing specials). */
export function ownerWindow(windows: TokenWindow[], i: number): number {
  let best = 0;
  let bestMargin = -Infinity;
  windows.forEach((w, j) => {
    if (i < w.start || i >= w.end) return;
    const margin = Math.min(i - w.start, w.end - 1 - i);
    if (margin > bestMargin) [best, bestMargin] = [j, margin];
  });
  if (bestMargin === -Infinity) return i < windows[0].start ? 0 : windows.length - 1;
  return best;
}

/** Stitched index of each position of window `w`'s run: leading specials, its content, trailing specials. */
export function windowPositions(s: StitchedTokens, w: TokenWindow): Int32Array {
  const n = s.tokens.length;
  const positions = new Int32Array(s.leading + (w.end - w.start) + s.trailing);
  let p = 0;
  for (let i = 0; i < s.leading; i++) positions[p++] = i;
  for (let i = w.start; i < w.end; i++) positions[p++] = i;
  for (let i = n - s.trailing; i < n; i++) positions[p++] = i;
  return positions;
}

/** A window's row (over its own positions) spread over the whole stitched text, zeros outside the window. */
export function stitchRow(local: Float32Array, positions: Int32Array, n: number): Float32Array {
  const row = new Float32Array(n);
  for (let j = 0; j < positions.length; j++) row[positions[j]] = local[j];
  return row;
}

/**
 * One overview for the stitched text from each window's own overview ([head][cell][cell] with that window's tile):
 * every row a window owns is spread onto the stitched grid by max, so the overview never shows attention across
 * windows either.
 */
export function stitchOverview(
  n: number,
  heads: number,
  windows: { positions: Int32Array; owns: (position: number) => boolean; overview: Float32Array }[],
): Float32Array {
  const { tile, cells } = overviewGeometry(n);
  const out = new Float32Array(heads * cells * cells);
  for (const w of windows) {
    const m = w.positions.length;
    const local = overviewGeometry(m);
    for (let h = 0; h < heads; h++) {
      for (let q = 0; q < m; q++) {
        if (!w.owns(q)) continue;
        const src = (h * local.cells + Math.floor(q / local.tile)) * local.cells;
        const dst = (h * cells + Math.floor(w.positions[q] / tile)) * cells;
        for (let k = 0; k < m; k++) {
          const v = w.overview[src + Math.floor(k / local.tile)];
          const c = dst + Math.floor(w.positions[k] / tile);
          if (v > out[c]) out[c] = v;
        }
      }
    }
  }
  return out;
}
