// Every layer×head of an analysis mean-pooled to a small square, in the wire layout of `thumbnails`. Pure.
import { downsampleMatrix, thumbnailSize, type ThumbnailsMessage } from '../protocol';
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
