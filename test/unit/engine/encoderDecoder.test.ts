// Encoder–decoder models (BART-style bmm attention, T5-style relative bias with casts) against PyTorch: the target is
// teacher-forced as Hugging Face trains, and decoder self-attention and cross-attention equal PyTorch's.
import * as assert from 'assert';
import * as path from 'path';
import { AttentionEngine } from '../../../src/engine/analyze';
import { isAttentionLensError } from '../../../src/engine/errors';
import * as fs from 'fs';
import { copyModel, MODELS, readReference, referenceFiles, tempDir } from './helpers';

function maxDiff(actual: Float32Array[], expected: number[][][][], heads: number, queries: number, keys: number): number {
  let worst = 0;
  expected.forEach((layer, l) => {
    assert.strictEqual(actual[l].length, heads * queries * keys, `layer ${l} size`);
    for (let h = 0; h < heads; h++) {
      for (let q = 0; q < queries; q++) {
        let rowSum = 0;
        for (let k = 0; k < keys; k++) {
          const v = actual[l][(h * queries + q) * keys + k];
          rowSum += v;
          worst = Math.max(worst, Math.abs(v - layer[h][q][k]));
        }
        assert.ok(Math.abs(rowSum - 1) < 1e-4, `layer ${l} head ${h} row ${q} sums to ${rowSum}`);
      }
    }
  });
  return worst;
}

