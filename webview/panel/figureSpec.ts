// What the exported figure shows, built from what is on screen: the zoom window's cells, their labels, the colour
// bar of the current palette and scale (ticks at weights, colours as the heatmap paints them) and the title lines.
import type { FigureSpec } from '../../shared/figure';
import { formatWeight } from '../../shared/formatWeight';
import { cssColorOf, type Rgba } from '../common/colorRamp';
import { renderMatrixPixels } from '../common/matrixBitmap';
import { cellsPngOf } from '../common/paintFigure';

export interface FigureInput {
  title: string[];
  matrix: Float32Array;
  n: number;
  /** Matrix indices of the rows and columns shown (the zoom window), and their labels. */
  rows: readonly number[];
  cols: readonly number[];
  rowLabels: string[];
  colLabels: string[];
  /** The weight at the top of the colour scale (the heatmap's visible maximum). */
  max: number;
  lut: Uint32Array;
  background: Rgba;
  foreground: Rgba;
  rowAxis: string;
  colAxis: string;
  note?: string;
}

const STOPS = 17;
const TICKS = 5;

export function rgbCss(c: Rgba): string {
  return `rgb(${Math.round(c[0])}, ${Math.round(c[1])}, ${Math.round(c[2])})`;
}

export function figureSpecOf(input: FigureInput): FigureSpec {
  const pixels = renderMatrixPixels(input.matrix, input.n, input.rows, input.cols, input.max, input.lut);
  return {
    title: input.title,
    rowLabels: input.rowLabels,
    colLabels: input.colLabels,
    rowAxis: input.rowAxis,
    colAxis: input.colAxis,
    cellsPng: cellsPngOf(pixels, input.rows.length, input.cols.length),
    // The bar is linear in weight; its colours carry the scale (sqrt/log) exactly as the cells do.
    colorStops: Array.from({ length: STOPS }, (_, i) => ({ offset: i / (STOPS - 1), color: cssColorOf(input.lut, i / (STOPS - 1)) })),
    ticks: Array.from({ length: TICKS }, (_, i) => ({ at: i / (TICKS - 1), label: formatWeight((input.max * i) / (TICKS - 1)) })),
    background: rgbCss(input.background),
    foreground: rgbCss(input.foreground),
    note: input.note,
  };
}
