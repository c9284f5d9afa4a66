// A one-line download progress bar for the CLI: redrawn in place on a TTY, silent otherwise (logs and pipes stay clean).
import type { HubProgress } from '../models/hub/hubProgress';

export interface ProgressBar {
  onProgress: (p: HubProgress) => void;
  /** Clears the line; call once the download finished or failed. */
  done: () => void;
}

interface Output {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** "onnx/model.onnx (5/5) [#######.............]  35%  153.2 MB / 438.0 MB  12.1 MB/s" */
export function progressLine(p: HubProgress, columns = 100): string {
  const counter = p.fileCount > 1 ? ` (${p.fileIndex}/${p.fileCount})` : '';
  const speed = `${formatBytes(p.bytesPerSecond)}/s`;
  if (!p.total) return `${p.file}${counter}  ${formatBytes(p.bytes)}  ${speed}`.slice(0, columns - 1);
  const fraction = Math.min(1, p.bytes / p.total);
  const tail = `${String(Math.floor(fraction * 100)).padStart(3)}%  ${formatBytes(p.bytes)} / ${formatBytes(p.total)}  ${speed}`;
  const head = `${p.file}${counter}`;
  const width = Math.max(10, Math.min(30, columns - head.length - tail.length - 5));
  const filled = Math.round(fraction * width);
  return `${head} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${tail}`.slice(0, columns - 1);
}

/** A bar on `out` when it is a terminal; a no-op otherwise. */
export function createProgressBar(out: Output = process.stderr): ProgressBar {
  if (!out.isTTY) return { onProgress: () => undefined, done: () => undefined };
  let drawn = false;
  return {
    onProgress(p) {
      out.write(`\r\x1b[2K${progressLine(p, out.columns ?? 100)}`);
      drawn = true;
    },
    done() {
      if (drawn) out.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
