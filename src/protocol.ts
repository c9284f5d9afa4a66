// Messages between the extension host and its webviews (the attention panel and the side-panel overview).
// Imported by both sides: no `vscode`, no DOM. The host validates every webview message with
// `parseFromWebview` (the webview is the less-trusted side); every request gets exactly one response carrying
// either a result or `error`, and the webview times requests out after REQUEST_TIMEOUT_MS so none can hang.
// Matrices cross as Float32Array (structured clone); the host never sends the whole layers×heads×N×N tensor,
// only the one view the webview asks for.

/** Milliseconds after which the webview gives up on a request and shows an error instead of waiting forever. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Side of the square thumbnails in the overview (N is mean-pooled down to at most this). */
export const THUMBNAIL_MAX_SIZE = 32;
/** Largest PNG data URL the host accepts from `exportImage` (a 4k×4k heatmap stays well under it). */
export const MAX_IMAGE_DATA_URL_LENGTH = 64 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Shared shapes

/** One attention matrix the webview can ask for. `layer` and `head` are 0-based. */
export type MatrixView =
  /** One head of one layer. */
  | { layer: number; head: number }
  /** Element-wise mean or max over the heads of one layer. */
  | { layer: number; aggregate: 'mean' | 'max' }
  /** Attention rollout through layers 0…layer (all layers when `layer` is omitted). */
  | { aggregate: 'rollout'; layer?: number };

/** How weights map to colour intensity: linear, or sqrt/log to lift the many small weights. */
export type ColorScale = 'linear' | 'sqrt' | 'log';

/** Where an analysis is: drives the panel's spinner / error line. */
export type AnalysisState = 'loading' | 'running' | 'ready' | 'error';

/** Which webview sent `ready`. */
export type WebviewSurface = 'panel' | 'sidebar';

/** The model facts the webviews show. */
export interface WebviewModelInfo {
  name: string;
  layers: number;
  heads: number;
  /** Decoder-only: weights above the diagonal are zero. */
  causal: boolean;
}

/** One token as the webview shows it (offsets are UTF-16 into `InitMessage.text`). */
export interface WebviewToken {
  text: string;
  start: number;
  end: number;
  special: boolean;
}

