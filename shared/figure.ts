// The exported figure (PNG and SVG): title, axis labels, the heatmap cells and a colour bar, laid out once as a list
// of drawing operations. The SVG writer (host) and the canvas painter (webview, for PNG) both draw this list, so
// the two formats match. Pure: no vscode, no DOM. Text widths are estimated (monospace-ish), never measured.

/** Everything a figure shows; built by the panel from what is on screen. */
export interface FigureSpec {
  /** First line: file and range; second: model; third: view and granularity. */
  title: string[];
  /** One label per row (query) and column (key) of the shown window. */
  rowLabels: string[];
  colLabels: string[];
  rowAxis: string;
  colAxis: string;
  /** PNG data URL of the cells, one pixel per cell (rows × cols), as the panel painted them. */
  cellsPng: string;
  /** Colour-bar gradient, bottom (0) to top (1), and its ticks (position 0…1 and text). */
  colorStops: { offset: number; color: string }[];
  ticks: { at: number; label: string }[];
  background: string;
  foreground: string;
  /** A line under the figure (the merge rule when groups are merged). */
  note?: string;
}

export type FigureOp =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string }
  | { kind: 'text'; x: number; y: number; text: string; size: number; anchor: 'start' | 'middle' | 'end'; rotate: boolean; bold: boolean; fill: string }
  | { kind: 'cells'; x: number; y: number; w: number; h: number }
  | { kind: 'colorBar'; x: number; y: number; w: number; h: number };

export interface FigureLayout {
  width: number;
  height: number;
  ops: FigureOp[];
}

const MARGIN = 16;
const TITLE_SIZE = 15;
const LABEL_SIZE = 11;
const AXIS_SIZE = 12;
/** Estimated advance of one character as a fraction of the font size. */
const CHAR_WIDTH = 0.62;
/** The heatmap's longest side aims at this many pixels; cells stay between these sizes. */
const TARGET_SIDE = 720;
const MIN_CELL = 2;
const MAX_CELL = 28;
const BAR_WIDTH = 16;

/** Every `stride`-th label is drawn so labels never overlap (1 = all). */
export function labelStride(cellPx: number, fontPx: number): number {
  return Math.max(1, Math.ceil((fontPx * 1.15) / Math.max(cellPx, 1e-6)));
}

export function textWidth(text: string, size: number): number {
  return [...text].length * size * CHAR_WIDTH;
}

export function layoutFigure(spec: FigureSpec): FigureLayout {
  const rows = spec.rowLabels.length;
  const cols = spec.colLabels.length;
  const cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(TARGET_SIDE / Math.max(rows, cols, 1))));
  const rowStride = labelStride(cell, LABEL_SIZE);
  const colStride = labelStride(cell, LABEL_SIZE);
  const longestRow = Math.max(0, ...spec.rowLabels.filter((_, i) => i % rowStride === 0).map((l) => textWidth(l, LABEL_SIZE)));
  const longestCol = Math.max(0, ...spec.colLabels.filter((_, i) => i % colStride === 0).map((l) => textWidth(l, LABEL_SIZE)));
  const titleHeight = spec.title.length * (TITLE_SIZE + 6);
  const gridW = cols * cell;
  const gridH = rows * cell;
  const gridX = MARGIN + AXIS_SIZE + 8 + longestRow + 6;
  const gridY = MARGIN + titleHeight + 8 + AXIS_SIZE + 8 + longestCol + 6;
  const barX = gridX + gridW + 24;
  const tickWidth = Math.max(0, ...spec.ticks.map((t) => textWidth(t.label, LABEL_SIZE)));
  const titleWidth = Math.max(0, ...spec.title.map((t) => textWidth(t, TITLE_SIZE)));
  const noteHeight = spec.note ? LABEL_SIZE + 12 : 0;
  const width = Math.ceil(Math.max(barX + BAR_WIDTH + 6 + tickWidth + MARGIN, MARGIN * 2 + titleWidth, MARGIN * 2 + (spec.note ? textWidth(spec.note, LABEL_SIZE) : 0)));
  const height = Math.ceil(gridY + gridH + MARGIN + noteHeight);
  const fg = spec.foreground;
  const ops: FigureOp[] = [{ kind: 'rect', x: 0, y: 0, w: width, h: height, fill: spec.background }];
  spec.title.forEach((line, i) =>
    ops.push({ kind: 'text', x: MARGIN, y: MARGIN + (i + 1) * (TITLE_SIZE + 6) - 6, text: line, size: TITLE_SIZE, anchor: 'start', rotate: false, bold: i === 0, fill: fg }),
  );
  // Axis titles: keys along the top, queries down the left.
  ops.push({ kind: 'text', x: gridX + gridW / 2, y: MARGIN + titleHeight + 8 + AXIS_SIZE, text: spec.colAxis, size: AXIS_SIZE, anchor: 'middle', rotate: false, bold: true, fill: fg });
  ops.push({ kind: 'text', x: MARGIN + AXIS_SIZE, y: gridY + gridH / 2, text: spec.rowAxis, size: AXIS_SIZE, anchor: 'middle', rotate: true, bold: true, fill: fg });
  spec.rowLabels.forEach((label, r) => {
    if (r % rowStride === 0) ops.push({ kind: 'text', x: gridX - 6, y: gridY + (r + 0.5) * cell + LABEL_SIZE * 0.35, text: label, size: LABEL_SIZE, anchor: 'end', rotate: false, bold: false, fill: fg });
  });
  spec.colLabels.forEach((label, c) => {
    // Rotated a quarter turn counter-clockwise, reading upwards, ending just above the grid.
    if (c % colStride === 0) ops.push({ kind: 'text', x: gridX + (c + 0.5) * cell + LABEL_SIZE * 0.35, y: gridY - 6, text: label, size: LABEL_SIZE, anchor: 'start', rotate: true, bold: false, fill: fg });
  });
  ops.push({ kind: 'cells', x: gridX, y: gridY, w: gridW, h: gridH });
  ops.push({ kind: 'colorBar', x: barX, y: gridY, w: BAR_WIDTH, h: gridH });
  for (const t of spec.ticks) {
    const y = gridY + gridH * (1 - t.at);
    ops.push({ kind: 'rect', x: barX + BAR_WIDTH, y: y - 0.5, w: 4, h: 1, fill: fg });
    ops.push({ kind: 'text', x: barX + BAR_WIDTH + 6, y: y + LABEL_SIZE * 0.35, text: t.label, size: LABEL_SIZE, anchor: 'start', rotate: false, bold: false, fill: fg });
  }
  if (spec.note) ops.push({ kind: 'text', x: MARGIN, y: height - MARGIN / 2 - 2, text: spec.note, size: LABEL_SIZE, anchor: 'start', rotate: false, bold: false, fill: fg });
  return { width, height, ops };
}

