// Side-panel thumbnails of a long analysis: each head's max-pooled overview (≤ 256² cells, computed in onnxruntime)
// pooled again to at most THUMBNAIL_MAX_SIZE², by max so a sharp head stays visible. Pure.
import type { ThumbnailsMessage } from '../../shared/messages';
import type { AttentionOverview } from '../engine/longAttention';
import { downsampleMatrix, THUMBNAIL_MAX_SIZE } from './thumbnails';

export function thumbnailsOfOverview(analysisId: string, overview: AttentionOverview, heads: number): ThumbnailsMessage {
  const { cells } = overview;
  const layers = overview.layers.length;
  const size = Math.max(1, Math.min(cells, THUMBNAIL_MAX_SIZE));
  const data = new Float32Array(layers * heads * size * size);
  for (let l = 0; l < layers; l++) {
    for (let h = 0; h < heads; h++) {
      const source = overview.layers[l].subarray(h * cells * cells, (h + 1) * cells * cells);
      downsampleMatrix(source, cells, size, data.subarray((l * heads + h) * size * size, (l * heads + h + 1) * size * size), 'max');
    }
  }
  return { type: 'thumbnails', analysisId, layers, heads, size, data };
}
