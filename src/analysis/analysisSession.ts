// One analysis bound to a stretch of a document: where its tokens are now, and whether the text still matches.
// Pure: no `vscode` (documents are named by URI string and read through a callback), so edits can be tested.
import type { LongAttention } from '../engine/longAttention';
import { AttentionLensError } from '../engine/errors';
import type { AttentionResult } from '../engine/types';
import { AttentionViews } from './attentionViews';
import { GroupedViews } from './groupedViews';
import { DEFAULT_WORD_PATTERN, type WordPattern } from '../../shared/granularity';
import type { DecoderRequest } from './decoderRequest';
import { LongAttentionViews } from './longAttentionViews';
import { TokenLocator, tokenDocumentRanges } from './tokenRanges';
import { applyChanges, type OffsetChange, type OffsetRange } from './trackedRange';

export interface SessionChange {
  /** `stale` flipped (the text changed, or changed back to what was analysed). */
  staleChanged: boolean;
  /** Token positions changed: anything painted from the old positions must be cleared or repainted. */
  moved: boolean;
}

/** Every matrix held (AttentionResult), or a long analysis whose rows are replayed on demand (LongAttention). */
export type SessionResult = AttentionResult | LongAttention;

export class AnalysisSession {
  readonly views: AttentionViews | LongAttentionViews;
  /** The analysis merged to words, identifiers or lines. */
  readonly grouped: GroupedViews;
  /** The language's identifier ranges in the analysed text; the editor side sets it from its word definition. */
  identifierSpans: () => WordPattern = () => DEFAULT_WORD_PATTERN;
  readonly createdAt = Date.now();
  private _range: OffsetRange;
  private _stale = false;
  private _ranges: (OffsetRange | undefined)[] | undefined;
  private _locator: TokenLocator | undefined;

  constructor(
    readonly id: string,
    readonly documentUri: string,
    range: OffsetRange,
    readonly result: SessionResult,
    readonly label: string,
    /** The target or continuation the decoder read (a re-run reads the same). */
    readonly decoder?: DecoderRequest,
  ) {
    this._range = { ...range };
    this.views = 'attention' in result ? new AttentionViews(result) : new LongAttentionViews(result);
    this.grouped = new GroupedViews(result, this.views, () => this.identifierSpans());
  }

  /** The document range analysed, moved and stretched by later edits (what a re-run analyses). */
  get range(): OffsetRange {
    return this._range;
  }

  /** The document text there no longer equals the analysed text. */
  get stale(): boolean {
    return this._stale;
  }

  /** The document text the analysis read: the result's text without a generated continuation. */
  get documentText(): string {
    const continuation = 'continuation' in this.result ? this.result.continuation : undefined;
    return continuation ? this.result.text.slice(0, continuation.start) : this.result.text;
  }

  /** Document offset range of every token (undefined for special and generated tokens); empty while stale. */
  get tokenRanges(): readonly (OffsetRange | undefined)[] {
    if (this._stale) return [];
    const generatedFrom = ('continuation' in this.result ? this.result.continuation?.firstToken : undefined) ?? Infinity;
    this._ranges ??= tokenDocumentRanges(this.result.tokens, this._range.start).map((r, i) => (i < generatedFrom ? r : undefined));
    return this._ranges;
  }

  /** The token at a document offset, undefined outside the analysed tokens or while stale. */
  tokenAt(offset: number): number | undefined {
    if (this._stale) return undefined;
    this._locator ??= new TokenLocator(this.tokenRanges);
    return this._locator.at(offset);
  }

  /**
   * Moves the analysis to where its text now is (the text was found at `start` after edits this session did not
   * see, e.g. while another analysis was shown). The analysis is fresh again.
   */
  relocate(start: number): void {
    this._range = { start, end: start + this.documentText.length };
    this._stale = false;
    this._ranges = undefined;
    this._locator = undefined;
  }

  /** The document changed where this session could not follow it (closed, edited elsewhere, reopened). */
  markStale(): void {
    this._stale = true;
  }

  /**
   * Follows one document change event. `textAt` reads the document after the change; it is only called when the
   * analysed text itself was edited, to notice an undo that restores it.
   */
  applyDocumentChanges(changes: readonly OffsetChange[], textAt: (range: OffsetRange) => string): SessionChange {
    const wasStale = this._stale;
    const next = applyChanges(this._range, changes);
    this._range = next.range;
    if (next.touched || (wasStale && next.shifted)) this._stale = textAt(this._range) !== this.documentText;
    const moved = next.shifted || next.touched;
    if (moved) {
      this._ranges = undefined;
      this._locator = undefined;
    }
    return { staleChanged: wasStale !== this._stale, moved };
  }
}

/** Offset of the occurrence of `needle` in `haystack` closest to `around`, or undefined when there is none. */
export function findNearest(haystack: string, needle: string, around: number): number | undefined {
  if (!needle) return undefined;
  let best: number | undefined;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    if (best === undefined || Math.abs(at - around) < Math.abs(best - around)) best = at;
    if (at > around) break;
  }
  return best;
}

/**
 * The whole-matrix result of `session`, or a clear refusal naming `feature` when the analysis took the long path
 * (queries and keys only, rows replayed on demand): the head finder, value norm and compare need every N×N matrix.
 */
export function wholeResult(session: Pick<AnalysisSession, 'result'>, feature: string): AttentionResult {
  const { result } = session;
  if ('attention' in result) return result;
  throw new AttentionLensError(
    'BAD_ARGUMENT',
    `${feature} needs every layer's whole attention matrices, and this analysis of ${result.tokens.length.toLocaleString('en-US')} tokens took the long-input path (rows replayed on demand).`,
    'Select a shorter stretch (whole matrices are kept up to 256 MiB of attention) and Show Attention again.',
  );
}
