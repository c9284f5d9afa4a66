// Everything the attention panel knows, in one object, and the parts it works with (DOM, chart, host messenger).
import type { MatrixView } from '../../shared/matrixView';
import type { Messenger } from '../../shared/messenger';
import type { ColorScale, HostRequests, InitMessage, PanelRequests, Reading, WebviewToken } from '../../shared/messages';
import type { FindToken } from './findToken';
import type { Minimap } from './minimap';
import type { ReadingControls } from './readingControls';
import { fullWindow, type ZoomWindow } from './zoom';
import type { ThemePalette } from '../common/themePalette';
import type { VsCodeApi } from '../common/vscodeApi';
import type { Cell } from './cellGeometry';
import type { HeatmapChart } from './heatmapChart';
import type { HeatmapOverlay } from './heatmapOverlay';
import type { MatrixCache } from './matrixCache';
import type { PanelDom } from './panelDom';

/** What survives a reload of the webview (vscode.setState). */
export interface SavedState {
  analysisId: string;
  view: MatrixView;
  pinned: number | null;
  reading?: Reading;
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
  /** Granularity and direction the panel reads attention in. */
  reading: Reading;
  /** The rows/columns at the current granularity: the tokens, or the words/identifiers/lines they form. */
  units: WebviewToken[];
  /** Unit indices shown as rows and columns (special tokens may be hidden). */
  rows: number[];
  /** The zoom window over `rows` (square: the same positions on both axes when unzoomed). */
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
  return state.rows.slice(state.zoom.col0, state.zoom.col0 + state.zoom.size);
}

/** Side of the matrix at the current granularity. */
export function unitCount(state: PanelState): number {
  return state.units.length;
}
