// Every layer×head of an analysis mean-pooled to a small square, in the wire layout of `thumbnails`. Pure.
import type { ThumbnailsMessage } from '../../shared/messages';
import type { AttentionResult } from '../engine/types';

export function thumbnailsOf(analysisId: string, result: AttentionResult): ThumbnailsMessage {
  const n = result.tokens.length;
  const { heads } = result.model;
  const layers = result.attention.length;
  const size = thumbnailSize(n);
  const data = new Float32Array(layers * heads * size * size);
  for (let l = 0; l < layers; l++) {
    for (let h = 0; h < heads; h++) {
      const offset = (l * heads + h) * size * size;
      downsampleMatrix(result.attention[l].subarray(h * n * n, (h + 1) * n * n), n, size, data.subarray(offset, offset + size * size));
    }
  }
  return { type: 'thumbnails', analysisId, layers, heads, size, data };
}

/** Side of the square thumbnails in the overview (N is mean-pooled down to at most this). */
export const THUMBNAIL_MAX_SIZE = 32;

/** Side of the thumbnail for an N×N matrix: N itself when small, else THUMBNAIL_MAX_SIZE. */
export function thumbnailSize(n: number): number {
  return Math.max(1, Math.min(n, THUMBNAIL_MAX_SIZE));
}

/**
 * Mean-pools (or max-pools) an N×N row-major matrix to size×size (the wire format of `thumbnails`). Cell (r, c)
 * pools the source block rows [⌊r·N/size⌋, ⌊(r+1)·N/size⌋) × the same for columns, so every source cell counts once.
 */
export function downsampleMatrix(matrix: Float32Array, n: number, size = thumbnailSize(n), out = new Float32Array(size * size), pool: 'mean' | 'max' = 'mean'): Float32Array {
  for (let r = 0; r < size; r++) {
    const r0 = Math.floor((r * n) / size);
    const r1 = Math.max(r0 + 1, Math.floor(((r + 1) * n) / size));
    for (let c = 0; c < size; c++) {
      const c0 = Math.floor((c * n) / size);
      const c1 = Math.max(c0 + 1, Math.floor(((c + 1) * n) / size));
      let acc = 0;
      for (let q = r0; q < r1; q++) {
        for (let k = c0; k < c1; k++) acc = pool === 'max' ? Math.max(acc, matrix[q * n + k]) : acc + matrix[q * n + k];
      }
      out[r * size + c] = pool === 'max' ? acc : acc / ((r1 - r0) * (c1 - c0));
    }
  }
  return out;
}
