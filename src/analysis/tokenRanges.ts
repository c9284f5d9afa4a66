// Token offsets (relative to the analysed text) ↔ document offsets. Pure: no `vscode`.
import type { Token } from '../engine/types';
import type { OffsetRange } from './trackedRange';

/**
 * Document offset range of every token, or undefined for tokens with no text (special tokens, empty pieces).
 * `base` is the document offset where the analysed text starts.
 */
export function tokenDocumentRanges(tokens: readonly Token[], base: number): (OffsetRange | undefined)[] {
  return tokens.map((t) => (t.special || t.end <= t.start ? undefined : { start: base + t.start, end: base + t.end }));
}

/** A sorted lookup built once per analysis, so the cursor → token step is O(log N) on every move. */
export class TokenLocator {
  private readonly indexed: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(readonly ranges: readonly (OffsetRange | undefined)[]) {
    ranges.forEach((r, i) => {
      if (!r) return;
      this.indexed.push(i);
      this.starts.push(r.start);
      this.ends.push(r.end);
    });
  }

  /** Token index whose text contains document `offset`; a cursor right after a token (with no token starting there) counts for it. */
  at(offset: number): number | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    let candidate: number | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offset < this.starts[mid]) hi = mid - 1;
      else if (offset >= this.ends[mid]) {
        if (offset === this.ends[mid]) candidate = this.indexed[mid];
        lo = mid + 1;
      } else return this.indexed[mid];
    }
    return candidate;
  }
}
