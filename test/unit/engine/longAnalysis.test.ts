// Long inputs: exact rows replayed from each layer's queries and keys, checked against PyTorch's attention (every
// fixture, and a LLaMA-architecture model with rotary positions and grouped-query attention at ~2,000 tokens), a
// max-pooled overview per head, and the full path as a stated fallback.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AttentionEngine } from '../../../src/engine/analyze';
import { LongAttentionEngine } from '../../../src/engine/longAnalysis';
import type { LongAttention } from '../../../src/engine/longAttention';
import { copyModel, MODELS, readReference, referenceFiles, ROOT, tempDir } from './helpers';

interface LongReference {
  layers: number;
  heads: number;
  kv_heads: number;
  cases: { name: string; text: string; ids: number[]; queries: number[]; rows: Record<string, number[][][]> }[];
}
export const LONG_REFERENCE = path.join(ROOT, 'test', 'fixtures', 'long', 'llama-references.json');

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.strictEqual(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('long inputs: replayed rows', function () {
  this.timeout(180000);
  const cacheDir = tempDir('long-cache');

  // Layouts the replay does not trace fall back to keeping every Softmax output, saying why; rows stay exact.
  const FALLBACK: Record<string, RegExp> = {
    'bart-joint.json': /encoder–decoder exported as one graph/,
    'bart.json': /Reshape node .* reshapes the scores between the query·key MatMul and the Softmax \(the \[batch·heads, N, N\] layout/, // [batch·heads, N, N] bmm layout
    'bart-merged.json': /Reshape node .* reshapes the scores between the query·key MatMul and the Softmax \(the \[batch·heads, N, N\] layout/,
    'opt.json': /Reshape node .* reshapes the scores between the query·key MatMul and the Softmax \(the \[batch·heads, N, N\] layout/,
    'gpt-bigcode.json': /does not lead back to a query·key MatMul/, // multi-query [batch, N, heads, N]
    't5.json': /position bias/, // relative position bias added to the scores
  };

  for (const file of referenceFiles()) {
    const ref = readReference(file);
    const fallback = FALLBACK[file];
    it(`${fallback ? 'falls back with a stated reason and keeps' : 'replays'} every row of ${file} within its tolerance of PyTorch`, async () => {
      const onnx = path.basename(ref.onnx);
      const variant = onnx === 'model.onnx' || onnx === 'decoder_model.onnx' || onnx === 'encoder_model.onnx' ? undefined : onnx;
      const engine = await LongAttentionEngine.open(path.join(MODELS, ref.model), { cacheDir, variant });
      try {
        if (fallback) {
          assert.strictEqual(engine.method, 'full');
          assert.match(engine.fallbackReason ?? '', fallback);
        } else {
          assert.strictEqual(engine.method, 'replay', engine.fallbackReason);
        }
        const causal = (ref as { causal?: boolean }).causal ?? ref.model.startsWith('gpt2');
        assert.deepStrictEqual([engine.info.layers, engine.info.heads, engine.info.causal], [ref.layers, ref.heads, causal]);
        for (const c of ref.cases) {
          const r = await engine.analyze(c.text);
          assert.deepStrictEqual(r.tokens.map((t) => t.id), c.ids);
          let worst = 0;
          for (let l = 0; l < ref.layers; l++) for (let h = 0; h < ref.heads; h++) for (let q = 0; q < c.ids.length; q++) worst = Math.max(worst, maxDiff(r.row(l, h, q), c.attention[l][h][q]));
          assert.ok(worst <= ref.tolerance, `${c.name}: max |Δ| ${worst}`);
        }
      } finally {
        await engine.dispose();
      }
    });
  }

  describe('LLaMA architecture (rotary positions, 4 heads sharing 2 key/value heads, 8,192 positions)', () => {
    const ref = JSON.parse(fs.readFileSync(LONG_REFERENCE, 'utf8')) as LongReference;
    const c = ref.cases.find((x) => x.ids.length <= 2048) as LongReference['cases'][number];
    let engine: LongAttentionEngine;
    let r: LongAttention;
    before(async () => {
      engine = await LongAttentionEngine.open(path.join(MODELS, 'llama'), { cacheDir });
      r = await engine.analyze(c.text);
    });
    after(() => engine?.dispose());

    it('opens with the replay and the model\'s own limit', () => {
      assert.strictEqual(engine.method, 'replay', engine.fallbackReason);
      assert.deepStrictEqual([engine.info.layers, engine.info.heads, engine.info.causal, engine.info.maxTokens], [ref.layers, ref.heads, true, 8192]);
    });

    it(`gives PyTorch's exact rows of sampled tokens among ${c.ids.length}`, () => {
      assert.deepStrictEqual(r.tokens.map((t) => t.id), c.ids);
      for (const q of c.queries) {
        const rows = r.queryRows(q);
        assert.deepStrictEqual([rows.length, rows[0].length, rows[0][0].length], [ref.layers, ref.heads, c.ids.length]);
        let worst = 0;
        rows.forEach((layer, l) => layer.forEach((row, h) => (worst = Math.max(worst, maxDiff(row, c.rows[String(q)][l][h])))));
        assert.ok(worst <= 1e-5, `query ${q}: max |Δ| ${worst}`);
        for (const layer of rows) for (const row of layer) for (let k = q + 1; k < row.length; k++) assert.strictEqual(row[k], 0, 'causal: nothing after the query');
      }
    });

    it('keeps the 2 key/value heads before repeat_kv, query heads 0–1 reading the first and 2–3 the second', () => {
      assert.deepStrictEqual(engine.keyLayouts, ['grouped/blocked', 'grouped/blocked']);
      const q = c.queries[c.queries.length - 1];
      const rows = r.queryRows(q)[0];
      assert.ok(maxDiff(rows[0], rows[1]) > 1e-3, 'heads 0 and 1 share keys but not queries');
    });

    it('max-pools each head into at most 256×256 cells, each the largest weight of its tile', () => {
      const { tile, cells, layers } = r.overview;
      const n = c.ids.length;
      assert.deepStrictEqual([tile, cells], [Math.ceil(n / 256), Math.ceil(n / Math.ceil(n / 256))]);
      assert.strictEqual(layers[1].length, ref.heads * cells * cells);
      for (const [l, h, cellRow] of [[0, 0, 0], [1, 3, cells - 1], [1, 2, Math.floor(cells / 2)]]) {
        const expected = new Float32Array(cells);
        for (let q = cellRow * tile; q < Math.min(n, (cellRow + 1) * tile); q++) {
          r.row(l, h, q).forEach((v, k) => (expected[Math.floor(k / tile)] = Math.max(expected[Math.floor(k / tile)], v)));
        }
        const base = (h * cells + cellRow) * cells;
        assert.ok(maxDiff(layers[l].subarray(base, base + cells), expected) <= 1e-5, `layer ${l} head ${h} cell row ${cellRow}`);
      }
    });

    it('zooms into an overview cell with its exact weights', () => {
      const { tile, cells, layers } = r.overview;
      const n = c.ids.length;
      const [row, col] = [cells - 1, cells - 2];
      const queries = { start: row * tile, end: n };
      const keys = { start: col * tile, end: (col + 1) * tile };
      const cellsOfTile = r.tile(1, 3, queries, keys);
      assert.strictEqual(cellsOfTile.length, (queries.end - queries.start) * tile);
      assert.ok(Math.abs(Math.max(...cellsOfTile) - layers[1][(3 * cells + row) * cells + col]) <= 1e-5, 'the cell is the largest weight of its tile');
      assert.deepStrictEqual(cellsOfTile.subarray(0, tile), r.row(1, 3, queries.start).subarray(keys.start, keys.end));
      assert.throws(() => r.tile(1, 3, { start: 0, end: n + 1 }, keys), /tile ranges must lie within 0–2000/);
    });

    it('replays the same model exported at opset 17 (CastLike ordering) just as exactly', async () => {
      const opset17 = await LongAttentionEngine.open(path.join(MODELS, 'llama'), { cacheDir, variant: 'model_opset17.onnx' });
      try {
        assert.strictEqual(opset17.method, 'replay', opset17.fallbackReason);
        const r17 = await opset17.analyze(c.text);
        const q = c.queries[1];
        let worst = 0;
        r17.queryRows(q).forEach((layer, l) => layer.forEach((row, h) => (worst = Math.max(worst, maxDiff(row, c.rows[String(q)][l][h])))));
        assert.ok(worst <= 1e-5, `max |Δ| ${worst}`);
        assert.ok(maxDiff(r17.overview.layers[1], r.overview.layers[1]) <= 1e-5, 'the same overview');
      } finally {
        await opset17.dispose();
      }
    });

    it('refuses out-of-range rows with the valid range', () => {
      assert.throws(() => r.row(0, 4, 0), /head 4 is out of range \(0–3\)/);
      assert.throws(() => r.row(0, 0, c.ids.length), new RegExp(`token ${c.ids.length} is out of range`));
    });
  });

  it('falls back to keeping every Softmax output, and says why, when the mask is not one the replay reproduces', async () => {
    const folder = copyModel('llama');
    const configFile = path.join(folder, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(configFile, 'utf8')), sliding_window: 16 }));
    const engine = await LongAttentionEngine.open(folder, { cacheDir });
    const full = await AttentionEngine.open(path.join(MODELS, 'llama'), { cacheDir });
    try {
      assert.strictEqual(engine.method, 'full');
      assert.match(engine.fallbackReason ?? '', /sliding_window = 16/);
      const text = 'const key = value + 1;';
      const [r, expected] = [await engine.analyze(text), await full.analyze(text)];
      const n = r.tokens.length;
      assert.strictEqual(r.method, 'full');
      assert.deepStrictEqual(r.overview.layers[1], expected.attention[1], 'under 256 tokens the overview is the attention');
      assert.deepStrictEqual(r.row(1, 2, n - 1), expected.attention[1].slice((2 * n + n - 1) * n, (2 * n + n) * n));
    } finally {
      await engine.dispose();
      await full.dispose();
    }
  });
});
