import * as assert from 'assert';
import { maxOfHeads, meanOfHeads } from '../../../src/engine/attention';
import { AttentionViews } from '../../../src/analysis/attentionViews';
import { fakeResult } from '../support/fakeResult';
import { rolloutReference as rollout } from '../support/rolloutReference';

function close(a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-5): void {
  assert.strictEqual(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < eps, `index ${i}: ${a[i]} vs ${b[i]}`);
}

describe('matrix views of an analysis', () => {
  const result = fakeResult('the cat sat on the mat today', 3, 4);
  const n = result.tokens.length;
  const views = new AttentionViews(result);

  it('answers a head with the slice of the layer, without copying', () => {
    const m = views.matrix({ layer: 1, head: 2 });
    assert.strictEqual(m.buffer, result.attention[1].buffer);
    close(m, result.attention[1].subarray(2 * n * n, 3 * n * n));
  });

  it('computes rows that match the full mean, max and rollout matrices', () => {
    const mean = meanOfHeads(result.attention[2], 4, n);
    const max = maxOfHeads(result.attention[0], 4, n);
    const roll = rollout(result.attention, 4, n, 1);
    for (const q of [0, 3, n - 1]) {
      close(views.row({ layer: 2, aggregate: 'mean' }, q), mean.subarray(q * n, (q + 1) * n));
      close(views.row({ layer: 0, aggregate: 'max' }, q), max.subarray(q * n, (q + 1) * n));
      close(views.row({ aggregate: 'rollout', layer: 1 }, q), roll.subarray(q * n, (q + 1) * n));
    }
  });

  it('builds the whole rollout matrix asynchronously, equal to the reference', async () => {
    close(await views.matrixAsync({ aggregate: 'rollout' }), rollout(result.attention, 4, n));
    close(views.matrix({ layer: 2, aggregate: 'mean' }), meanOfHeads(result.attention[2], 4, n));
  });

  it('rejects views outside the model', () => {
    assert.strictEqual(views.fits({ layer: 3, head: 0 }), false);
    assert.strictEqual(views.fits({ layer: 2, head: 4 }), false);
    assert.strictEqual(views.fits({ aggregate: 'rollout', layer: 2 }), true);
    assert.strictEqual(views.fits({ aggregate: 'rollout' }), true);
  });
});
