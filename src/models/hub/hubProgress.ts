// Turns raw byte counts into throttled progress events with a smoothed speed.

export interface HubProgress {
  /** Repo path of the file being downloaded, e.g. onnx/model.onnx. */
  file: string;
  bytes: number;
  total?: number;
  bytesPerSecond: number;
  /** 1-based position of this file among the files this call downloads. */
  fileIndex: number;
  fileCount: number;
}

/** Speed over the last few seconds; events at most every `intervalMs`, plus the final one of each file. */
export class ProgressMeter {
  private samples: { t: number; bytes: number }[] = [];
  private lastEmit = 0;

  constructor(
    private readonly emit: (p: HubProgress) => void,
    private readonly file: string,
    private readonly fileIndex: number,
    private readonly fileCount: number,
    private readonly intervalMs = 100,
    private readonly windowMs = 3000,
    private readonly now: () => number = Date.now,
  ) {}

  update(bytes: number, total?: number): void {
    const t = this.now();
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift();
    const finished = total !== undefined && bytes >= total;
    if (!finished && t - this.lastEmit < this.intervalMs) return;
    this.lastEmit = t;
    this.emit({ file: this.file, bytes, total, bytesPerSecond: this.speed(), fileIndex: this.fileIndex, fileCount: this.fileCount });
  }

  private speed(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.t - first.t) / 1000;
    return seconds > 0 ? Math.max(0, (last.bytes - first.bytes) / seconds) : 0;
  }
}
