// Messages between the extension host and its webviews (the attention panel and the side panel). Types only.
// Imported by both sides: no `vscode`, no DOM. The host validates every webview message with `parseFromWebview`
// (the webview is the less-trusted side). Requests that need an answer travel in the envelope of `messenger.ts`
// (ids, ready gate, timeout, error reply); their shapes are declared once here, in HostRequests / PanelRequests.
// Matrices cross as Float32Array (structured clone); the host never sends the whole layers×heads×N×N tensor,
// only the one view the webview asks for.

import type { FigureSpec } from './figure';
import type { Granularity } from './granularity';
import type { MatrixView } from './matrixView';
import type { QueryDirection } from './spanQueries';
import type { ReplyEnvelope, RequestEnvelope } from './messenger';

/** Largest PNG data URL the host accepts from the panel (a 4k×4k heatmap stays well under it). */
export const MAX_IMAGE_DATA_URL_LENGTH = 64 * 1024 * 1024;
export const PNG_DATA_URL_PREFIX = 'data:image/png;base64,';

// ---------------------------------------------------------------------------------------------------------------
// Shared shapes

export type ColorScale = 'linear' | 'sqrt' | 'log';

/** What a cell shows: the attention weights, or the weights scaled by the norm of the transformed value vectors. */
export type Weighting = 'weights' | 'value-norm';

/**
 * Where the analysis is, for every surface that shows it (panel status line, stale banner, status bar).
 * `stale` may carry a message (the analysis ended with the last window and waits for Re-run).
 */
export type AnalysisStatus =
  | { kind: 'idle' }
  | { kind: 'loading'; detail?: string }
  | { kind: 'running' }
  | { kind: 'ready' }
  | { kind: 'stale'; message?: string }
  | { kind: 'error'; message: string }
  /** The user cancelled the run; the message says how to start again. */
  | { kind: 'cancelled'; message: string };

/** The two webviews (each has its own bundle). */
export type WebviewSurface = 'panel' | 'sidePanel';