/** One entry in the side panel's list of this window's analyses. */
export interface RecentAnalysis {
  analysisId: string;
  /** Short label: file name and the first words of the text. */
  label: string;
  modelName: string;
  tokenCount: number;
  /** Epoch milliseconds. */
  createdAt: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Host → webview

/** Answer to the `ready` handshake of the panel: everything to draw the first frame. */
export interface InitMessage {
  type: 'init';
  analysisId: string;
  model: WebviewModelInfo;
  /** The analysed text (the covered range only), so the token strip can show whitespace between tokens. */
  text: string;
  tokens: WebviewToken[];
  /** Number of tokens = matrix side. */
  n: number;
  /** Hide special tokens ([CLS], [SEP], <s>…) from axes and the strip. */
  hideSpecial: boolean;
  colorScale: ColorScale;
  /** The text changed since this analysis ran. */
  stale: boolean;
  /** The view to show unless the webview restores its own saved one for the same analysis. */
  view: MatrixView;
  /** The input was longer than the model's limit and was cut. */
  truncated: boolean;
}

/** Response to `requestMatrix`: the matrix row-major [query][key], or why there is none. */
export type MatrixResultMessage =
  | { type: 'matrixResult'; requestId: number; view: MatrixView; n: number; data: Float32Array }
  | { type: 'matrixResult'; requestId: number; error: string };

/** Response to `exportImage` / `exportData`: the saved file, `cancelled` if the user closed the dialog, or an error. */
export type ExportResultMessage =
  | { type: 'exportResult'; requestId: number; savedTo: string | null }
  | { type: 'exportResult'; requestId: number; error: string };

/** The editor cursor or mouse is on a token: highlight that query row (null clears). */
export interface FocusQueryMessage {
  type: 'focusQuery';
  query: number | null;
}

/** The analysed text changed (or changed back): show or hide the stale banner with Re-run. */
export interface StaleMessage {
  type: 'stale';
  stale: boolean;
}

/** Progress or failure of the analysis behind this view. */
export interface StateMessage {
  type: 'state';
  state: AnalysisState;
  message?: string;
}

/** Settings changed while the view is open. */
export interface SettingsMessage {
  type: 'settings';
  hideSpecial: boolean;
  colorScale: ColorScale;
}

/** Side panel: the current model and this window's analyses (model null before any model is loaded). */
export interface OverviewMessage {
  type: 'overview';
  model: WebviewModelInfo | null;
  recent: RecentAnalysis[];
  currentAnalysisId: string | null;
}

/**
 * Side panel: every layer×head downsampled to size×size. `data` holds layers·heads·size·size floats laid out
 * [layer][head][row][col] (see `downsampleMatrix`).
 */
export interface ThumbnailsMessage {
  type: 'thumbnails';
  analysisId: string;
  layers: number;
  heads: number;
  size: number;
  data: Float32Array;
}

/** Show this view in the panel (a side-panel thumbnail was clicked); the webview answers with `viewChanged`. */
export interface ShowViewMessage {
  type: 'showView';
  view: MatrixView;
}

/** The "Export Heatmap as PNG" command: the webview answers with an `exportImage` request for its heatmap. */
export interface ExportRequestMessage {
  type: 'exportRequest';
  format: 'png';
}

export type ToWebviewMessage =
  | ShowViewMessage
  | ExportRequestMessage
  | InitMessage
  | MatrixResultMessage
  | ExportResultMessage
  | FocusQueryMessage
  | StaleMessage
  | StateMessage
  | SettingsMessage
  | OverviewMessage
  | ThumbnailsMessage;

/** Host → webview messages that answer a request. */
export type ResponseMessage = MatrixResultMessage | ExportResultMessage;

// ---------------------------------------------------------------------------------------------------------------
// Webview → host

/** The webview has loaded and listens: the host answers with `init` (panel) or `overview` + `thumbnails` (sidebar). */
export interface ReadyMessage {
  type: 'ready';
  surface: WebviewSurface;
}

/** Request: send one matrix view (answered by `matrixResult`). */
export interface RequestMatrixMessage {
  type: 'requestMatrix';
  requestId: number;
  view: MatrixView;
}

/** The user hovers (or pinned) a query token in the webview: the host tints the editor; null clears. */
export interface HoverTokenMessage {
  type: 'hoverToken';
  query: number | null;
  view: MatrixView;
  pinned: boolean;
}

/** Pin a query token (null unpins): its tints stay in the editor until unpinned. */
export interface PinTokenMessage {
  type: 'pinToken';
  query: number | null;
  view: MatrixView;
}

/** The panel now shows another layer/head/aggregate (the host re-tints the editor for a pinned token). */
export interface ViewChangedMessage {
  type: 'viewChanged';
  view: MatrixView;
}

/** Side panel thumbnail clicked: open this layer/head in the attention panel. */
export interface OpenHeadMessage {
  type: 'openHead';
  layer: number;
  head: number;
}

/** Side panel recent-analysis clicked: re-open that analysis's panel. */
export interface OpenAnalysisMessage {
  type: 'openAnalysis';
  analysisId: string;
}

/** Stale banner's Re-run button: analyse the current text again. */
export interface RerunMessage {
  type: 'rerun';
}

/** Request: save this PNG (data URL of the heatmap) via a save dialog (answered by `exportResult`). */
export interface ExportImageMessage {
  type: 'exportImage';
  requestId: number;
  dataUrl: string;
}

/** Request: save the current view's matrix with token labels as CSV or JSON (answered by `exportResult`). */
export interface ExportDataMessage {
  type: 'exportData';
  requestId: number;
  format: 'csv' | 'json';
  view: MatrixView;
}

/** "Switch model" button: the host shows its model picker. */
export interface SelectModelMessage {
  type: 'selectModel';
}

/** A webview error or warning for the extension's log channel. */
export interface LogMessage {
  type: 'log';
  level: 'error' | 'warn' | 'info';
  message: string;
}

export type FromWebviewMessage =
  | ReadyMessage
  | RequestMatrixMessage
  | HoverTokenMessage
  | PinTokenMessage
  | ViewChangedMessage
  | OpenHeadMessage
  | OpenAnalysisMessage
  | RerunMessage
  | ExportImageMessage
  | ExportDataMessage
  | SelectModelMessage
  | LogMessage;

// ---------------------------------------------------------------------------------------------------------------
// Validation (webview → host). Returns undefined for anything malformed; never throws.

const MAX_INDEX = 1_000_000;
const MAX_LOG_LENGTH = 10_000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MAX_INDEX;
}

function isRequestId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isQuery(v: unknown): v is number | null {
  return v === null || isIndex(v);
}

/** A well-formed view (bounds against the model are the host's job: it knows layers/heads/N). */
export function parseMatrixView(raw: unknown): MatrixView | undefined {
  if (!isRecord(raw)) return undefined;
  const { layer, head, aggregate } = raw;
  if (aggregate === undefined) return isIndex(layer) && isIndex(head) ? { layer, head } : undefined;
  if (head !== undefined) return undefined;
  if (aggregate === 'mean' || aggregate === 'max') return isIndex(layer) ? { layer, aggregate } : undefined;
  if (aggregate === 'rollout') {
    if (layer === undefined) return { aggregate };
    return isIndex(layer) ? { aggregate, layer } : undefined;
  }
  return undefined;
}

/** True when the view's layer/head exist in a model of this shape. */
export function viewFitsModel(view: MatrixView, model: { layers: number; heads: number }): boolean {
  if (view.layer !== undefined && view.layer >= model.layers) return false;
  return !('head' in view) || view.head < model.heads;
}

