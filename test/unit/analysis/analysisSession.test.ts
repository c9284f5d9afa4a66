import * as assert from 'assert';
import { AnalysisSession, findNearest } from '../../../src/analysis/analysisSession';
import type { OffsetChange, OffsetRange } from '../../../src/analysis/trackedRange';
import { fakeResult } from '../support/fakeResult';

/** A document as a string plus the edit → change-event plumbing the editor would do. */
class FakeDocument {
  constructor(public text: string) {}
  edit(session: AnalysisSession, offset: number, length: number, insert: string) {
    this.text = this.text.slice(0, offset) + insert + this.text.slice(offset + length);
    const change: OffsetChange = { rangeOffset: offset, rangeLength: length, textLength: insert.length };
    return session.applyDocumentChanges([change], (r: OffsetRange) => this.text.slice(r.start, r.end));
  }
}

describe('an analysis following document edits', () => {
  const analysed = 'the cat sat';
  const doc = () => new FakeDocument(`// ${analysed} here`);
  const session = () => new AnalysisSession('a1', 'file:///x.ts', { start: 3, end: 14 }, fakeResult(analysed, 2, 2), 'x.ts');

  it('keeps each token on its characters when text is inserted before the range', () => {
    const d = doc();
    const s = session();
    const change = d.edit(s, 0, 0, 'let q = 1;\n');
    assert.deepStrictEqual(change, { staleChanged: false, moved: true });
    const cat = s.tokenRanges[2]!;
    assert.strictEqual(d.text.slice(cat.start, cat.end), 'cat');
    assert.strictEqual(s.tokenAt(cat.start + 1), 2);
  });

  it('goes stale on an edit inside the range, drops its token ranges, and recovers on undo', () => {
    const d = doc();
    const s = session();
    assert.deepStrictEqual(d.edit(s, 7, 3, 'dog'), { staleChanged: true, moved: true });
    assert.strictEqual(s.stale, true);
    assert.strictEqual(s.tokenRanges.length, 0);
    assert.strictEqual(s.tokenAt(8), undefined);
    assert.deepStrictEqual(s.range, { start: 3, end: 14 });
    assert.deepStrictEqual(d.edit(s, 7, 3, 'cat'), { staleChanged: true, moved: true });
    assert.strictEqual(s.stale, false);
    assert.strictEqual(d.text.slice(s.tokenRanges[3]!.start, s.tokenRanges[3]!.end), 'sat');
  });

  it('re-runs over the text now in the range, including what was typed inside it', () => {
    const d = doc();
    const s = session();
    d.edit(s, 10, 0, ' black');
    assert.strictEqual(d.text.slice(s.range.start, s.range.end), 'the cat black sat');
  });

  it('is untouched by edits after the range', () => {
    const d = doc();
    const s = session();
    assert.deepStrictEqual(d.edit(s, 15, 4, 'there'), { staleChanged: false, moved: false });
  });

  it('can be moved back onto its text after edits it did not see', () => {
    const d = new FakeDocument(`x\n// ${analysed} here; ${analysed}`);
    const s = session();
    const at = findNearest(d.text, analysed, s.range.start);
    assert.strictEqual(at, 5);
    s.relocate(at!);
    const sat = s.tokenRanges[3]!;
    assert.strictEqual(d.text.slice(sat.start, sat.end), 'sat');
    assert.strictEqual(findNearest(d.text, analysed, 30), 23);
    assert.strictEqual(findNearest(d.text, 'dog', 0), undefined);
  });
});
