// Everything the attention panel knows, in one object, and the parts it works with (DOM, chart, host messenger).
import type { MatrixView } from '../../shared/matrixView';
import type { Granularity } from '../../shared/granularity';
import { keySide, querySide } from '../../shared/attentionParts';
import { tokensOf } from './partAxes';
import type { Messenger } from '../../shared/messenger';
import type { ColorScale, HostRequests, InitMessage, PanelRequests, Reading, WebviewToken } from '../../shared/messages';
import type { FindToken } from './findToken';
import type { Minimap } from './minimap';
import type { ReadingControls } from './readingControls';
import { columnInWindowUnits, fullWindow, windowColumns, type ZoomWindow } from './zoom';
import type { ThemePalette } from '../common/themePalette';
import type { VsCodeApi } from '../common/vscodeApi';
import type { Cell } from './cellGeometry';
import type { HeatmapChart } from './heatmapChart';
import type { HeatmapOverlay } from './heatmapOverlay';
import type { MatrixCache } from './matrixCache';
import type { PanelDom } from './panelDom';
import type { PartsUi } from './targetStrip';

/** What survives a reload of the webview (vscode.setState). */
export interface SavedState {
  analysisId: string;
  view: MatrixView;
  pinned: number | null;
  reading?: Reading;
}

/** What a long analysis's heatmap shows now, for figures: matrix indices of its rows and columns, and their labels. */
export interface LongFigureCells {
  matrix: Float32Array;
  n: number;
  rows: number[];
  cols: number[];
  rowLabels: string[];
  colLabels: string[];
  /** How the cells relate to tokens ("pooled: max of 32×32 tokens per cell", "exact weights, one cell per token"). */
  note: string;
  pooled: boolean;
}

export interface PanelState {
  /** The analysis shown (undefined until the host sends one). */
  init: InitMessage | undefined;
  colorScale: ColorScale;
  hideSpecialTokens: boolean;
  palette: ThemePalette;
  view: MatrixView;
  /** The matrix of `view` at `reading.granularity` (units × units), once it arrived. */
  matrix: Float32Array | undefined;
  /** A long analysis (no whole matrix): the exact weight of query q → key k while its tile is shown, else undefined. */
  longCell?: (q: number, k: number) => number | undefined;
  /** A long analysis: the cells on screen (pooled overview cells or an exact tile) as an exported figure draws them. */
  longFigure?: LongFigureCells;
  /** Granularity and direction the panel reads attention in. */
  reading: Reading;
  /** The source text's rows/columns at the current granularity: the tokens, or the words/identifiers/lines they form. */
  units: WebviewToken[];
  /** Unit indices shown as rows (queries) and columns (keys); special tokens may be hidden. */
  rows: number[];
  cols: number[];
  /**
   * The zoom window over `rows` (square when the matrix is; a non-square one, cross-attention, zooms both axes by the
   * same fraction: `col0` and `size` count in row units and `windowCols` scales them to the columns).
   */
  zoom: ZoomWindow;
  /** The axis labels the chart has now (set again only when the window or the labels change). */
  axesKey: string;
  /** The matrix the minimap last drew. */
  minimapMatrix: Float32Array | undefined;
  /** Query under the pointer or the editor cursor. */
  hovered: number | null;
  pinned: number | null;
  /** Keyboard focus cell in row/column positions. */
  focusCell: Cell;
  renderCount: number;
  /** The last hover sent to the host, so each change is sent once. */
  lastHoverSent: string;
  /** Called once after the next paint (a PNG asked for before the first one). */
  paintWaiters: (() => void)[];
}

/** The panel's state and the parts every module of it uses. */
export interface Panel {
  state: PanelState;
  dom: PanelDom;
  heatmap: HeatmapChart;
  overlay: HeatmapOverlay;
  cache: MatrixCache;
  reading: ReadingControls;
  find: FindToken;
  minimap: Minimap;
  host: Messenger<HostRequests, PanelRequests>;
  api: VsCodeApi<SavedState>;
  /** Encoder–decoder: part select, target strip, cross-attention link between the strips. */
  parts: PartsUi;
}

export function initialState(palette: ThemePalette): PanelState {
  return {
    init: undefined,
    colorScale: 'linear',
    hideSpecialTokens: true,
    palette,
    view: { layer: 0, head: 0 },
    matrix: undefined,
    reading: { granularity: 'tokens', direction: 'attendsTo' },
    units: [],
    rows: [],
    zoom: fullWindow(0),
    axesKey: '',
    minimapMatrix: undefined,
    cols: [],
    hovered: null,
    pinned: null,
    focusCell: { row: 0, col: 0 },
    renderCount: 0,
    lastHoverSent: '',
    paintWaiters: [],
  };
}

/** Remembers view and pin for this analysis across a reload of the webview. */
export function saveState(panel: Panel): void {
  const { init, view, pinned, reading } = panel.state;
  if (init) panel.api.setState({ analysisId: init.analysisId, view, pinned, reading });
}

/** Rows of the zoom window (unit indices) and their columns. */
export function windowRows(state: PanelState): number[] {
  return state.rows.slice(state.zoom.row0, state.zoom.row0 + state.zoom.size);
}

export function windowCols(state: PanelState): number[] {
  const [c0, c1] = windowColRange(state);
  return state.cols.slice(c0, c1);
}

/** The window's columns as [start, end) positions in `cols` (see `windowColumns`). */
export function windowColRange(state: PanelState): [number, number] {
  return windowColumns(state.zoom, state.rows.length, state.cols.length);
}

/** A column position (in `cols`) in the zoom window's column units. */
export function colInZoomUnits(state: PanelState, col: number): number {
  return columnInWindowUnits(col, state.rows.length, state.cols.length);
}

/** Decoder and cross-attention views are read at tokens: the target has no editor words or lines to group by. */
export function effectiveGranularity(state: PanelState): Granularity {
  return state.view.part ? 'tokens' : state.reading.granularity;
}

/** The rows' units of the shown view: the source units at the granularity, or the target's tokens. */
export function rowUnits(state: PanelState): WebviewToken[] {
  if (!state.view.part || !state.init) return state.units;
  return tokensOf(state.init, querySide(state.view));
}

/** The columns' units of the shown view; their count is the matrix's row stride. */
export function colUnits(state: PanelState): WebviewToken[] {
  if (!state.view.part || !state.init) return state.units;
  return tokensOf(state.init, keySide(state.view));
}