describe('encoder–decoder vs PyTorch references', function () {
  this.timeout(120000);
  const cacheDir = tempDir('seq2seq-cache');

  for (const file of referenceFiles()) {
    const ref = readReference(file);
    if (!ref.decoder_onnx) continue;
    describe(file, () => {
      let engine: AttentionEngine;
      before(async () => {
        engine = await AttentionEngine.open(path.join(MODELS, ref.model), { cacheDir });
      });
      after(() => engine?.dispose());

      it('opens encoder and decoder and reports both', () => {
        assert.ok(engine.info.onnxFile.endsWith(path.normalize(ref.onnx)));
        const decoder = engine.info.decoder;
        assert.ok(decoder, 'decoder info');
        assert.ok(decoder.onnxFile.endsWith(path.normalize(ref.decoder_onnx as string)));
        assert.deepStrictEqual([decoder.layers, decoder.heads, decoder.crossHeads, decoder.startTokenId], [ref.decoder_layers, ref.decoder_heads, ref.decoder_heads, ref.decoder_start_token_id]);
      });

      for (const c of ref.cases) {
        const target = c.target!;
        it(`teacher-forces the target of "${c.name}" and matches PyTorch's decoder and cross-attention`, async () => {
          const r = await engine.analyze(c.text, { target: target.text });
          assert.deepStrictEqual(r.tokens.map((t) => t.id), c.ids);
          const t = r.target!;
          assert.strictEqual(t.text, target.text);
          assert.strictEqual(t.generated, false);
          assert.deepStrictEqual(t.tokens.map((x) => x.id), target.decoder_input_ids);
          assert.deepStrictEqual([t.tokens[0].special, t.tokens[0].start, t.tokens[0].end], [true, 0, 0], 'the start token');
          t.tokens.slice(1).forEach((x, i) => {
            assert.strictEqual(x.special, target.label_special_tokens_mask[i] === 1);
            if (!x.special) assert.deepStrictEqual([x.start, x.end], target.label_offsets_utf16[i], `offsets of target token ${i + 1}`);
          });
          const n = c.ids.length;
          const tn = target.decoder_input_ids.length;
          const encoder = maxDiff(r.attention, c.attention, ref.heads, n, n);
          const self = maxDiff(t.attention, target.attention, ref.decoder_heads!, tn, tn);
          const cross = maxDiff(t.crossAttention, target.cross_attention, ref.decoder_heads!, tn, n);
          for (const [what, d] of [['encoder', encoder], ['decoder', self], ['cross', cross]] as const) assert.ok(d <= ref.tolerance, `${what} max |Δ| ${d}`);
          for (const layer of t.attention) for (let q = 0; q < tn; q++) for (let k = q + 1; k < tn; k++) assert.strictEqual(layer[q * tn + k], 0, 'decoder self-attention is causal');
          console.log(`      ${ref.model} / ${c.name}: source ${n}, target ${tn}, max |Δ| encoder ${encoder.toExponential(2)}, decoder ${self.toExponential(2)}, cross ${cross.toExponential(2)}`);
        });

        if (c.generated_ids) {
          it(`generates PyTorch's greedy target for "${c.name}"`, async () => {
            const r = await engine.analyze(c.text, { generate: ref.generate_steps ?? undefined });
            const t = r.target!;
            assert.strictEqual(t.generated, true);
            // Decoder input = start + the generated labels shifted right: every generated token but the last.
            assert.deepStrictEqual(t.tokens.map((x) => x.id), [ref.decoder_start_token_id, ...c.generated_ids!.slice(0, -1)]);
            assert.strictEqual(t.crossAttention[0].length, ref.decoder_heads! * t.tokens.length * c.ids.length);
          });
        }

        if (c.source_shifted) {
          const shifted = c.source_shifted;
          it(`without a target, feeds "${c.name}" shifted right to the decoder as BartModel does, and matches PyTorch`, async () => {
            const r = await engine.analyze(c.text);
            const t = r.target!;
            assert.deepStrictEqual([t.text, t.generated], [c.text, false]);
            assert.deepStrictEqual(t.tokens.map((x) => x.id), shifted.decoder_input_ids);
            const n = c.ids.length;
            const self = maxDiff(t.attention, shifted.attention, ref.decoder_heads!, n, n);
            const cross = maxDiff(t.crossAttention, shifted.cross_attention, ref.decoder_heads!, n, n);
            assert.ok(Math.max(self, cross) <= ref.tolerance, `max |Δ| decoder ${self}, cross ${cross}`);
          });

          it('refuses to generate: the one-graph export has no logits', async () => {
            await assert.rejects(engine.analyze(c.text, { generate: 3 }), (e: unknown) => isAttentionLensError(e) && e.code === 'BAD_ARGUMENT' && /one graph/.test(e.message));
          });
        }
      }

    });
  }
  it('mBART-style models shift the labels behind their own last label (the language code), as Hugging Face does', async () => {
    const ref = readReference('bart.json');
    const c = ref.cases[0];
    const folder = copyModel('bart');
    const configFile = path.join(folder, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(configFile, 'utf8')), model_type: 'mbart' }));
    const mbart = await AttentionEngine.open(folder, { cacheDir });
    try {
      assert.strictEqual(mbart.info.decoder?.shift, 'last-label');
      const labels = c.target!.labels;
      const r = await mbart.analyze(c.text, { target: c.target!.text });
      assert.deepStrictEqual(r.target!.tokens.map((t) => t.id), [labels[labels.length - 1], ...labels.slice(0, -1)]);
      assert.deepStrictEqual([r.target!.tokens[0].special, r.target!.tokens[0].start, r.target!.tokens[0].end], [true, 0, 0]);
      const generated = await mbart.analyze(c.text, { generate: 2 });
      assert.strictEqual(generated.target!.tokens[0].id, ref.decoder_start_token_id, 'generation starts from decoder_start_token_id');
    } finally {
      await mbart.dispose();
    }
  });

  it('a target or generation asked of a model that cannot have one is refused', async () => {
    const bert = await AttentionEngine.open(path.join(MODELS, 'bert'), { cacheDir });
    try {
      await assert.rejects(bert.analyze('hello', { target: 'hallo' }), (e: unknown) => isAttentionLensError(e) && e.code === 'BAD_ARGUMENT');
      await assert.rejects(bert.analyze('hello', { generate: 3 }), (e: unknown) => isAttentionLensError(e) && /cannot continue/.test(e.message));
    } finally {
      await bert.dispose();
    }
  });
});
