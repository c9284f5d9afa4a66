// Keeps the analysed range of a document in step with edits, in UTF-16 offsets. Pure: no `vscode`.

export interface OffsetRange {
  start: number;
  end: number;
}

/** One content change as VS Code reports it: `rangeLength` characters at `rangeOffset` replaced by `textLength`. */
export interface OffsetChange {
  rangeOffset: number;
  rangeLength: number;
  textLength: number;
}

export interface RangeAfterEdits {
  range: OffsetRange;
  /** The analysed text itself changed: the analysis no longer matches it. */
  touched: boolean;
  /** The range moved (edits before it): decorations placed earlier sit on the wrong characters. */
  shifted: boolean;
}

/**
 * Applies the changes of one `onDidChangeTextDocument` event, in order (each offset is relative to the document after
 * the previous change). Edits before the range shift it; edits inside or across it mark it touched and stretch or
 * shrink it so that a re-run covers the text the user now sees there.
 */
export function applyChanges(range: OffsetRange, changes: readonly OffsetChange[]): RangeAfterEdits {
  let { start, end } = range;
  let touched = false;
  let shifted = false;
  for (const change of changes) {
    const changeStart = change.rangeOffset;
    const changeEnd = change.rangeOffset + change.rangeLength;
    const delta = change.textLength - change.rangeLength;
    if (changeEnd <= start && !(change.rangeLength === 0 && changeStart === start && start === end)) {
      // Entirely before (an insertion right at the start is outside the analysed text too).
      if (delta !== 0) shifted = true;
      start += delta;
      end += delta;
    } else if (changeStart >= end) {
      // Entirely after, including an insertion right at the end: nothing to do.
    } else {
      touched = true;
      const newStart = Math.min(start, changeStart);
      const newEnd = end >= changeEnd ? end + delta : changeStart + change.textLength;
      if (newStart !== start) shifted = true;
      start = newStart;
      end = Math.max(newStart, newEnd);
    }
  }
  return { range: { start, end }, touched, shifted };
}
