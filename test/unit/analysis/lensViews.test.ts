// The lens tools' host side on a fake workbench: before/after-edit comparison through a real re-run, two heads side by
// side, and value-norm matrices (one extra run per analysis, refused with the reason when the model cannot).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CompareEditReply } from '../../../shared/messages';
import { AnalysisController } from '../../../src/analysis/analysisController';
import { EditHistory } from '../../../src/analysis/editHistory';
import { compareByLayer, LensViews, type ValueNormSupport } from '../../../src/analysis/lensViews';
import { compareAttention } from '../../../src/engine/compare';
import { PanelRestoreStore } from '../../../src/analysis/restoreStore';
import { headMatrix } from '../../../src/engine/attention';
import type { AnalyzeOptions } from '../../../src/engine/analyze';
import { FakeModel, FakeWorkbench } from '../../support/fakeWorkbench';
import { fakeResult } from '../support/fakeResult';

const URI = 'file:///work/story.txt';
const TEXT = 'once upon a time a fox met a crow';

function setup(support: ValueNormSupport = { available: true }) {
  const workbench = new FakeWorkbench();
  workbench.documents.set(URI, TEXT);
  const model = new FakeModel();
  const controller = new AnalysisController(model, workbench, new PanelRestoreStore(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-views-'))));
  const history = new EditHistory(controller.onDidChangeSession);
  const valueNormRuns: AnalyzeOptions[] = [];
  const views = new LensViews({
    valueNormSupport: () => support,
    analyzeValueNorm: async (text, opts) => {
      valueNormRuns.push(opts);
      const r = fakeResult(text, model.layers, model.heads);
      // Value-norm: the weights times a per-key norm (key k scaled by k + 1), unnormalised.
      const n = r.tokens.length;
      return { ...r, valueNormAttention: r.attention.map((layer) => layer.map((w, i) => w * ((i % n) + 1))) };
    },
    maxTokens: () => 512,
    before: (s) => history.before(s),
    t: workbench.t,
  });
  return { workbench, model, controller, history, views, valueNormRuns };
}

describe('lens views (compare, value norm)', () => {
  it('compares a head before and after an edit: the earlier attention on the new tokens, and every head ranked', async () => {
    const { workbench, controller, views } = setup();
    await controller.analyze(URI, { start: 0, end: 9 });
    const first = controller.session!;
    await assert.rejects(views.compare(first, { type: 'compareEdit', head: { layer: 0, head: 0 } }), /No earlier analysis of this text: edit the analysed text, Re-run/);
    // The user types "more " inside the analysed text; the session follows the edit and goes stale; Re-run.
    const edited = `once more ${TEXT.slice(5)}`;
    workbench.documents.set(URI, edited);
    first.applyDocumentChanges([{ rangeOffset: 5, rangeLength: 0, textLength: 5 }], (r) => edited.slice(r.start, r.end));
    assert.ok(first.stale);
    await controller.rerun();
    const second = controller.session!;
    assert.strictEqual(second.result.text, 'once more upon');
    const reply = (await views.compare(second, { type: 'compareEdit', head: { layer: 1, head: 2 } })) as CompareEditReply;
    assert.strictEqual(reply.granularity, 'character');
    assert.strictEqual(reply.n, 5);
    assert.strictEqual(reply.ranking.length, 6, 'every layer × head');
    const distances = reply.ranking.map((r) => r.distance ?? -1);
    assert.deepStrictEqual(distances, [...distances].sort((a, b) => b - a), 'largest first');
    assert.ok(distances[0] > 0, 'the edit moved attention');
    assert.ok(reply.notes.some((n) => /characters 5–5 of the first became 5–10/.test(n)), reply.notes.join(' | '));
    // Tokens: [CLS] once more upon [SEP] now; [CLS] once upon [SEP] before. "more" has no earlier counterpart.
    const before = headMatrix(first.result.attention[1], 4, 2);
    const at = (q: number, k: number) => reply.before[q * 5 + k];
    assert.ok(Number.isNaN(at(2, 1)) && Number.isNaN(at(1, 2)), 'the inserted token has no earlier attention');
    assert.strictEqual(at(1, 3), before[1 * 4 + 2], 'once → upon, through the offsets');
    assert.strictEqual(at(4, 0), before[3 * 4 + 0], '[SEP] → [CLS], by place');
    assert.deepStrictEqual(Array.from(reply.after), Array.from(headMatrix(second.result.attention[1], 5, 2)));
  });

  it('compares the same text under another model: token level when the tokens match, the other model as "before"', async () => {
    const { controller, views } = setup();
    await controller.analyze(URI, { start: 0, end: 16 });
    const s = controller.session!;
    await assert.rejects(views.compare(s, { type: 'compareModel', head: { layer: 0, head: 0 } }), /No other model yet: run "Attention Lens: Compare With Another Model…"/);
    const other = { ...fakeResult(s.result.text, 2, 3, 99), model: { ...s.result.model, name: 'model-a (model_quantized.onnx)' } };
    const ranking = await views.setOtherModel(s, other, 'model-a (model_quantized.onnx)');
    assert.strictEqual(ranking.granularity, 'token');
    assert.ok(ranking.heads.every((h) => h.distance! > 0), 'other weights, other attention');
    const reply = (await views.compare(s, { type: 'compareModel', head: { layer: 1, head: 1 } })) as CompareEditReply;
    assert.strictEqual(reply.beforeLabel, 'model-a (model_quantized.onnx)');
    assert.deepStrictEqual(Array.from(reply.before), Array.from(headMatrix(other.attention[1], 6, 1)), 'same tokens: the other model\'s head as it is');
    // The model compared with itself: zero everywhere.
    const self = await views.setOtherModel(s, { ...s.result }, 'itself');
    assert.ok(self.heads.every((h) => h.distance === 0));
  });

  it('puts two heads side by side: distance 0 for a head with itself, more for two different heads', async () => {
    const { controller, views } = setup();
    await controller.analyze(URI, { start: 0, end: 16 });
    const s = controller.session!;
    const same = views.compareHeads(s, { layer: 0, head: 1 }, { layer: 0, head: 1 });
    assert.strictEqual(same.distance, 0);
    const other = views.compareHeads(s, { layer: 0, head: 1 }, { layer: 1, head: 0 });
    assert.ok(other.distance! > 0.05, String(other.distance));
    assert.strictEqual(other.a.length, 36);
    assert.throws(() => views.compareHeads(s, { layer: 0, head: 1 }, { layer: 4, head: 0 }), /Layer 5 head 1 does not exist/);
  });

  it('computes value-norm matrices once per analysis, as heads and mean/max, and refuses rollout', async () => {
    const { controller, views, valueNormRuns } = setup();
    await controller.analyze(URI, { start: 0, end: 9 });
    const s = controller.session!;
    const head = await views.valueNormMatrix(s, { layer: 1, head: 0 });
    const weights = headMatrix(s.result.attention[1], 4, 0);
    for (let i = 0; i < 16; i++) assert.ok(Math.abs(head[i] - weights[i] * ((i % 4) + 1)) < 1e-6);
    const mean = await views.valueNormMatrix(s, { layer: 1, aggregate: 'mean' });
    assert.strictEqual(mean.length, 16);
    assert.strictEqual(valueNormRuns.length, 1, 'one value-norm run for the analysis');
    assert.strictEqual(valueNormRuns[0].weighting, 'value-norm');
    await assert.rejects(views.valueNormMatrix(s, { aggregate: 'rollout' }), /Rollout is defined on the attention weights/);
  });

  it('says why value norm is unavailable (the graph has no output projection to read)', async () => {
    const { controller, views } = setup({ available: false, reason: 'no MatMul after the attention Softmax reads the values' });
    await controller.analyze(URI, { start: 0, end: 9 });
    const s = controller.session!;
    assert.deepStrictEqual(views.features(s).valueNorm, { available: false, reason: 'no MatMul after the attention Softmax reads the values' });
    await assert.rejects(views.valueNormMatrix(s, { layer: 0, head: 0 }), /Value-norm attention is not available: no MatMul/);
  });

  it('ranks layer by layer (yielding between layers) exactly as the engine compares all heads at once', async () => {
    const a = fakeResult('once upon a time', 3, 2, 1);
    const b = fakeResult('once upon the time', 2, 2, 2);
    const whole = compareAttention(a, b);
    const byLayer = await compareByLayer(a, b);
    assert.deepStrictEqual(byLayer.heads, whole.heads);
    assert.strictEqual(byLayer.granularity, whole.granularity);
    assert.strictEqual(byLayer.notes.length, whole.notes.length);
    assert.match(byLayer.notes[0], /3 layers × 2 heads and fake 2 × 2: compared the layers and heads both have/);
  });
});
