// Every fixture's attention must equal PyTorch's (computed by scripts/fixtures) within the reference's tolerance.
import * as assert from 'assert';
import * as path from 'path';
import { AttentionEngine } from '../../../src/engine/analyze';
import { MODELS, readReference, referenceFiles, tempDir } from './helpers';

describe('engine vs PyTorch references', function () {
  this.timeout(120000);
  const cacheDir = tempDir('ref-cache');

  for (const file of referenceFiles()) {
    const ref = readReference(file);
    describe(file, () => {
      let engine: AttentionEngine;
      before(async () => {
        const onnx = path.basename(ref.onnx);
        const variant = onnx === 'model.onnx' || onnx === 'decoder_model.onnx' ? undefined : onnx;
        engine = await AttentionEngine.open(path.join(MODELS, ref.model), { cacheDir, variant });
      });
      after(() => engine?.dispose());

      it('reports the model facts of the reference', () => {
        assert.strictEqual(engine.info.layers, ref.layers);
        assert.strictEqual(engine.info.heads, ref.heads);
        assert.strictEqual(engine.info.causal, ref.causal ?? ref.model.startsWith('gpt2'));
        assert.ok(engine.info.onnxFile.endsWith(path.normalize(ref.onnx)));
      });

      for (const c of ref.cases) {
        it(`matches PyTorch on "${c.name}"`, async () => {
          const r = await engine.analyze(c.text);
          assert.deepStrictEqual(r.tokens.map((t) => t.id), c.ids);
          assert.deepStrictEqual(r.tokens.map((t) => t.special), c.special_tokens_mask.map((m) => m === 1));
          r.tokens.forEach((t, i) => {
            if (!t.special) assert.deepStrictEqual([t.start, t.end], c.offsets_utf16[i], `offsets of token ${i} ${t.text}`);
          });
          const n = c.ids.length;
          let maxDiff = 0;
          for (let l = 0; l < ref.layers; l++) {
            const layer = r.attention[l];
            assert.strictEqual(layer.length, ref.heads * n * n);
            for (let h = 0; h < ref.heads; h++) {
              for (let q = 0; q < n; q++) {
                let rowSum = 0;
                for (let k = 0; k < n; k++) {
                  const v = layer[(h * n + q) * n + k];
                  rowSum += v;
                  maxDiff = Math.max(maxDiff, Math.abs(v - c.attention[l][h][q][k]));
                  if (engine.info.causal && k > q) assert.strictEqual(v, 0, `causal leak at layer ${l} head ${h} [${q},${k}]`);
                }
                assert.ok(Math.abs(rowSum - 1) < 1e-4, `row ${q} of layer ${l} head ${h} sums to ${rowSum}`);
              }
            }
          }
          assert.ok(maxDiff <= ref.tolerance, `max |Δ| ${maxDiff} > ${ref.tolerance}`);
          console.log(`      ${ref.model}${ref.onnx.includes('quantized') ? ' (quantized)' : ''} / ${c.name}: N=${n}, max |Δ| = ${maxDiff.toExponential(2)}, run ${r.timings.runMs.toFixed(1)} ms`);
        });
        if (c.generated_ids && ref.causal) {
          it(`continues "${c.name}" with PyTorch's greedy tokens`, async () => {
            const r = await engine.analyze(c.text, { generate: ref.generate_steps ?? undefined });
            const first = r.continuation?.firstToken ?? -1;
            assert.deepStrictEqual(r.tokens.slice(0, first).map((t) => t.id), c.ids);
            assert.deepStrictEqual(r.tokens.slice(first).map((t) => t.id), c.generated_ids);
            assert.strictEqual(r.text.slice(0, r.continuation?.start), c.text);
            assert.strictEqual(r.attention[0].length, ref.heads * r.tokens.length ** 2);
          });
        }
      }
    });
  }
});
