import * as assert from 'assert';
import fc from 'fast-check';
import { applyChanges } from '../../../src/analysis/trackedRange';

/** Applies one change to a string the way the editor would. */
function edit(doc: string, offset: number, length: number, text: string): string {
  return doc.slice(0, offset) + text + doc.slice(offset + length);
}

describe('analysed range tracking', () => {
  const doc = 'alpha beta gamma delta';
  const range = { start: 6, end: 16 }; // "beta gamma"

  it('shifts the range when text is typed before it, and leaves the analysis fresh', () => {
    const r = applyChanges(range, [{ rangeOffset: 0, rangeLength: 0, textLength: 3 }]);
    assert.deepStrictEqual(r, { range: { start: 9, end: 19 }, touched: false, shifted: true });
  });

  it('ignores edits after the range, including typing right at its end', () => {
    const r = applyChanges(range, [{ rangeOffset: 16, rangeLength: 0, textLength: 4 }]);
    assert.deepStrictEqual(r, { range, touched: false, shifted: false });
  });

  it('treats typing right at the start as outside the analysed text', () => {
    const r = applyChanges(range, [{ rangeOffset: 6, rangeLength: 0, textLength: 2 }]);
    assert.deepStrictEqual(r.range, { start: 8, end: 18 });
    assert.strictEqual(r.touched, false);
  });

  it('marks the analysis stale on an edit inside and grows the range to cover the new text', () => {
    const r = applyChanges(range, [{ rangeOffset: 10, rangeLength: 1, textLength: 5 }]);
    assert.deepStrictEqual(r, { range: { start: 6, end: 20 }, touched: true, shifted: false });
  });

  it('clamps a deletion that swallows the start of the range', () => {
    const r = applyChanges(range, [{ rangeOffset: 2, rangeLength: 6, textLength: 0 }]);
    assert.deepStrictEqual(r, { range: { start: 2, end: 10 }, touched: true, shifted: true });
    assert.strictEqual(edit(doc, 2, 6, '').slice(2, 10), 'ta gamma');
  });

  it('applies the changes of one event in order (multi-cursor edits)', () => {
    const r = applyChanges(range, [
      { rangeOffset: 20, rangeLength: 0, textLength: 1 },
      { rangeOffset: 0, rangeLength: 5, textLength: 1 },
    ]);
    assert.deepStrictEqual(r.range, { start: 2, end: 12 });
  });

  it('keeps the analysed text under the range whenever it reports the range untouched', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 2, maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        fc.array(fc.record({ at: fc.nat(), len: fc.nat({ max: 6 }), text: fc.string({ maxLength: 6 }) }), { maxLength: 4 }),
        (text, a, b, edits) => {
          let d = text;
          const s = a % d.length;
          const e = s + 1 + (b % (d.length - s));
          const analysed = d.slice(s, e);
          let r = { start: s, end: e };
          let touched = false;
          for (const x of edits) {
            const offset = x.at % (d.length + 1);
            const length = Math.min(x.len, d.length - offset);
            d = edit(d, offset, length, x.text);
            const next = applyChanges(r, [{ rangeOffset: offset, rangeLength: length, textLength: x.text.length }]);
            touched ||= next.touched;
            r = next.range;
            assert.ok(0 <= r.start && r.start <= r.end && r.end <= d.length, `range ${JSON.stringify(r)} outside ${d.length}`);
          }
          if (!touched) assert.strictEqual(d.slice(r.start, r.end), analysed);
        },
      ),
      { numRuns: 500 },
    );
  });
});
