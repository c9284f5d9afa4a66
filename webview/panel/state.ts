// Everything the attention panel knows, in one object, and the parts it works with (DOM, chart, host messenger).
import type { MatrixView } from '../../shared/matrixView';
import type { Messenger } from '../../shared/messenger';
import type { ColorScale, HostRequests, InitMessage, PanelRequests } from '../../shared/messages';
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
}

export interface PanelState {
  /** The analysis shown (undefined until the host sends one). */
  init: InitMessage | undefined;
  colorScale: ColorScale;
  hideSpecialTokens: boolean;
  palette: ThemePalette;
  view: MatrixView;
  /** The matrix of `view`, once it arrived. */
  matrix: Float32Array | undefined;
  /** Token indices shown as rows and columns (special tokens may be hidden). */
  rows: number[];
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
    rows: [],
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
  const { init, view, pinned } = panel.state;
  if (init) panel.api.setState({ analysisId: init.analysisId, view, pinned });
}
