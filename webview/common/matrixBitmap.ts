// Turns one attention matrix into RGBA pixels (one pixel per visible cell), so a 512×512 head is a single
// drawImage instead of 262,144 chart elements. Pure: no DOM, unit-tested in Node.
import { LUT_LEVELS } from './colorRamp';

/** Largest weight among the visible cells (rows × cols of the N×N row-major matrix); 0 when empty. */
export function visibleMax(matrix: Float32Array, n: number, rows: readonly number[], cols: readonly number[]): number {
  let max = 0;
  for (const q of rows) {
    const base = q * n;
    for (const k of cols) {
      const v = matrix[base + k];
      if (v > max) max = v;
    }
  }
  return max;
}

/**
 * Writes pixel (r, c) = colour of matrix[rows[r]][cols[c]] / max into `out` (packed RGBA, row-major, length
 * rows·cols) and returns it. Weights ≤ 0 or NaN take the LUT's first colour, weights ≥ max its last.
 */
export function renderMatrixPixels(
  matrix: Float32Array,
  n: number,
  rows: readonly number[],
  cols: readonly number[],
  max: number,
  lut: Uint32Array,
  out: Uint32Array = new Uint32Array(rows.length * cols.length),
): Uint32Array {
  const scale = max > 0 ? (LUT_LEVELS - 1) / max : 0;
  const top = LUT_LEVELS - 1;
  const width = cols.length;
  const allCols = width === n && cols[0] === 0 && cols[n - 1] === n - 1;
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * n;
    const o = r * width;
    if (allCols) {
      // Fast path (no hidden tokens): contiguous reads.
      for (let c = 0; c < width; c++) {
        const i = matrix[base + c] * scale + 0.5;
        out[o + c] = lut[i >= top ? top : i > 0 ? i | 0 : 0];
      }
    } else {
      for (let c = 0; c < width; c++) {
        const i = matrix[base + cols[c]] * scale + 0.5;
        out[o + c] = lut[i >= top ? top : i > 0 ? i | 0 : 0];
      }
    }
  }
  return out;
}