/** Parses one webview message; undefined (ignore it) when the shape is wrong. */
export function parseFromWebview(raw: unknown): FromWebviewMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return raw.surface === 'panel' || raw.surface === 'sidebar' ? { type: 'ready', surface: raw.surface } : undefined;
    case 'requestMatrix': {
      const view = parseMatrixView(raw.view);
      return view && isRequestId(raw.requestId) ? { type: 'requestMatrix', requestId: raw.requestId, view } : undefined;
    }
    case 'hoverToken': {
      const view = parseMatrixView(raw.view);
      if (!view || !isQuery(raw.query) || typeof raw.pinned !== 'boolean') return undefined;
      return { type: 'hoverToken', query: raw.query, view, pinned: raw.pinned };
    }
    case 'pinToken': {
      const view = parseMatrixView(raw.view);
      return view && isQuery(raw.query) ? { type: 'pinToken', query: raw.query, view } : undefined;
    }
    case 'viewChanged': {
      const view = parseMatrixView(raw.view);
      return view ? { type: 'viewChanged', view } : undefined;
    }
    case 'openHead':
      return isIndex(raw.layer) && isIndex(raw.head) ? { type: 'openHead', layer: raw.layer, head: raw.head } : undefined;
    case 'openAnalysis':
      return typeof raw.analysisId === 'string' && raw.analysisId.length > 0 && raw.analysisId.length <= 200
        ? { type: 'openAnalysis', analysisId: raw.analysisId }
        : undefined;
    case 'rerun':
      return { type: 'rerun' };
    case 'exportImage':
      return isRequestId(raw.requestId) &&
        typeof raw.dataUrl === 'string' &&
        raw.dataUrl.startsWith('data:image/png;base64,') &&
        raw.dataUrl.length <= MAX_IMAGE_DATA_URL_LENGTH
        ? { type: 'exportImage', requestId: raw.requestId, dataUrl: raw.dataUrl }
        : undefined;
    case 'exportData': {
      const view = parseMatrixView(raw.view);
      return view && isRequestId(raw.requestId) && (raw.format === 'csv' || raw.format === 'json')
        ? { type: 'exportData', requestId: raw.requestId, format: raw.format, view }
        : undefined;
    }
    case 'selectModel':
      return { type: 'selectModel' };
    case 'log':
      return (raw.level === 'error' || raw.level === 'warn' || raw.level === 'info') && typeof raw.message === 'string'
        ? { type: 'log', level: raw.level, message: raw.message.slice(0, MAX_LOG_LENGTH) }
        : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers both sides use

/** A stable cache key for a view ("L3H5", "L3mean", "rollout", "rollout@L3"). */
export function viewKey(view: MatrixView): string {
  if ('head' in view) return `L${view.layer}H${view.head}`;
  if (view.aggregate === 'rollout') return view.layer === undefined ? 'rollout' : `rollout@L${view.layer}`;
  return `L${view.layer}${view.aggregate}`;
}

/** Human label for a view ("Layer 4 · Head 6", "Layer 4 · mean of heads", "Rollout"), 1-based for people. */
export function describeView(view: MatrixView): string {
  if ('head' in view) return `Layer ${view.layer + 1} · Head ${view.head + 1}`;
  if (view.aggregate === 'rollout') return view.layer === undefined ? 'Rollout' : `Rollout to layer ${view.layer + 1}`;
  return `Layer ${view.layer + 1} · ${view.aggregate} of heads`;
}

/** Side of the thumbnail for an N×N matrix: N itself when small, else THUMBNAIL_MAX_SIZE. */
export function thumbnailSize(n: number): number {
  return Math.max(1, Math.min(n, THUMBNAIL_MAX_SIZE));
}

/**
 * Mean-pools an N×N row-major matrix to size×size (the wire format of `thumbnails`). Cell (r, c) averages the
 * source block rows [⌊r·N/size⌋, ⌊(r+1)·N/size⌋) × the same for columns, so every source cell counts once.
 */
export function downsampleMatrix(matrix: Float32Array, n: number, size = thumbnailSize(n), out = new Float32Array(size * size)): Float32Array {
  for (let r = 0; r < size; r++) {
    const r0 = Math.floor((r * n) / size);
    const r1 = Math.max(r0 + 1, Math.floor(((r + 1) * n) / size));
    for (let c = 0; c < size; c++) {
      const c0 = Math.floor((c * n) / size);
      const c1 = Math.max(c0 + 1, Math.floor(((c + 1) * n) / size));
      let sum = 0;
      for (let q = r0; q < r1; q++) for (let k = c0; k < c1; k++) sum += matrix[q * n + k];
      out[r * size + c] = sum / ((r1 - r0) * (c1 - c0));
    }
  }
  return out;
}
