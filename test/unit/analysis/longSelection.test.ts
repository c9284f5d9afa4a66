// Show Attention on a long selection: past the host's memory bound for whole matrices the controller takes the long
// path, and the editor's rows (hover tints and card) are PyTorch's exact rows of tokens near the end of the text.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisController } from '../../../src/analysis/analysisController';
import { LongAttentionViews, PANEL_MATRIX_TOKENS } from '../../../src/analysis/longAttentionViews';
import { AnalysisSession, wholeResult } from '../../../src/analysis/analysisSession';
import { FULL_RESULT_BOUND_BYTES, fullResultBytes, needsLongPath, resultBytes } from '../../../src/analysis/longSelection';
import { KEPT_RESULT_BYTES, RecentAnalyses } from '../../../src/analysis/recentAnalyses';
import { thumbnailsOfOverview } from '../../../src/analysis/overviewThumbnails';
import { PanelRestoreStore } from '../../../src/analysis/restoreStore';
import { AttentionViews } from '../../../src/analysis/attentionViews';
import type { EngineSource } from '../../../src/analysis/workbench';
import { AttentionEngine } from '../../../src/engine/analyze';
import { LongAttentionEngine } from '../../../src/engine/longAnalysis';
import type { LongAttention } from '../../../src/engine/longAttention';
import { FakeWorkbench } from '../../support/fakeWorkbench';
import { copyModel, MODELS, ROOT, tempDir } from '../engine/helpers';

