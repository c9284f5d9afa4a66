// Attention weights → a fixed number of tint buckets → document ranges per bucket. Pure: no `vscode`, so the
// hover-to-paint path can be tested and timed without an editor.
import type { ColorScale } from '../../shared/messages';
import type { OffsetRange } from '../analysis/trackedRange';

/** Number of tint levels (one decoration type each, created once). */
export const TINT_BUCKETS = 8;

/** Maps a weight already divided by the row's maximum (0…1) to colour intensity 0…1. */
export function scaleWeight(relative: number, scale: ColorScale): number {
  if (!(relative > 0)) return 0;
  const x = Math.min(1, relative);
  switch (scale) {
    case 'linear':
      return x;
    case 'sqrt':
      return Math.sqrt(x);
    case 'log':
      // Three decades: 1/1000 of the strongest weight and less is blank, the strongest is full.
      return Math.max(0, 1 + Math.log10(x) / 3);
  }
}

/** Bucket of an intensity: -1 (no tint) below half a step, else 0…buckets-1. */
export function bucketOf(intensity: number, buckets = TINT_BUCKETS): number {
  const level = Math.round(intensity * buckets);
  return level <= 0 ? -1 : Math.min(buckets, level) - 1;
}

export interface PaintPlan {
  /** The hovered (query) token's range, outlined; undefined when it has no text (special token). */
  outline: OffsetRange | undefined;
  /** Ranges per tint bucket, weakest first. */
  buckets: OffsetRange[][];
  /** Tokens that got a tint. */
  painted: number;
}

/**
 * What to paint for one query: each key token with text is tinted by the weight it receives, relative to the strongest
 * key that can be painted (special tokens have no text, so they would otherwise wash everything out).
 */
export function planPaint(
  row: ArrayLike<number>,
  ranges: readonly (OffsetRange | undefined)[],
  query: number,
  scale: ColorScale,
  buckets = TINT_BUCKETS,
): PaintPlan {
  const plan: PaintPlan = { outline: ranges[query], buckets: Array.from({ length: buckets }, () => []), painted: 0 };
  let max = 0;
  for (let k = 0; k < ranges.length; k++) if (ranges[k] && row[k] > max) max = row[k];
  if (max <= 0) return plan;
  for (let k = 0; k < ranges.length; k++) {
    const range = ranges[k];
    if (!range) continue;
    const b = bucketOf(scaleWeight(row[k] / max, scale), buckets);
    if (b < 0) continue;
    plan.buckets[b].push(range);
    plan.painted++;
  }
  return plan;
}
