import * as assert from 'assert';
import { AttentionViews } from '../../../src/analysis/attentionViews';
import { GroupedViews } from '../../../src/analysis/groupedViews';
import type { Token } from '../../../src/engine/types';
import { fakeResult } from '../support/fakeResult';

describe('an analysis at word granularity', () => {
  // "fibonacci of n" as BERT pieces: fib ##on ##acci | of | n
  const text = 'fibonacci of n';
  const tokens: Token[] = [
    { id: 101, text: '[CLS]', start: 0, end: 0, special: true },
    { id: 1, text: 'fib', start: 0, end: 3, special: false },
    { id: 2, text: '##on', start: 3, end: 5, special: false },
    { id: 3, text: '##acci', start: 5, end: 9, special: false },
    { id: 4, text: 'of', start: 10, end: 12, special: false },
    { id: 5, text: 'n', start: 13, end: 14, special: false },
    { id: 102, text: '[SEP]', start: 14, end: 14, special: true },
  ];
  const result = fakeResult(text, 2, 2, 5, tokens);
  const views = new AttentionViews(result);
  const grouped = new GroupedViews(result, views, () => []);
  const view = { layer: 1, head: 0 };

  it('merges the matrix to words and remembers the groups', async () => {
    const groups = grouped.groups('words');
    assert.deepStrictEqual(groups.map((g) => g.text), ['[CLS]', 'fibonacci', 'of', 'n', '[SEP]']);
    assert.strictEqual(grouped.groups('words'), groups);
    const m = await grouped.matrix(view, 'words');
    assert.strictEqual(m.length, 25);
    const token = views.matrix(view);
    // "of" → "fibonacci" = the sum of "of"'s weights on the three pieces.
    assert.ok(Math.abs(m[2 * 5 + 1] - (token[4 * 7 + 1] + token[4 * 7 + 2] + token[4 * 7 + 3])) < 1e-6);
  });

  it('tints every piece of a word with the word\'s weight, for a span and in the column mode', async () => {
    const span = grouped.spanOfToken(2, 'words');
    assert.deepStrictEqual(span, [1, 2, 3]);
    const merged = await grouped.matrix(view, 'words');
    const to = await grouped.spanWeights(view, 'words', span, 'attendsTo');
    assert.ok(Math.abs(to[4] - merged[1 * 5 + 2]) < 1e-6, 'fibonacci → of');
    assert.strictEqual(to[1], to[3], 'all pieces of fibonacci carry the same weight');
    const by = await grouped.spanWeights(view, 'words', span, 'attendedBy');
    assert.ok(Math.abs(by[4] - merged[2 * 5 + 1]) < 1e-6, 'of → fibonacci');
    const tokenLevel = await grouped.spanWeights(view, 'tokens', [4], 'attendsTo');
    assert.deepStrictEqual(Array.from(tokenLevel), Array.from(views.row(view, 4)));
  });
});
