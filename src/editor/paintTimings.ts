// Rolling paint-time statistics, so the hover → tint latency is visible in the log at the default (info) level.
// Pure: no `vscode`.

const WINDOW = 50;

export class PaintTimings {
  private samples: number[] = [];

  /** Records one paint; every WINDOW paints returns a summary line to log (else undefined). */
  record(ms: number, tokens: number): string | undefined {
    this.samples.push(ms);
    if (this.samples.length < WINDOW) return undefined;
    const sorted = [...this.samples].sort((a, b) => a - b);
    this.samples = [];
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(2);
    return `editor tint paints (last ${WINDOW}, N=${tokens}): median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`;
  }
}
