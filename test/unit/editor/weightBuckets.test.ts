import * as assert from 'assert';
import { bucketOf, planPaint, scaleWeight, TINT_BUCKETS } from '../../../src/editor/weightBuckets';
import { tokenDocumentRanges } from '../../../src/analysis/tokenRanges';
import { AttentionViews } from '../../../src/analysis/attentionViews';
import { fakeResult, wordTokens } from '../support/fakeResult';

describe('editor tint buckets', () => {
  it('scales weights linearly, by square root, or over three decades', () => {
    assert.strictEqual(scaleWeight(0.25, 'linear'), 0.25);
    assert.strictEqual(scaleWeight(0.25, 'sqrt'), 0.5);
    assert.ok(Math.abs(scaleWeight(0.01, 'log') - 1 / 3) < 1e-9);
    assert.strictEqual(scaleWeight(0.0001, 'log'), 0);
    assert.strictEqual(scaleWeight(0, 'sqrt'), 0);
  });

  it('leaves near-zero weights untinted and puts the strongest in the top bucket', () => {
    assert.strictEqual(bucketOf(0.01), -1);
    assert.strictEqual(bucketOf(1), TINT_BUCKETS - 1);
    assert.strictEqual(bucketOf(0.5, 8), 3);
  });

  it('outlines the query token and tints every other token by the weight it receives', () => {
    const tokens = wordTokens('a bb ccc');
    const ranges = tokenDocumentRanges(tokens, 50);
    // [CLS] takes most weight, but it has no text: "ccc" is the strongest paintable key and gets the top bucket.
    const row = [0.6, 0.02, 0.1, 0.28, 0];
    const plan = planPaint(row, ranges, 2, 'linear');
    assert.deepStrictEqual(plan.outline, { start: 52, end: 54 });
    assert.deepStrictEqual(plan.buckets[TINT_BUCKETS - 1], [{ start: 55, end: 58 }]);
    assert.deepStrictEqual(plan.buckets[2], [{ start: 52, end: 54 }]); // 0.1/0.28·8 = 2.86 → level 3
    assert.deepStrictEqual(plan.buckets[0], [{ start: 50, end: 51 }]); // 0.02/0.28·8 = 0.57 → level 1
    assert.strictEqual(plan.painted, 3);
  });

  it('paints nothing when no paintable token receives weight', () => {
    const ranges = tokenDocumentRanges(wordTokens('x y'), 0);
    const plan = planPaint([1, 0, 0, 0], ranges, 1, 'sqrt');
    assert.strictEqual(plan.painted, 0);
    assert.ok(plan.buckets.every((b) => b.length === 0));
  });

  it('plans a 512-token row from the rollout view, every painted token in exactly one bucket', () => {
    const text = Array.from({ length: 510 }, (_, i) => `w${i}`).join(' ');
    const result = fakeResult(text, 4, 4);
    assert.strictEqual(result.tokens.length, 512);
    const views = new AttentionViews(result);
    const ranges = tokenDocumentRanges(result.tokens, 0);
    const plan = planPaint(views.row({ aggregate: 'rollout' }, 200), ranges, 200, 'sqrt');
    const all = plan.buckets.flat();
    assert.strictEqual(all.length, plan.painted);
    assert.strictEqual(new Set(all.map((r) => r.start)).size, all.length);
    assert.ok(plan.buckets[TINT_BUCKETS - 1].length >= 1);
  });
});
