import * as assert from 'assert';
import { analysisMarks } from '../../../src/editor/analysisMarks';
import { fakeResult } from '../support/fakeResult';

describe('editor marks of an analysis', () => {
  it('marks the analysed range at its document offsets and nothing else when the text fit', () => {
    const marks = analysisMarks(fakeResult('the cat sat', 1, 1), 40);
    assert.deepStrictEqual(marks, { analysed: { start: 40, end: 51 }, truncation: undefined });
  });

  it('marks where a truncated analysis stopped and states the full length', () => {
    const result = fakeResult('the cat sat on the mat', 1, 1);
    result.truncated = true;
    result.coveredRange = { start: 0, end: 7 };
    result.tokens = result.tokens.slice(0, 3);
    const marks = analysisMarks(result, 100);
    assert.deepStrictEqual(marks.analysed, { start: 100, end: 107 });
    assert.strictEqual(marks.truncation!.at, 107);
    assert.match(marks.truncation!.note, /3 tokens \(the limit\) cover 7 of the 22 characters selected/);
    assert.match(marks.truncation!.note, /attentionLens\.maxTokens/);
  });
});
