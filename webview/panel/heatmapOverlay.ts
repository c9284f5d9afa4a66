// Marks drawn over the chart on a second canvas (hovered row, pinned row, keyboard focus cell), so hovering
// repaints a transparent layer instead of the whole chart.
import { cellRect, type Area, type Cell } from './cellGeometry';

export interface OverlayMarks {
  /** Visible-row index of the hovered / host-focused query. */
  activeRow: number | null;
  pinnedRow: number | null;
  /** Keyboard focus cell, drawn only while the heatmap has focus. */
  focusCell: Cell | null;
}

export class HeatmapOverlay {
  private readonly ctx: CanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d')!;
  }

  /** Matches the chart canvas's CSS size (and device pixel ratio). */
  resize(width: number, height: number): void {
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  draw(area: Area, rows: number, cols: number, marks: OverlayMarks, outline: string): void {
    const ctx = this.ctx;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (rows === 0 || cols === 0) return;
    ctx.strokeStyle = outline;
    const rowBand = (row: number, dash: number[]) => {
      const r = cellRect({ row, col: 0 }, area, rows, cols);
      ctx.setLineDash(dash);
      ctx.lineWidth = 1.5;
      ctx.strokeRect(area.left - 0.5, r.top - 0.5, area.width + 1, Math.max(1, r.height) + 1);
    };
    if (marks.pinnedRow !== null) rowBand(marks.pinnedRow, []);
    if (marks.activeRow !== null && marks.activeRow !== marks.pinnedRow) rowBand(marks.activeRow, [4, 3]);
    if (marks.focusCell) {
      const r = cellRect(marks.focusCell, area, rows, cols);
      ctx.setLineDash([]);
      ctx.lineWidth = 2;
      ctx.strokeRect(r.left - 1, r.top - 1, Math.max(2, r.width) + 2, Math.max(2, r.height) + 2);
    }
  }
}
