import * as assert from 'assert';
import { headMatrix, maxOfHeads, meanOfHeads, previousTokenScore, rolloutStep, topKeys, headFocus } from '../../../src/engine/attention';

describe('attention math', () => {
  // Two heads over 2 tokens: head 0 looks at itself, head 1 at the other token.
  const layer = new Float32Array([1, 0, 0, 1, 0, 1, 1, 0]);

  it('slices one head without copying', () => {
    const h1 = headMatrix(layer, 2, 1);
    assert.deepStrictEqual(Array.from(h1), [0, 1, 1, 0]);
    assert.strictEqual(h1.buffer, layer.buffer);
  });

  it('averages and maxes over heads', () => {
    assert.deepStrictEqual(Array.from(meanOfHeads(layer, 2, 2)), [0.5, 0.5, 0.5, 0.5]);
    assert.deepStrictEqual(Array.from(maxOfHeads(layer, 2, 2)), [1, 1, 1, 1]);
  });

  it('a rollout step keeps rows summing to one and weighs the residual', () => {
    const r = rolloutStep(layer, 2, 2);
    assert.ok(Math.abs(r[0] + r[1] - 1) < 1e-6);
    assert.ok(Math.abs(r[0] - 0.75) < 1e-6);
  });

  it('ranks top keys and scores previous-token heads', () => {
    const prev = new Float32Array([1, 0, 0, 0.9, 0.1, 0, 0.2, 0.7, 0.1]);
    assert.deepStrictEqual(topKeys(prev, 3, 2, 2).map((t) => t.key), [1, 0]);
    assert.strictEqual(previousTokenScore(prev, 3), 1);
    assert.ok(Math.abs(headFocus(prev, 3) - (1 + 0.9 + 0.7) / 3) < 1e-6);
  });
});
