import * as assert from 'assert';
import { downsampleMatrix } from '../../../src/analysis/thumbnails';

describe('thumbnails', () => {
  it('mean-pools blocks so each thumbnail keeps the matrix mean', () => {
    const n = 70;
    const m = Float32Array.from({ length: n * n }, (_, i) => (i * 7919) % 13);
    const t = downsampleMatrix(m, n, 32);
    assert.strictEqual(t.length, 32 * 32);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    // Blocks are 2 or 3 wide, so the pooled mean is close to (not exactly) the full mean.
    assert.ok(Math.abs(mean(t) - mean(m)) < 0.3, `${mean(t)} vs ${mean(m)}`);
  });

  it('keeps small matrices unchanged and pools a diagonal onto the diagonal', () => {
    const id = Float32Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    assert.deepStrictEqual(Array.from(downsampleMatrix(id, 4, 4)), Array.from(id));
    const big = new Float32Array(64 * 64);
    for (let i = 0; i < 64; i++) big[i * 64 + i] = 1;
    const t = downsampleMatrix(big, 64, 32);
    for (let r = 0; r < 32; r++) for (let c = 0; c < 32; c++) assert.strictEqual(t[r * 32 + c], r === c ? 0.5 : 0);
  });
});
