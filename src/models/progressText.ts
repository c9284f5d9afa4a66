// Notification text for a Hub download ("onnx/model.onnx (2/3): 45.0 MB / 90.0 MB (50%) · 4.50 MB/s"). Pure.
import type { HubProgress } from './hub/hubProgress';
import { formatBytes } from '../cli/progressBar';

export function describeDownload(p: HubProgress): string {
  const of = p.fileCount > 1 ? ` (${p.fileIndex}/${p.fileCount})` : '';
  const size = p.total ? `${formatBytes(p.bytes)} / ${formatBytes(p.total)}` : formatBytes(p.bytes);
  const percent = p.total ? ` (${Math.floor((100 * p.bytes) / p.total)}%)` : '';
  const speed = p.bytesPerSecond > 0 ? ` · ${formatBytes(p.bytesPerSecond)}/s` : '';
  return `${p.file}${of}: ${size}${percent}${speed}`;
}
