// Side-panel thumbnails of a long analysis: each head's max-pooled overview (≤ 256² cells, computed in onnxruntime)
// pooled again to at most THUMBNAIL_MAX_SIZE², by max so a sharp head stays visible. Pure.
import type { ThumbnailsMessage } from '../../shared/messages';
import type { AttentionOverview } from '../engine/longAttention';
import { THUMBNAIL_MAX_SIZE } from './thumbnails';

export function thumbnailsOfOverview(analysisId: string, overview: AttentionOverview, heads: number): ThumbnailsMessage {
  const { cells } = overview;
  const layers = overview.layers.length;
  const size = Math.max(1, Math.min(cells, THUMBNAIL_MAX_SIZE));
  const data = new Float32Array(layers * heads * size * size);
  for (let l = 0; l < layers; l++) {
    for (let h = 0; h < heads; h++) {
      const source = overview.layers[l].subarray(h * cells * cells, (h + 1) * cells * cells);
      maxPool(source, cells, size, data.subarray((l * heads + h) * size * size, (l * heads + h + 1) * size * size));
    }
  }
  return { type: 'thumbnails', analysisId, layers, heads, size, data };
}

/** Cell (r, c) is the largest source cell of rows [⌊r·N/size⌋, ⌊(r+1)·N/size⌋) × the same for columns. */
function maxPool(matrix: Float32Array, n: number, size: number, out: Float32Array): void {
  for (let r = 0; r < size; r++) {
    const r0 = Math.floor((r * n) / size);
    const r1 = Math.max(r0 + 1, Math.floor(((r + 1) * n) / size));
    for (let c = 0; c < size; c++) {
      const c0 = Math.floor((c * n) / size);
      const c1 = Math.max(c0 + 1, Math.floor(((c + 1) * n) / size));
      let best = 0;
      for (let q = r0; q < r1; q++) for (let k = c0; k < c1; k++) best = Math.max(best, matrix[q * n + k]);
      out[r * size + c] = best;
    }
  }
}
