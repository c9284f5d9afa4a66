// A signed difference matrix as RGBA pixels on a diverging ramp (negative → blue, 0 → background, positive → red),
// NaN (no counterpart) as a faint grey. Pure: unit-tested in Node.
import { packRgba, type Rgba } from './colorRamp';

const NEGATIVE: Rgba = [56, 128, 255, 1];
const POSITIVE: Rgba = [240, 70, 60, 1];
const MISSING = packRgba(128, 128, 128, 64);

/** Largest |after − before| over the visible cells where both are defined; 0 when none. */
export function maxAbsDifference(after: Float32Array, before: Float32Array, n: number, rows: readonly number[]): number {
  let max = 0;
  for (const q of rows) for (const k of rows) {
    const d = Math.abs(after[q * n + k] - before[q * n + k]);
    if (d > max) max = d;
  }
  return max;
}

/** Pixel (r, c) = colour of after[rows[r]][rows[c]] − before[…], scaled by `max`, on `background`. */
export function differencePixels(after: Float32Array, before: Float32Array, n: number, rows: readonly number[], max: number, background: Rgba): Uint32Array {
  const out = new Uint32Array(rows.length * rows.length);
  const mix = (t: number, to: Rgba) => packRgba(
    Math.round(background[0] + (to[0] - background[0]) * t),
    Math.round(background[1] + (to[1] - background[1]) * t),
    Math.round(background[2] + (to[2] - background[2]) * t),
    255,
  );
  rows.forEach((q, r) => rows.forEach((k, c) => {
    const d = after[q * n + k] - before[q * n + k];
    out[r * rows.length + c] = Number.isNaN(d) ? MISSING : mix(max > 0 ? Math.min(1, Math.abs(d) / max) : 0, d < 0 ? NEGATIVE : POSITIVE);
  }));
  return out;
}