/** The model facts the webviews show (a subset of the engine's ModelInfo). */
export interface ModelFacts {
  name: string;
  layers: number;
  heads: number;
  /** Decoder-only: weights above the diagonal are zero. */
  causal: boolean;
  /** Encoder–decoder only: the decoder's shape (layers/heads above are then the encoder's). */
  decoder?: { layers: number; heads: number; crossHeads: number };
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
  /** Still in memory: opening it shows it at once instead of running the model again. */
  cached?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests (answered through the messenger's reply envelope)

/** How the panel reads attention: at which granularity, and in which direction from the query. */
export interface Reading {
  granularity: Granularity;
  direction: QueryDirection;
}

/** Panel → host: one matrix view at a granularity, row-major [query][key] over its groups (tokens: N×N). */
export interface MatrixRequest {
  type: 'requestMatrix';
  view: MatrixView;
  granularity: Granularity;
  /** 'value-norm': α_ij · ‖f_h(x_j)‖ (Kobayashi et al. 2020), unnormalised; default: the weights. */
  weighting?: Weighting;
}

/** Panel → host: the rows/columns of a granularity (words, identifiers, lines), as the panel labels them. */
export interface GroupsRequest {
  type: 'requestGroups';
  granularity: Granularity;
}

/** Panel → host: save the figure on screen, as the PNG the panel painted or as SVG written from its spec. */
export type ExportImageRequest =
  | { type: 'exportImage'; format: 'png'; dataUrl: string; view: MatrixView; granularity: Granularity }
  | { type: 'exportImage'; format: 'svg'; figure: FigureSpec; view: MatrixView; granularity: Granularity };

/**
 * Panel → host: save data: CSV or JSON of the current view or of every layer and head (`scope`), or the offline
 * HTML report (always every layer and head), at the panel's granularity.
 */
export interface ExportDataRequest {
  type: 'exportData';
  format: 'csv' | 'json' | 'html';
  scope: 'view' | 'all';
  view: MatrixView;
  granularity: Granularity;
}

/** Host → panel: draw the figure on screen as a PNG (the Export Heatmap command). */
export interface RenderPngRequest {
  type: 'renderPng';
}

/** A saved file's path, or null when the user closed the save dialog. */
export interface ExportReply {
  savedTo: string | null;
}

/** What the host answers to each panel request. */
export type HostRequests = {
  /**
   * `n` keys per row; `queries` rows when they differ from `n` (cross-attention: target queries × source keys).
   * `granularity` is what the matrix is merged to: the encoder's (source) view follows the request; decoder and
   * cross-attention views stay at tokens (the target has no editor, so no words/identifiers/lines to group by).
   */
  requestMatrix: { request: MatrixRequest; result: { view: MatrixView; granularity: Granularity; n: number; data: Float32Array; queries?: number } };
  requestGroups: { request: GroupsRequest; result: { granularity: Granularity; groups: WebviewToken[] } };
  exportImage: { request: ExportImageRequest; result: ExportReply };
  exportData: { request: ExportDataRequest; result: ExportReply };
  compareHeads: { request: CompareHeadsRequest; result: CompareHeadsReply };
  compareEdit: { request: CompareEditRequest; result: CompareEditReply };
  compareModel: { request: CompareModelRequest; result: CompareEditReply };
  requestOverview: { request: OverviewRequest; result: OverviewReply };
  requestTile: { request: TileRequest; result: TileReply };
};
import type { OverviewReply, OverviewRequest, TileReply, TileRequest } from './longMessages';

/** What the panel answers to each host request. */
export type PanelRequests = {
  renderPng: { request: RenderPngRequest; result: { dataUrl: string } };
};

export type { CompareEditReply, CompareEditRequest, CompareHeadsReply, CompareHeadsRequest, CompareModelRequest } from './compareMessages';
import type { CompareEditReply, CompareEditRequest, CompareHeadsReply, CompareHeadsRequest, CompareModelRequest } from './compareMessages';

export type HostRequest = HostRequests[keyof HostRequests]['request'];
export type PanelRequest = PanelRequests[keyof PanelRequests]['request'];

// ---------------------------------------------------------------------------------------------------------------
// Host → webview

/** Answer to the `ready` handshake of the panel: everything to draw the first frame. */
export interface InitMessage {
  type: 'init';
  analysisId: string;
  model: ModelFacts;
  /** The analysed text (the covered range only), so the token strip can show whitespace between tokens. */
  text: string;
  tokens: WebviewToken[];
  /** Number of tokens = matrix side. */
  n: number;
  /** Hide special tokens ([CLS], [SEP], <s>…) from axes and the strip. */
  hideSpecialTokens: boolean;
  colorScale: ColorScale;
  /** The text changed since this analysis ran. */
  stale: boolean;
  /** The view to show (the host owns it: the webview reports every change with `viewChanged`). */
  view: MatrixView;
  /** The input was longer than the model's limit and was cut. */
  truncated: boolean;
  /** The exported figure's first title lines: file and range, model and revision. */
  figureTitle: string[];
  /** Characters of the selection (more than `text` holds when the analysis was truncated). */
  selectedLength: number;
  /** Why it was cut when memory (not the token setting) set the limit; shown instead of the generic notice. */
  memoryLimitNote?: string;
  /** Most of the text is the unknown token ([UNK]): which model reads it instead. */
  unknownTokensNote?: string;
  /** Encoder–decoder: the target text the decoder read (given or generated); it has no editor, the panel shows it. */
  target?: TargetText;
  /** Decoder-only with a continuation: tokens from `firstToken` on were generated (they are past the editor's text). */
  continuation?: { firstToken: number };
}

/** The decoder's input as the panel's second token strip shows it (offsets are UTF-16 into `text`). */
export interface TargetText {
  text: string;
  tokens: WebviewToken[];
  /** The model wrote it (greedy decoding) rather than the user. */
  generated: boolean;
}

/** The editor cursor or mouse is on a token: highlight that query row (null clears). */
export interface FocusQueryMessage {
  type: 'focusQuery';
  query: number | null;
}

/** Progress, failure or staleness of the analysis behind this view. */
export interface StatusMessage {
  type: 'status';
  status: AnalysisStatus;
}

/** Settings changed while the view is open. */
export interface SettingsMessage {
  type: 'settings';
  hideSpecialTokens: boolean;
  colorScale: ColorScale;
}

/** Side panel: the current model and this window's analyses (model null before any model is loaded). */
export interface SidePanelStateMessage {
  type: 'sidePanelState';
  model: ModelFacts | null;
  /** The configured model's name while none is loaded ("bundled model", a folder name, a Hub id). */
  configuredModel?: string;
  recent: RecentAnalysis[];
  currentAnalysisId: string | null;
  /** The head the attention panel shows (its thumbnail is marked), null for an aggregate or no panel. */
  shownHead: { layer: number; head: number } | null;
}

/**
 * Side panel: every layer×head downsampled to size×size. `data` holds layers·heads·size·size floats laid out
 * [layer][head][row][col] (see `thumbnailsOf`).
 */
export interface ThumbnailsMessage {
  type: 'thumbnails';
  analysisId: string;
  layers: number;
  heads: number;
  size: number;
  data: Float32Array;
}

/** Show this view in the panel (a side-panel thumbnail was clicked); the panel does not echo it back. */
export interface ShowViewMessage {
  type: 'showView';
  view: MatrixView;
}

/** Panel: what the lens tools can offer for this analysis (value-norm needs the graph's output projection). */
export interface PanelFeaturesMessage {
  type: 'panelFeatures';
  analysisId: string;
  valueNorm: { available: true } | { available: false; reason: string };
}

/** One column of the head finder: a score, its short label and the line that says what it measures. */
export interface HeadFinderColumn {
  name: string;
  label: string;
  description: string;
}

/**
 * Side panel: the head finder's table for the current analysis. `rows[i].scores` follow `columns`; null where a score
 * does not apply. `status` 'computing' comes first (the table may be empty), then 'ready' or 'error'.
 */
export interface HeadFinderMessage {
  type: 'headFinder';
  analysisId: string;
  status: 'computing' | 'ready' | 'error';
  message?: string;
  columns: HeadFinderColumn[];
  rows: { layer: number; head: number; scores: (number | null)[] }[];
  /** How the probe ran, why a score is missing, and the like. */
  notes: string[];
}

export type ToWebviewMessage =
  | ShowViewMessage
  | InitMessage
  | FocusQueryMessage
  | StatusMessage
  | SettingsMessage
  | SidePanelStateMessage
  | ThumbnailsMessage
  | RequestEnvelope<PanelRequest>
  | ReplyEnvelope
  | PanelFeaturesMessage
  | HeadFinderMessage;

// ---------------------------------------------------------------------------------------------------------------
// Webview → host

/** The webview has loaded and listens: the host answers with `init` (panel) or its state and thumbnails (side panel). */
export interface ReadyMessage {
  type: 'ready';
}

/** The user hovers a query token in the webview (the pinned one when the pointer leaves): the host tints the editor. */
export interface HoverQueryMessage {
  type: 'hoverQuery';
  /** A row/column at `reading.granularity` (a token, word, identifier or line). */
  query: number | null;
  view: MatrixView;
  reading: Reading;
}

/** Pin a query token (null unpins): its tints stay in the editor until unpinned. */
export interface PinQueryMessage {
  type: 'pinQuery';
  query: number | null;
  view: MatrixView;
  reading: Reading;
}

/** A span dragged along a heatmap axis (rows/columns at `reading.granularity`) is the query; null clears. */
export interface QuerySpanMessage {
  type: 'querySpan';
  span: number[] | null;
  view: MatrixView;
  reading: Reading;
}

/** The user picked another layer/head/aggregate in the panel (the host re-tints the editor for a pinned token). */
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

/** "How to read this": open media/how-to-read-attention.md in the markdown preview. */
export interface OpenGuideMessage {
  type: 'openGuide';
}

export type FromWebviewMessage =
  | ReadyMessage
  | HoverQueryMessage
  | PinQueryMessage
  | QuerySpanMessage
  | ViewChangedMessage
  | OpenHeadMessage
  | OpenAnalysisMessage
  | RerunMessage
  | SelectModelMessage
  | LogMessage
  | RequestEnvelope<HostRequest>
  | ReplyEnvelope
  | OpenGuideMessage;
