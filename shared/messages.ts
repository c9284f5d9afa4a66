// Messages between the extension host and its webviews (the attention panel and the side-panel overview).
// Imported by both sides: no `vscode`, no DOM. The host validates every webview message with
// `parseFromWebview` (the webview is the less-trusted side); every request gets exactly one response carrying
// either a result or `error`, and the webview times requests out after REQUEST_TIMEOUT_MS so none can hang.
// Matrices cross as Float32Array (structured clone); the host never sends the whole layers×heads×N×N tensor,
// only the one view the webview asks for.

import type { MatrixView } from './matrixView';

/** Milliseconds after which the webview gives up on a request and shows an error instead of waiting forever. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Largest PNG data URL the host accepts from `exportImage` (a 4k×4k heatmap stays well under it). */
export const MAX_IMAGE_DATA_URL_LENGTH = 64 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Shared shapes

export type ColorScale = 'linear' | 'sqrt' | 'log';

/** Where an analysis is: drives the panel's spinner / error line. */
export type AnalysisState = 'loading' | 'running' | 'ready' | 'error';

/** Which webview sent `ready`. */
export type WebviewSurface = 'panel' | 'sidePanel';

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
  /** The configured model's name while none is loaded ("bundled model", a folder name, a Hub id). */
  configuredModel?: string;
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

/** The webview has loaded and listens: the host answers with `init` (panel) or `overview` + `thumbnails` (side panel). */
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
