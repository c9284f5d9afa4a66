// The editor services the analysis controller and the panel host need, as interfaces: VS Code provides them
// (src/webviews/vscodeWorkbench.ts) and unit tests provide fakes, so neither owner imports `vscode`.
import type { AttentionEngine } from '../engine/analyze';
import type { LongAttentionEngine } from '../engine/longAnalysis';
import type { DecoderRequest } from './decoderRequest';
import type { OffsetRange } from './trackedRange';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A document the controller reads text from, named by its URI. */
export interface AnalysedDocument {
  uri: string;
  /** File name without folders ("main.ts"), for labels. */
  fileName: string;
  /** The whole text, or the text of `range` (UTF-16 offsets). */
  getText(range?: OffsetRange): string;
}

export interface Workbench {
  readonly log: Logger;
  /** Localises a message ({0}, {1}… are replaced by `args`). */
  t(message: string, ...args: (string | number)[]): string;
  info(message: string): void;
  warn(message: string): void;
  /** Shows one line with actions (Select Model…, Open Log); the details go to the log. */
  reportError(e: unknown, what: string): void;
  /** The open document with this URI, else opened from disk; undefined when it is gone. */
  openDocument(uri: string): Promise<AnalysedDocument | undefined>;
  /** Whether an editor tab shows this document (a reload restores analyses only of documents still open). */
  isOpenInTab(uri: string): boolean;
  /**
   * Calls `listener` whenever the tabs change while this document is open in one (a reload can restore the tabs
   * after the panel, and the user can open the file again); dispose to stop.
   */
  onDidShowInTab(uri: string, listener: () => void): { dispose(): void };
  /** Runs `task` behind a cancellable progress notification; Cancel aborts `abort`. */
  withProgress<T>(title: string, abort: AbortController, task: () => Promise<T>): Promise<T>;
  /** attentionLens.maxTokens now. */
  maxTokens(): number;
  /** Shows the document with `range` scrolled into view (nothing selected, so the tints stay visible). */
  revealRange?(uri: string, range: OffsetRange): Promise<void>;
  /**
   * Asks which target an encoder–decoder's decoder reads: typed text, or (left empty) the model's own output.
   * Undefined when the user dismissed the question.
   */
  askTarget(modelName: string): Promise<DecoderRequest | undefined>;
}

/** The engine as the controller uses it; with tokenCount, a selection too large to hold whole can take the long path. */
export type AnalysisEngine = Pick<AttentionEngine, 'info' | 'analyze'> & Partial<Pick<AttentionEngine, 'tokenCount'>>;

/** The long path's engine (rows replayed from queries and keys) as the controller uses it. */
export type LongEngine = Pick<LongAttentionEngine, 'info' | 'analyze' | 'method' | 'fallbackReason'>;

/** The window's model (ActiveModel) as the controller uses it. */
export interface EngineSource {
  readonly engineIfLoaded: AnalysisEngine | undefined;
  engine(): Promise<AnalysisEngine>;
  /** The loaded model opened for long inputs (once, on first use); absent where the source has none. */
  longEngine?(): Promise<LongEngine>;
}