interface LongReference {
  cases: { text: string; ids: number[]; queries: number[]; rows: Record<string, number[][][]> }[];
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.strictEqual(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** The window's model as ActiveModel serves it: one engine, and the same folder opened for long inputs on demand. */
class FolderModel implements EngineSource {
  engineIfLoaded: AttentionEngine | undefined;
  long: Promise<LongAttentionEngine> | undefined;
  constructor(private readonly folder: string, private readonly cacheDir: string) {}
  async engine(): Promise<AttentionEngine> {
    return (this.engineIfLoaded ??= await AttentionEngine.open(this.folder, { cacheDir: this.cacheDir }));
  }
  longEngine(): Promise<LongAttentionEngine> {
    return (this.long ??= LongAttentionEngine.open(this.folder, { cacheDir: this.cacheDir }));
  }
  async dispose(): Promise<void> {
    await this.engineIfLoaded?.dispose();
    await (await this.long)?.dispose();
  }
}

describe('long selections in the editor', function () {
  this.timeout(180000);
  const cacheDir = tempDir('long-selection-cache');

  it('bounds whole matrices in the host at 256 MiB: bert-base holds 512 tokens whole, not 1,024', () => {
    assert.strictEqual(FULL_RESULT_BOUND_BYTES, 256 * 1024 * 1024);
    assert.strictEqual(needsLongPath({ layers: 12, heads: 12 }, 512), false);
    assert.strictEqual(needsLongPath({ layers: 12, heads: 12 }, 1024), true);
  });

  it('analyses ~8,000 tokens of a LLaMA-architecture file on the long path; hovering tokens near its end gives PyTorch\'s rows', async () => {
    const ref = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'long', 'llama-references.json'), 'utf8')) as LongReference;
    const c = ref.cases.reduce((a, b) => (b.ids.length > a.ids.length ? b : a));
    const uri = 'file:///work/long.py';
    const workbench = new FakeWorkbench();
    workbench.maxTokens = () => 8192;
    workbench.documents.set(uri, c.text);
    const model = new FolderModel(path.join(MODELS, 'llama'), cacheDir);
    const controller = new AnalysisController(model, workbench, new PanelRestoreStore(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-restore-'))));
    try {
      await controller.analyze(uri, { start: 0, end: c.text.length });
      const session = controller.session!;
      assert.ok(session, workbench.shown.map((s) => s.message).join('\n'));
      assert.ok(!('attention' in session.result), 'no whole matrices held');
      assert.strictEqual((session.result as LongAttention).method, 'replay');
      assert.deepStrictEqual(session.result.tokens.map((t) => t.id), c.ids);
      assert.ok(workbench.logged.some((m) => /Analysed \d+ tokens .*long path: rows replayed from queries and keys/.test(m)), workbench.logged.join('\n'));
      // The editor asks the session for the hovered token's row, here the last sampled tokens of the file.
      const nearEnd = c.queries.filter((x) => x > c.ids.length - 100);
      assert.ok(nearEnd.length > 0, 'the reference samples a token near the end');
      for (const q of nearEnd) {
        const offset = session.tokenRanges[q]!.start;
        assert.strictEqual(session.tokenAt(offset), q, 'the hovered position maps to its token');
        for (let l = 0; l < 2; l++) for (let h = 0; h < 4; h++) assert.ok(maxDiff(session.views.row({ layer: l, head: h }, q), c.rows[String(q)][l][h]) <= 1e-5, `token ${q} layer ${l} head ${h}`);
        const mean = session.views.row({ layer: 1, aggregate: 'mean' }, q);
        const expected = c.rows[String(q)][1].reduce((acc, row) => acc.map((v, k) => v + row[k] / 4), new Array<number>(c.ids.length).fill(0));
        assert.ok(maxDiff(mean, expected) <= 1e-5, 'mean of heads');
      }
      const held = resultBytes(session.result);
      const overviewBytes = 2 * 4 * 256 * 256 * 4;
      assert.ok(held > overviewBytes && held < fullResultBytes({ layers: 2, heads: 4 }, c.ids.length) / 50, `holds ${held} bytes, not N² per head`);
      assert.strictEqual(session.views.fits({ aggregate: 'rollout' }), false, 'rollout needs every full matrix');
      await assert.rejects(session.views.matrixAsync({ layer: 0, head: 0 }), new RegExp(`has ${c.ids.length.toLocaleString('en-US')} tokens; whole matrices are drawn and exported up to 2,048\\. Hover or click a token in the editor`));
      // Features that need every whole matrix refuse a long analysis with the reason instead of failing on it.
      assert.throws(() => wholeResult(session, 'The head finder'), new RegExp(`The head finder needs every layer's whole attention matrices, and this analysis of ${c.ids.length.toLocaleString('en-US')} tokens took the long-input path`));
      assert.strictEqual(session.views.fits({ layer: 0, head: 0, part: 'decoder' }), false, 'no decoder parts on the long path');
      // A continuation of the same long selection is refused before any run, naming a way forward.
      await controller.analyze(uri, { start: 0, end: c.text.length }, { kind: 'continue', tokens: 4 });
      const status = controller.status as { kind: string; message?: string };
      assert.strictEqual(status.kind, 'error');
      assert.match(status.message ?? '', /take the long-input path, which replays the selection's own attention and cannot also follow a continuation.*Select a shorter stretch for Show Attention with Continuation/s);
    } finally {
      controller.dispose();
      await model.dispose();
    }
  });

  it('refuses a long selection when the model\'s rows cannot be replayed, saying how many tokens fit, instead of holding every matrix', async () => {
    const ref = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'long', 'llama-references.json'), 'utf8')) as LongReference;
    const c = ref.cases.reduce((a, b) => (b.ids.length > a.ids.length ? b : a));
    const folder = copyModel('llama');
    const configFile = path.join(folder, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(configFile, 'utf8')), sliding_window: 16 }));
    const uri = 'file:///work/long.py';
    const workbench = new FakeWorkbench();
    workbench.maxTokens = () => 8192;
    workbench.documents.set(uri, c.text);
    const model = new FolderModel(folder, cacheDir);
    const controller = new AnalysisController(model, workbench, new PanelRestoreStore(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-restore-'))));
    try {
      await controller.analyze(uri, { start: 0, end: c.text.length });
      assert.strictEqual(controller.session, undefined);
      const status = controller.status;
      assert.strictEqual(status.kind, 'error');
      assert.match((status as { message: string }).message, /7,985 tokens of llama would need 1,946 MiB of attention as whole matrices, over the 256 MiB .*sliding_window = 16.*Select at most 2,896 tokens/s);
    } finally {
      controller.dispose();
      await model.dispose();
    }
  });

  it('keeps a selection whose matrices fit the bound on the full path', async () => {
    const uri = 'file:///work/short.py';
    const workbench = new FakeWorkbench();
    workbench.documents.set(uri, 'def add(a, b):\n    return a + b\n');
    const model = new FolderModel(path.join(MODELS, 'llama'), cacheDir);
    const controller = new AnalysisController(model, workbench, new PanelRestoreStore(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-restore-'))));
    try {
      await controller.analyze(uri, { start: 0, end: 30 });
      assert.ok('attention' in controller.session!.result);
      assert.strictEqual(model.long, undefined, 'the long engine is never opened');
    } finally {
      controller.dispose();
      await model.dispose();
    }
  });

  it('draws whole matrices of a long analysis up to 2,048 tokens, equal to the full engine\'s', async () => {
    const text = 'const total = items.reduce((sum, item) => sum + item.price * item.count, 0);\n'.repeat(4);
    const full = await AttentionEngine.open(path.join(MODELS, 'gpt2'), { cacheDir });
    const long = await LongAttentionEngine.open(path.join(MODELS, 'gpt2'), { cacheDir });
    try {
      const views = new LongAttentionViews(await long.analyze(text));
      const expected = new AttentionViews(await full.analyze(text));
      for (const view of [{ layer: 1, head: 2 }, { layer: 0, aggregate: 'max' as const }]) {
        assert.ok(maxDiff(await views.matrixAsync(view), expected.matrix(view)) <= 1e-5, JSON.stringify(view));
      }
      assert.ok(PANEL_MATRIX_TOKENS >= 2048);
    } finally {
      await full.dispose();
      await long.dispose();
    }
  });

  it('the recent list keeps older results only within 512 MiB in all, the newest always', () => {
    const session = (id: string, mib: number) => {
      const result = { model: { layers: 1, heads: 1 }, text: id, tokens: [], heldBytes: mib * 2 ** 20 } as unknown as LongAttention;
      return new AnalysisSession(id, `file:///${id}`, { start: 0, end: id.length }, result, id);
    };
    const recent = new RecentAnalyses();
    for (const [id, mib] of [['a', 300], ['b', 200], ['c', 250]] as const) recent.add(session(id, mib));
    assert.strictEqual(KEPT_RESULT_BYTES, 512 * 2 ** 20);
    assert.deepStrictEqual(['c', 'b', 'a'].map((id) => recent.get(id)?.session !== undefined), [true, true, false], 'c + b = 450 MiB; a would pass 512');
    recent.add(session('d', 600));
    assert.deepStrictEqual(['d', 'c', 'b'].map((id) => recent.get(id)?.session !== undefined), [true, false, false], 'the newest is kept even alone over the bound');
    assert.deepStrictEqual(recent.list().map((r) => r.label), ['d', 'c', 'b', 'a'], 'every analysis stays listed');
  });

  it('pools each head\'s overview into side-panel thumbnails by max, so a sharp head stays visible', () => {
    const cells = 64;
    const overview = { tile: 32, cells, layers: [new Float32Array(2 * cells * cells)] };
    overview.layers[0][cells * cells + 5 * cells + 63] = 0.9; // head 1: one strong cell
    const t = thumbnailsOfOverview('a', overview, 2);
    assert.deepStrictEqual([t.layers, t.heads, t.size, t.data.length], [1, 2, 32, 2 * 32 * 32]);
    const head1 = t.data.subarray(32 * 32);
    assert.ok(Math.abs(head1[2 * 32 + 31] - 0.9) < 1e-7, 'the strong cell survives pooling');
    assert.strictEqual(head1.filter((v) => v > 0).length, 1);
    assert.ok(t.data.subarray(0, 32 * 32).every((v) => v === 0));
  });
});
