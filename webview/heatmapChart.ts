// The Chart.js heatmap: category axes with token text, cells drawn either as chartjs-chart-matrix elements
// (small inputs: crisp cells) or, for large inputs, as one bitmap blitted into the chart area by a plugin
// (Chart.js element-per-cell is too slow at 512×512). Pointer handling and tooltips live in the panel: Chart.js
// listens to no events, so hovering never triggers a chart redraw.
import { CategoryScale, Chart, type Plugin } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import { LUT_LEVELS, lutIndex } from './colorRamp';
import { renderMatrixPixels, visibleMax } from './matrixBitmap';
import type { Area } from './cellGeometry';
import type { ThemePalette } from './themePalette';

Chart.register(CategoryScale, MatrixController, MatrixElement);

/** Above this many visible cells the matrix is drawn as one bitmap instead of chart elements. */
export const MAX_ELEMENT_CELLS = 150 * 150;

export interface HeatmapFrame {
  matrix: Float32Array;
  n: number;
  /** Visible query / key token indices (special tokens may be hidden). */
  rows: number[];
  cols: number[];
}

interface Cell {
  x: number;
  y: number;
  v: number;
}

export class HeatmapChart {
  private readonly chart: Chart<'matrix', Cell[]>;
  private readonly bitmap = document.createElement('canvas');
  private readonly bitmapCtx: CanvasRenderingContext2D;
  private palette: ThemePalette;
  private colors: string[] = [];
  private useBitmap = false;
  private frame: HeatmapFrame | undefined;
  private max = 0;
  private pixels = new Uint32Array(0);
  private cells: Cell[] = [];