const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;
const SAFE_COLOR = /^(#[0-9a-fA-F]{3,8}|rgba?\([0-9.,%/ ]+\))$/;
const MAX_LABELS = 8192;
const MAX_TEXT = 2000;

/**
 * A FigureSpec from the webview (the less-trusted side), or why it is refused: every string bounded, colours only
 * #hex or rgb()/rgba(), the cells a base64 PNG data URL, so nothing it holds can inject markup into the SVG.
 */
export function checkFigureSpec(value: unknown, maxPngLength: number): FigureSpec | string {
  const v = value as Partial<FigureSpec> | null;
  if (!v || typeof v !== 'object') return 'the figure is missing';
  const strings = (a: unknown, max: number) => Array.isArray(a) && a.length <= max && a.every((s) => typeof s === 'string' && s.length <= MAX_TEXT);
  if (!strings(v.title, 8)) return 'the figure title is malformed';
  if (!strings(v.rowLabels, MAX_LABELS) || !strings(v.colLabels, MAX_LABELS)) return 'the axis labels are malformed';
  if (typeof v.rowAxis !== 'string' || typeof v.colAxis !== 'string' || v.rowAxis.length > MAX_TEXT || v.colAxis.length > MAX_TEXT) return 'the axis titles are malformed';
  if (typeof v.cellsPng !== 'string' || v.cellsPng.length > maxPngLength || !PNG_DATA_URL.test(v.cellsPng)) return 'the heatmap image is not a PNG data URL';
  if (typeof v.background !== 'string' || !SAFE_COLOR.test(v.background) || typeof v.foreground !== 'string' || !SAFE_COLOR.test(v.foreground)) return 'the figure colours are malformed';
  const stops = v.colorStops;
  if (!Array.isArray(stops) || stops.length < 2 || stops.length > 512 || !stops.every((s) => s && Number.isFinite(s.offset) && s.offset >= 0 && s.offset <= 1 && typeof s.color === 'string' && SAFE_COLOR.test(s.color))) {
    return 'the colour bar is malformed';
  }
  const ticks = v.ticks;
  if (!Array.isArray(ticks) || ticks.length > 32 || !ticks.every((t) => t && Number.isFinite(t.at) && t.at >= 0 && t.at <= 1 && typeof t.label === 'string' && t.label.length <= 40)) return 'the colour bar ticks are malformed';
  if (v.note !== undefined && (typeof v.note !== 'string' || v.note.length > MAX_TEXT)) return 'the figure note is malformed';
  return {
    title: v.title!,
    rowLabels: v.rowLabels!,
    colLabels: v.colLabels!,
    rowAxis: v.rowAxis,
    colAxis: v.colAxis,
    cellsPng: v.cellsPng,
    colorStops: stops.map((s) => ({ offset: s.offset, color: s.color })),
    ticks: ticks.map((t) => ({ at: t.at, label: t.label })),
    background: v.background,
    foreground: v.foreground,
    note: v.note,
  };
}
