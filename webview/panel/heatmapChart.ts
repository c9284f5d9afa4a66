// The Chart.js heatmap: category axes with token text, cells drawn either as chartjs-chart-matrix elements
// (small inputs: crisp cells) or, for large inputs, as one bitmap blitted into the chart area by a plugin
// (Chart.js element-per-cell is too slow at 512×512). Pointer handling and tooltips live in the panel: Chart.js
// listens to no events, so hovering never triggers a chart redraw.
import { CategoryScale, Chart, type Plugin } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import { LUT_LEVELS, lutIndex } from '../common/colorRamp';
import { renderMatrixPixels, visibleMax } from '../common/matrixBitmap';
import type { Area } from './cellGeometry';
import type { ThemePalette } from '../common/themePalette';

Chart.register(CategoryScale, MatrixController, MatrixElement);

/** Above this many visible cells the matrix is drawn as one bitmap: 128×128 as elements measured ~100 ms per repaint. */
export const MAX_ELEMENT_CELLS = 64 * 64;
/** Colour levels of the element renderer (the bitmap uses the full lookup table). */
const COLOR_BANDS = 64;

export interface HeatmapFrame {
  matrix: Float32Array;
  n: number;
  /** Visible query / key token indices (special tokens may be hidden). */
  rows: number[];
  cols: number[];
  /** Draw as one bitmap whatever the size (zoomed in: element-per-cell relayout would cost a frame per step). */
  bitmap?: boolean;
  /** Key columns whose cells set the colour scale (default `cols`; sinks may be left out). */
  scaleCols?: number[];
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
        // One dataset per colour band with constant options: Chart.js then shares one resolved options object
        // per dataset instead of resolving colours per cell (~15 µs each), which is ~3× faster.
        datasets: Array.from({ length: COLOR_BANDS }, () => ({
          data: [] as Cell[],
          parsing: false as const,
          normalized: true,
          borderWidth: 0,
          backgroundColor: 'transparent',
          width: 0,
          height: 0,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        events: [],
        onResize: () => queueMicrotask(() => {
          if (!this.useBitmap && this.frame) this.updateCells();
          onResize();
        }),
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

  /** New token labels (a new analysis or hideSpecialTokens changed): relayout the axes. */
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
    this.max = visibleMax(frame.matrix, frame.n, frame.rows, frame.scaleCols ?? frame.cols);
    const cellCount = frame.rows.length * frame.cols.length;
    const wasBitmap = this.useBitmap;
    this.useBitmap = frame.bitmap === true || cellCount > MAX_ELEMENT_CELLS;
    if (this.useBitmap) {
      this.paintBitmap();
      if (wasBitmap) {
        this.chart.draw();
      } else {
        // Coming from cells: draw() alone keeps the old cell elements, which then paint over the bitmap (the
        // previous analysis stayed visible in the top-left block). update() drops them.
        this.setCells([]);
        this.chart.update('none');
      }
    } else {
      this.setCells(this.cellsFor(frame));
      this.updateCells();
    }
    // Where the cells are drawn, for tests that compare the screen with the data.
    const canvas = this.chart.canvas;
    canvas.dataset.chartArea = JSON.stringify(this.area);
    canvas.dataset.visibleRows = String(frame.rows.length);
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
    if (this.frame && !this.useBitmap) this.setCells(this.cells);
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

  /** Sorts cells into colour bands (band b = weights in [b, b+1)/COLOR_BANDS of the max). */
  private setCells(cells: Cell[]): void {
    const bands: Cell[][] = Array.from({ length: COLOR_BANDS }, () => []);
    const k = this.max > 0 ? COLOR_BANDS / this.max : 0;
    for (const cell of cells) bands[Math.max(0, Math.min(COLOR_BANDS - 1, (cell.v * k) | 0))].push(cell);
    this.chart.data.datasets.forEach((ds, b) => {
      ds.data = bands[b];
      ds.backgroundColor = this.colors[lutIndex((b + 0.5) / COLOR_BANDS)];
    });
  }

  /** Sizes cells to the chart area and updates; again if that update moved the area (axis labels changed). */
  private updateCells(): void {
    const datasets = this.chart.data.datasets;
    for (let pass = 0; pass < 2; pass++) {
      const a = this.area;
      const w = cellSide(a.width, this.frame?.cols.length);
      const h = cellSide(a.height, this.frame?.rows.length);
      if (pass === 1 && datasets[0].width === w && datasets[0].height === h) return;
      for (const ds of datasets) {
        ds.width = w;
        ds.height = h;
      }
      this.chart.update('none');
    }
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