  constructor(canvas: HTMLCanvasElement, palette: ThemePalette, onResize: () => void) {
    this.palette = palette;
    this.bitmapCtx = this.bitmap.getContext('2d', { alpha: false })!;
    this.colors = colorStrings(palette.lut);
    const bitmapPlugin: Plugin<'matrix'> = {
      id: 'attentionBitmap',
      beforeDatasetsDraw: (chart) => {
        if (!this.useBitmap || !this.frame) return;
        const { left, top, width, height } = chart.chartArea;
        const ctx = chart.ctx;
        ctx.save();
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(this.bitmap, left, top, width, height);
        ctx.restore();
      },
    };
    this.chart = new Chart<'matrix', Cell[]>(canvas, {
      type: 'matrix',
      data: {
        datasets: [
          {
            data: [],
            parsing: false,
            normalized: true,
            borderWidth: 0,
            backgroundColor: (ctx) => {
              const raw = ctx.raw as Cell | undefined;
              return this.colors[lutIndex(raw && this.max > 0 ? raw.v / this.max : 0)];
            },
            width: ({ chart }) => cellSide(chart.chartArea?.width, this.frame?.cols.length),
            height: ({ chart }) => cellSide(chart.chartArea?.height, this.frame?.rows.length),
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        events: [],
        onResize: () => queueMicrotask(onResize),
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        layout: { padding: 4 },
        scales: {
          x: axisOptions('top', 'key (attended to)', palette),
          y: axisOptions('left', 'query (attending)', palette),
        },
      },
      plugins: [bitmapPlugin],
    });
  }

  /** New token labels (a new analysis or hideSpecial changed): relayout the axes. */
  setAxes(rowLabels: string[], colLabels: string[]): void {
    const scales = this.chart.options.scales!;
    (scales.x as { labels?: string[] }).labels = colLabels;
    (scales.y as { labels?: string[] }).labels = rowLabels;
    this.chart.update('none');
  }

  /** Paints a matrix; returns the milliseconds the repaint took. */
  show(frame: HeatmapFrame): number {
    const t0 = performance.now();
    this.frame = frame;
    this.max = visibleMax(frame.matrix, frame.n, frame.rows, frame.cols);
    const cellCount = frame.rows.length * frame.cols.length;
    this.useBitmap = cellCount > MAX_ELEMENT_CELLS;
    if (this.useBitmap) {
      this.paintBitmap();
      this.setCells([]);
      this.chart.draw();
    } else {
      this.setCells(this.cellsFor(frame));
      this.chart.update('none');
    }
    return performance.now() - t0;
  }

  /** The theme or colour scale changed. */
  setPalette(palette: ThemePalette): void {
    this.palette = palette;
    this.colors = colorStrings(palette.lut);
    const scales = this.chart.options.scales!;
    scales.x = { ...axisOptions('top', 'key (attended to)', palette), labels: (scales.x as { labels?: string[] }).labels } as typeof scales.x;
    scales.y = { ...axisOptions('left', 'query (attending)', palette), labels: (scales.y as { labels?: string[] }).labels } as typeof scales.y;
    if (this.frame && this.useBitmap) this.paintBitmap();
    this.chart.update('none');
  }

  /** Where the cells are, in CSS pixels relative to the canvas. */
  get area(): Area {
    const a = this.chart.chartArea;
    return a ? { left: a.left, top: a.top, width: a.right - a.left, height: a.bottom - a.top } : { left: 0, top: 0, width: 0, height: 0 };
  }

  /** Largest visible weight of the current frame (the legend's top). */
  get maxWeight(): number {
    return this.max;
  }

  /** Whether the current frame is drawn as a bitmap (exposed to tests via data-render-mode). */
  get mode(): 'bitmap' | 'cells' {
    return this.useBitmap ? 'bitmap' : 'cells';
  }

  /** PNG of the chart, axes included, on the theme background. */
  toPng(): string {
    const src = this.chart.canvas;
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height;
    const ctx = out.getContext('2d')!;
    const [r, g, b] = this.palette.background;
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, 0);
    return out.toDataURL('image/png');
  }

  destroy(): void {
    this.chart.destroy();
  }

  private paintBitmap(): void {
    const f = this.frame!;
    const w = f.cols.length;
    const h = f.rows.length;
    if (this.bitmap.width !== w || this.bitmap.height !== h) {
      this.bitmap.width = w;
      this.bitmap.height = h;
    }
    if (this.pixels.length !== w * h) this.pixels = new Uint32Array(w * h);
    renderMatrixPixels(f.matrix, f.n, f.rows, f.cols, this.max, this.palette.lut, this.pixels);
    const image = new ImageData(new Uint8ClampedArray(this.pixels.buffer, 0, w * h * 4), w, h);
    this.bitmapCtx.putImageData(image, 0, 0);
  }

  private cellsFor(f: HeatmapFrame): Cell[] {
    const count = f.rows.length * f.cols.length;
    // Reuse the cell objects when the shape is unchanged: only the weights differ between heads.
    if (this.cells.length !== count) {
      this.cells = [];
      for (let r = 0; r < f.rows.length; r++) for (let c = 0; c < f.cols.length; c++) this.cells.push({ x: c, y: r, v: 0 });
    }
    let i = 0;
    for (const q of f.rows) for (const k of f.cols) this.cells[i++].v = f.matrix[q * f.n + k];
    return this.cells;
  }

  private setCells(cells: Cell[]): void {
    this.chart.data.datasets[0].data = cells;
  }
}

function cellSide(extent: number | undefined, count: number | undefined): number {
  if (!extent || !count) return 0;
  const side = extent / count;
  // A hairline gap between cells only where cells are big enough to spare it.
  return side >= 8 ? side - 1 : side + 0.5;
}

function colorStrings(lut: Uint32Array): string[] {
  const out: string[] = new Array(LUT_LEVELS);
  for (let i = 0; i < LUT_LEVELS; i++) {
    const p = lut[i];
    out[i] = `rgb(${p & 255},${(p >>> 8) & 255},${(p >>> 16) & 255})`;
  }
  return out;
}

function axisOptions(position: 'top' | 'left', title: string, palette: ThemePalette) {
  return {
    type: 'category' as const,
    position,
    offset: true,
    reverse: false,
    grid: { display: false },
    border: { color: palette.foregroundCss },
    title: { display: true, text: title, color: palette.foregroundCss },
    ticks: {
      color: palette.foregroundCss,
      autoSkip: true,
      autoSkipPadding: 2,
      sampleSize: 64,
      maxRotation: 90,
      minRotation: 0,
      font: { size: 11 },
    },
  };
}
