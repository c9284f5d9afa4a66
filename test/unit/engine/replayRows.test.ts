// The replay's arithmetic on hand-made tensors: scores = q·Kᵀ, the graph's scale and mask steps, softmax; grouped
// keys read by the right query heads.
import * as assert from 'assert';
import type { ScoreChain } from '../../../src/engine/queryKeyReplay';
import { LayerReplay, maskChoices, replayError, Tensor } from '../../../src/engine/replayRows';

const [H, N, D] = [4, 6, 3];
const values = (count: number, seed: number) => Float32Array.from({ length: count }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 2);
const query: Tensor = { dims: [1, H, N, D], data: values(H * N * D, 1) };
/** Two key heads, [1, 2, N, d]; query heads 0–1 share key head 0, 2–3 key head 1. */
const grouped: Tensor = { dims: [1, 2, N, D], data: values(2 * N * D, 2) };
/** The same keys repeated per query head and transposed, as the graph's MatMul sees them: [1, H, d, N]. */
const repeatedT: Tensor = { dims: [1, H, D, N], data: new Float32Array(H * D * N) };
for (let h = 0; h < H; h++) for (let k = 0; k < N; k++) for (let j = 0; j < D; j++) repeatedT.data[(h * D + j) * N + k] = grouped.data[(Math.floor(h / 2) * N + k) * D + j];
const scale: Tensor = { dims: [], data: Float32Array.of(Math.sqrt(D)) };
const chain: ScoreChain = { softmax: 's', matmul: 'm', query: 'q', keyT: 'kT', steps: [{ op: 'scale', kind: 'Div', operand: 'scale' }, { op: 'addMask', operand: 'mask' }] };
const operands = new Map([['scale', scale]]);

/** The attention of (h, q) written out plainly. */
function expectedRow(h: number, q: number, causal: boolean): number[] {
  const kh = Math.floor(h / 2);
  const scores = Array.from({ length: N }, (_, k) => {
    if (causal && k > q) return -Infinity;
    let s = 0;
    for (let j = 0; j < D; j++) s += query.data[(h * N + q) * D + j] * grouped.data[(kh * N + k) * D + j];
    return s / Math.sqrt(D);
  });
  const max = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

describe('replayed attention rows', () => {
  for (const causal of [false, true]) {
    it(`matches softmax(q·k / √d${causal ? ' + causal mask' : ''}) for transposed and grouped keys`, () => {
      const masks = [causal ? 'causal' : 'none'] as const;
      const fromT = new LayerReplay(chain, query, { layout: 'transposed', tensor: repeatedT }, operands, [...masks]);
      const fromGrouped = new LayerReplay(chain, query, { layout: 'grouped', tensor: grouped, mapping: 'blocked' }, operands, [...masks]);
      for (let h = 0; h < H; h++) {
        for (let q = 0; q < N; q++) {
          const want = expectedRow(h, q, causal);
          for (const layer of [fromT, fromGrouped]) layer.row(h, q).forEach((v, k) => assert.ok(Math.abs(v - want[k]) < 1e-6, `head ${h} row ${q} key ${k}`));
          if (causal) assert.strictEqual(fromT.row(h, q)[q + 1] ?? 0, 0);
        }
      }
    });
  }

  it('tells the head mappings apart, so the probe can pick the one the graph uses', () => {
    const expected = new Float32Array(H * N * N);
    for (let h = 0; h < H; h++) for (let q = 0; q < N; q++) expected.set(expectedRow(h, q, true), (h * N + q) * N);
    const error = (mapping: 'blocked' | 'interleaved') => replayError(new LayerReplay(chain, query, { layout: 'grouped', tensor: grouped, mapping }, operands, ['causal']), expected);
    assert.ok(error('blocked') < 1e-6);
    assert.ok(error('interleaved') > 1e-2);
    assert.ok(replayError(new LayerReplay(chain, query, { layout: 'grouped', tensor: grouped, mapping: 'blocked' }, operands, ['none']), expected) > 1e-2, 'a missing causal mask shows');
  });

  it('enumerates every mask reading, none first', () => {
    assert.deepStrictEqual(maskChoices(2), [['none', 'none'], ['none', 'causal'], ['causal', 'none'], ['causal', 'causal']]);
    assert.deepStrictEqual(maskChoices(0), [[]]);
  });

  it('names the shape it cannot replay', () => {
    assert.match(LayerReplay.shapeProblem(query, { layout: 'grouped', tensor: { dims: [1, 3, N, D], data: new Float32Array(3 * N * D) }, mapping: 'blocked' }, N) ?? '', /grouped keys have shape \[1, 3, 6, 3\]/);
    assert.match(LayerReplay.shapeProblem(query, { layout: 'transposed', tensor: repeatedT }, N + 1) ?? '', /queries have shape/);
    assert.strictEqual(LayerReplay.shapeProblem(query, { layout: 'transposed', tensor: repeatedT }, N), undefined);
  });
});
