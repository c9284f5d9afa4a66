// Where the editor marks an analysis: the analysed range (overview ruler and a gutter bar) and, when the text was
// longer than the model's limit, the point where the analysis stopped with the full length stated. Pure.
import type { AttentionResult } from '../engine/types';
import type { OffsetRange } from '../analysis/trackedRange';
import type { SessionResult } from '../analysis/analysisSession';

export interface AnalysisMarks {
  /** Document range the tokens cover. */
  analysed: OffsetRange;
  /** Document offset where the analysis stopped, and what to say there; undefined when nothing was cut. */
  truncation: { at: number; note: string } | undefined;
}

const count = (n: number) => n.toLocaleString('en-US');

/** Marks for an analysis whose text starts at document offset `base`. */
export function analysisMarks(result: SessionResult, base: number): AnalysisMarks {
  const coveredEnd = base + result.coveredRange.end;
  const analysed = { start: base + result.coveredRange.start, end: coveredEnd };
  if (!result.truncated) return { analysed, truncation: undefined };
  const note =
    `Attention Lens stopped here: ${count(result.tokens.length)} tokens (the limit) cover ${count(result.coveredRange.end)} ` +
    `of the ${count(result.text.length)} characters selected. Raise attentionLens.maxTokens (up to the model's ${count(result.model.maxTokens)}) or select less.`;
  return { analysed, truncation: { at: coveredEnd, note } };
}
