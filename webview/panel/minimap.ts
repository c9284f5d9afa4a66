// The minimap: the whole matrix in a small square with the zoom window as a rectangle; click or drag on it to move
// the window. Shown only while zoomed in. Reuses the heatmap's colours (a strided sample of rows and columns).
import { renderMatrixPixels, visibleMax } from '../common/matrixBitmap';
import { minimapRect, windowFromMinimap, type ZoomWindow } from './zoom';

/** Side of the minimap's bitmap: at most this many sampled rows and columns. */
const SAMPLES = 96;

export class Minimap {
  readonly element = document.createElement('div');
  private readonly canvas = document.createElement('canvas');
  private readonly box = document.createElement('div');
  private window: ZoomWindow | undefined;

  constructor(private readonly onMove: (next: ZoomWindow) => void) {
    this.element.className = 'minimap';
    this.element.dataset.testid = 'minimap';
    this.element.setAttribute('aria-hidden', 'true');
    this.element.hidden = true;
    this.box.className = 'minimap-window';
    this.box.dataset.testid = 'minimap-window';
    this.element.append(this.canvas, this.box);
    let dragging = false;
    const move = (e: PointerEvent) => {
      if (!this.window) return;
      const r = this.canvas.getBoundingClientRect();
      this.onMove(windowFromMinimap(this.window, (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height));
    };
    this.element.addEventListener('pointerdown', (e) => {
      dragging = true;
      this.element.setPointerCapture(e.pointerId);
      move(e);
    });
    this.element.addEventListener('pointermove', (e) => dragging && move(e));
    this.element.addEventListener('pointerup', () => (dragging = false));
  }

  /** Redraws the whole matrix (after a head switch or a new analysis). `rows` are the visible token indices. */
  paint(matrix: Float32Array, n: number, rows: readonly number[], lut: Uint32Array, cols: readonly number[] = rows): void {
    // Non-square (cross-attention): the columns are sampled to as many as the rows, so the window maps by fraction.
    const sample = (axis: readonly number[], count: number) => Array.from({ length: count }, (_, i) => axis[Math.floor((i * axis.length) / count)]);
    const side = Math.min(rows.length, SAMPLES);
    const sampledRows = sample(rows, side);
    const sampledCols = cols.length === 0 ? [] : sample(cols, side);
    this.canvas.width = Math.max(1, side);
    this.canvas.height = Math.max(1, side);
    const ctx = this.canvas.getContext('2d');
    if (!ctx || side === 0 || sampledCols.length === 0) return;
    const image = ctx.createImageData(side, side);
    renderMatrixPixels(matrix, n, sampledRows, sampledCols, visibleMax(matrix, n, sampledRows, sampledCols), lut, new Uint32Array(image.data.buffer));
    ctx.putImageData(image, 0, 0);
  }

  /** Moves the rectangle to the window; hides the minimap when everything is shown. */
  show(w: ZoomWindow): void {
    this.window = w;
    this.element.hidden = w.size >= w.total;
    const r = minimapRect(w);
    Object.assign(this.box.style, { left: `${r.x * 100}%`, top: `${r.y * 100}%`, width: `${r.width * 100}%`, height: `${r.height * 100}%` });
  }
}
