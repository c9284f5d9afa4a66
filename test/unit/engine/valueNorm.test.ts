// Value-norm attention (Kobayashi et al. 2020) from the engine equals PyTorch's ‖α_ij · (x_j W_V + b_V)_h W_O^h‖ on the
// BERT, DistilBERT, RoBERTa and GPT-2 fixtures; graphs without a findable output projection are refused with the reason.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AttentionEngine } from '../../../src/engine/analyze';
import type { OnnxGraphSummary, OnnxNode } from '../../../src/engine/onnxGraph';
import { projectionGrams, valueNormLayer } from '../../../src/engine/valueNorm';
import { findValueProjections } from '../../../src/engine/valueProjection';
import { MODELS, REFERENCES, ROOT, tempDir } from './helpers';

interface ValueNormReference {
  model: string;
  text: string;
  ids: number[];
  tolerance: number;
  value_norm: number[][][][];
}

function node(opType: string, inputs: string[], outputs: string[]): OnnxNode {
  return { opType, domain: '', name: outputs[0], inputs, outputs, ints: new Map(), subgraphOps: [] };
}

describe('value-norm attention', function () {
  this.timeout(120000);
  const cacheDir = tempDir('value-norm-cache');

  for (const model of ['bert', 'distilbert', 'roberta', 'gpt2']) {
    it(`${model}: equals the PyTorch computation within the reference tolerance`, async () => {
      const ref = JSON.parse(fs.readFileSync(path.join(REFERENCES, 'value-norm', `${model}.json`), 'utf8')) as ValueNormReference;
      const engine = await AttentionEngine.open(path.join(MODELS, model), { cacheDir });
      try {
        const r = await engine.analyze(ref.text, { weighting: 'value-norm' });
        assert.deepStrictEqual(r.tokens.map((t) => t.id), ref.ids);
        const n = ref.ids.length;
        const heads = r.model.heads;
        assert.strictEqual(r.valueNormAttention?.length, ref.value_norm.length);
        let maxDiff = 0;
        let largest = 0;
        ref.value_norm.forEach((layer, l) => layer.forEach((rows, h) => rows.forEach((row, q) => row.forEach((v, k) => {
          maxDiff = Math.max(maxDiff, Math.abs(r.valueNormAttention![l][(h * n + q) * n + k] - v));
          largest = Math.max(largest, v);
        }))));
        assert.ok(maxDiff <= ref.tolerance, `max |engine − PyTorch| = ${maxDiff}`);
        assert.ok(largest > 0.05, 'the reference is not trivially small');
        assert.strictEqual(heads, ref.value_norm[0].length);
        // Unnormalised: a row sums to Σ_j α_ij‖f(x_j)‖, not 1.
        const rowSum = Array.from(r.valueNormAttention![0].subarray(n, 2 * n)).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(rowSum - 1) > 1e-3, `row sum ${rowSum}`);
        const plain = await engine.analyze(ref.text);
        assert.strictEqual(plain.valueNormAttention, undefined, 'only computed when asked for');
      } finally {
        await engine.dispose();
      }
    });
  }

  it('weights each key by the norm of its transformed value vector', () => {
    // One head, d = 2, projection = 2×diag(1, 1): ‖f(x_j)‖ = 2‖v_j‖.
    const grams = projectionGrams(new Float64Array([2, 0, 0, 2]), 2, 2, 1);
    const probs = new Float32Array([0.5, 0.5, 0.25, 0.75]);
    const values = new Float32Array([3, 4, 0, 1]); // ‖v_0‖ = 5, ‖v_1‖ = 1
    assert.deepStrictEqual(Array.from(valueNormLayer(probs, values, grams, 1, 2, 2)), [5, 1, 2.5, 1.5]);
  });

  it('shows the plain weights of a graph with no output projection but refuses value-norm with the reason', async () => {
    const engine = await AttentionEngine.open(path.join(ROOT, 'test', 'fixtures', 'value-norm', 'no-output-projection'), { cacheDir });
    try {
      const r = await engine.analyze('def f(x): return x');
      assert.strictEqual(r.attention.length, 1);
      await assert.rejects(engine.analyze('def f(x): return x', { weighting: 'value-norm' }), (e: Error & { code?: string }) => {
        assert.strictEqual(e.code, 'VALUE_NORM_UNAVAILABLE');
        assert.match(e.message, /Value-norm attention is not available for .*model\.onnx: layer 0: no output projection/);
        return true;
      });
    } finally {
      await engine.dispose();
    }
  });

  it('says why when the output projection cannot be found', () => {
    const graph: OnnxGraphSummary = {
      opsets: new Map([['', 14]]),
      nodes: [node('Softmax', ['scores'], ['probs']), node('MatMul', ['probs', 'v'], ['context']), node('Relu', ['context'], ['out'])],
      initializers: new Map(),
      inputs: [],
      outputs: [],
      valueInfo: new Map(),
      hasGraph: true,
    };
    const found = findValueProjections('/nonexistent.onnx', graph, ['probs']);
    assert.ok('missing' in found);
    assert.match(found.missing, /layer 0: no output projection .* follows the attention·values product; found Relu/);
    const quantised: OnnxGraphSummary = {
      ...graph,
      nodes: [...graph.nodes.slice(0, 2), node('Transpose', ['context'], ['merged']), node('DynamicQuantizeLinear', ['merged'], ['q', 'scale', 'zero'])],
    };
    const refused = findValueProjections('/nonexistent.onnx', quantised, ['probs']);
    assert.ok('missing' in refused);
    assert.match(refused.missing, /quantised on the fly \(DynamicQuantizeLinear\).*fp32 ONNX file/);
  });
});
