// The decoder side of an analysis in the host: Show Attention asks an encoder–decoder for its target ("Generate"
// by default), the panel host serves encoder, decoder and cross-attention views, and a continuation stays out of
// the editor. Fake workbench and webview; the last test runs the real BART-style fixture.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisController } from '../../../src/analysis/analysisController';
import { AnalysisSession, wholeResult } from '../../../src/analysis/analysisSession';
import type { AttentionViews } from '../../../src/analysis/attentionViews';
import type { EngineSource } from '../../../src/analysis/workbench';
import { DEFAULT_TARGET_TOKENS, continuationLengthProblem, parseDecoderRequest } from '../../../src/analysis/decoderRequest';
import { PanelRestoreStore } from '../../../src/analysis/restoreStore';
import { AttentionEngine } from '../../../src/engine/analyze';
import { matrixCsv } from '../../../src/export/exportFormats';
import { viewTokens } from '../../../src/analysis/partViews';
import { AttentionPanel } from '../../../src/webviews/attentionPanel';
import { FakeModel, FakePanelWebview, FakeWorkbench, settle } from '../../support/fakeWorkbench';
import { fakeResult, withTarget, wordTokens } from '../support/fakeResult';

const URI = 'file:///work/source.txt';
const TEXT = 'the quick brown fox';

function setup(model: EngineSource & Partial<FakeModel> = Object.assign(new FakeModel(), { decoderLayers: 2 }), storage = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-target-'))) {
  const workbench = new FakeWorkbench();
  workbench.documents.set(URI, TEXT);
  const controller = new AnalysisController(model, workbench, new PanelRestoreStore(storage));
  const webviews: FakePanelWebview[] = [];
  const tints: string[] = [];
  const panel = new AttentionPanel(
    (events) => {
      const w = new FakePanelWebview(events);
      webviews.push(w);
      return w;
    },
    {
      controller,
      workbench,
      exporter: { savePng: async () => null, saveSvg: async () => null, saveData: async () => null, saveReport: async () => null },
      tints: { hover: (q, v) => tints.push(`hover ${q} ${JSON.stringify(v)}`), pin: (q, v) => tints.push(`pin ${q} ${JSON.stringify(v)}`), span: () => undefined },
      displaySettings: () => ({ hideSpecialTokens: true, colorScale: 'linear', topTokensInHover: 5 }),
      onCommonMessage: () => undefined,
    },
  );
  return { workbench, model, controller, panel, webview: () => webviews.at(-1)!, tints };
}

describe('encoder–decoder analyses in the host', () => {
  it('Show Attention asks for the target; left empty (the default) the model generates it', async () => {
    const { controller, workbench, model } = setup();
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    assert.deepStrictEqual(workbench.askedTarget, ['model-a']);
    assert.deepStrictEqual(model.options!.at(-1), { target: undefined, generate: DEFAULT_TARGET_TOKENS });
    assert.strictEqual(wholeResult(controller.session!, 'test').target!.generated, true);
  });

  it('a typed target is teacher-forced, and Re-run reads the same target without asking again', async () => {
    const { controller, workbench, model } = setup();
    workbench.targetAnswer = 'der schnelle braune fuchs';
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    await controller.rerun();
    assert.strictEqual(workbench.askedTarget.length, 1, 'asked once');
    assert.deepStrictEqual(model.options!.map((o) => o.target), ['der schnelle braune fuchs', 'der schnelle braune fuchs']);
    assert.deepStrictEqual(wholeResult(controller.session!, 'test').target!.tokens.map((t) => t.text), ['</s>', 'der', 'schnelle', 'braune', 'fuchs']);
  });

  it('after a failed run, Re-run asks for the target again', async () => {
    const { controller, workbench, model } = setup();
    workbench.targetAnswer = 'der fuchs';
    model.failNext = new Error('The target is longer than the decoder accepts.');
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    assert.strictEqual(controller.state.kind, 'failed');
    workbench.targetAnswer = 'fuchs';
    await controller.rerun();
    assert.deepStrictEqual(workbench.askedTarget, ['model-a', 'model-a']);
    assert.strictEqual(wholeResult(controller.session!, 'test').target!.text, 'fuchs');
  });

  it('after a window reload the restored analysis reads the same target, without asking', async () => {
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-target-restore-'));
    const before = setup(undefined, storage);
    before.workbench.targetAnswer = 'der fuchs';
    await before.controller.analyze(URI, { start: 0, end: TEXT.length });
    const after = setup(undefined, storage);
    after.workbench.openTabs.add(URI);
    await after.controller.restore(before.controller.session!.id);
    assert.deepStrictEqual(after.workbench.askedTarget, []);
    assert.strictEqual(wholeResult(after.controller.session!, 'test').target!.text, 'der fuchs');
  });

  it('dismissing the question cancels the analysis and runs nothing', async () => {
    const { controller, workbench, model, webview } = setup();
    workbench.targetAnswer = undefined;
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    assert.strictEqual(model.analysed!.length, 0);
    assert.strictEqual(controller.state.kind, 'cancelled');
    assert.strictEqual(webview().of('status').at(-1)!.status.kind, 'cancelled');
  });

  it('an encoder-only model is never asked for a target', async () => {
    const { controller, workbench, model } = setup(new FakeModel());
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    assert.deepStrictEqual(workbench.askedTarget, []);
    assert.deepStrictEqual(model.options!.at(-1), { target: undefined, generate: undefined });
  });

  it('the panel gets the target text and the decoder shape, and serves decoder and cross-attention matrices', async () => {
    const { controller, workbench, webview, tints } = setup();
    workbench.targetAnswer = 'der braune fuchs';
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    const w = webview();
    w.ready();
    const init = w.of('init').at(-1)!;
    assert.deepStrictEqual(init.target, {
      text: 'der braune fuchs',
      tokens: [
        { text: '</s>', start: 0, end: 0, special: true },
        { text: 'der', start: 0, end: 3, special: false },
        { text: 'braune', start: 4, end: 10, special: false },
        { text: 'fuchs', start: 11, end: 16, special: false },
      ],
      generated: false,
    });
    assert.deepStrictEqual(init.model.decoder, { layers: 2, heads: 3, crossHeads: 3 });
    const result = wholeResult(controller.session!, 'test');
    // Cross-attention: 4 target queries × 6 source keys ([CLS] the quick brown fox [SEP]), rows sum to 1.
    const cross = await w.messenger.request({ type: 'requestMatrix', view: { layer: 1, head: 2, part: 'cross' }, granularity: 'words' });
    assert.strictEqual(cross.granularity, 'tokens', 'target tokens have no editor words: cross-attention stays at tokens');
    assert.strictEqual(cross.n, 6);
    assert.strictEqual(cross.queries, 4);
    const T = 4;
    const N = 6;
    const q = 3;
    assert.deepStrictEqual(Array.from(cross.data.subarray(q * N, (q + 1) * N)), Array.from(result.target!.crossAttention[1].subarray((2 * T + q) * N, (2 * T + q) * N + N)));
    const mean = await w.messenger.request({ type: 'requestMatrix', view: { layer: 0, aggregate: 'mean', part: 'cross' }, granularity: 'tokens' });
    const expected = [0, 1, 2].reduce((s, h) => s + result.target!.crossAttention[0][(h * T + 1) * N + 4], 0) / 3;
    assert.ok(Math.abs(mean.data[1 * N + 4] - expected) < 1e-6);
    const decoder = await w.messenger.request({ type: 'requestMatrix', view: { layer: 0, head: 0, part: 'decoder' }, granularity: 'tokens' });
    assert.strictEqual(decoder.n, 4);
    assert.strictEqual(decoder.queries, undefined, 'square');
    assert.strictEqual(decoder.data[0 * T + 1], 0, 'the decoder is causal');
    await assert.rejects(
      w.messenger.request({ type: 'requestMatrix', view: { aggregate: 'rollout', layer: 0, part: 'cross' }, granularity: 'tokens' }, 'rollout'),
      /Cross-attention · Rollout to layer 1 does not exist/,
    );
    // Hovering a target token: the editor is tinted by its cross-attention row.
    w.events.message({ type: 'hoverQuery', query: 2, view: { layer: 1, aggregate: 'mean', part: 'cross' }, reading: { granularity: 'words', direction: 'attendsTo' } });
    await settle();
    assert.deepStrictEqual(tints, ['hover 2 {"layer":1,"aggregate":"mean","part":"cross"}']);
  });

  it('refuses decoder views for an analysis without a target', async () => {
    const { controller, webview } = setup(new FakeModel());
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    const w = webview();
    w.ready();
    assert.strictEqual(w.of('init').at(-1)!.target, undefined);
    await assert.rejects(w.messenger.request({ type: 'requestMatrix', view: { layer: 0, head: 0, part: 'cross' }, granularity: 'tokens' }, 'cross'), /does not exist in this model/);
  });

  it('exports a cross-attention CSV with target rows and source columns', () => {
    const result = withTarget(fakeResult(TEXT, 1, 2), 'der fuchs', 1);
    const session = new AnalysisSession('a', URI, { start: 0, end: TEXT.length }, result, 'x');
    const view = { layer: 0, head: 1, part: 'cross' } as const;
    const { queryTokens, keyTokens } = viewTokens(result, view);
    const lines = matrixCsv(queryTokens, (session.views as AttentionViews).matrix(view), keyTokens).trimEnd().split('\r\n');
    assert.strictEqual(lines.length, 1 + 3, 'header + </s> der fuchs');
    assert.strictEqual(lines[0], 'query\\key,0:[CLS],1:the,2:quick,3:brown,4:fox,5:[SEP]');
    assert.ok(lines[2].startsWith('1:der,'));
    assert.strictEqual(lines[2].split(',').length, 7);
  });
});

describe('continuations in the host', () => {
  it('the generated tokens have no place in the document: no tints, and edits compare only the analysed text', () => {
    const base = fakeResult(`${TEXT} jumps over`, 1, 2);
    const result = { ...base, tokens: wordTokens(`${TEXT} jumps over`).slice(0, -1), continuation: { start: TEXT.length, firstToken: 5 } };
    const session = new AnalysisSession('c', URI, { start: 0, end: TEXT.length }, result, 'x', { kind: 'continue', tokens: 2 });
    assert.strictEqual(session.documentText, TEXT);
    assert.deepStrictEqual(session.tokenRanges.map((r) => (r ? 'r' : '-')).join(''), '-rrrr--');
    const change = session.applyDocumentChanges([{ rangeOffset: 0, rangeLength: 3, textLength: 3 }], () => TEXT);
    assert.strictEqual(change.staleChanged, false, 'the same text typed over: still fresh');
    assert.strictEqual(session.stale, false);
  });

  it('asks the engine for n generated tokens, and validates the typed n', async () => {
    const { controller, model } = setup(new FakeModel());
    await controller.analyze(URI, { start: 0, end: TEXT.length }, { kind: 'continue', tokens: 7 });
    assert.deepStrictEqual(model.options!.at(-1), { target: undefined, generate: 7 });
    assert.strictEqual(continuationLengthProblem('20'), undefined);
    for (const bad of ['0', '-3', '2.5', 'ten', '', '257']) assert.match(continuationLengthProblem(bad)!, /whole number of tokens from 1 to 256/, bad);
    assert.deepStrictEqual(parseDecoderRequest({ kind: 'continue', tokens: 7 }), { kind: 'continue', tokens: 7 });
    for (const bad of [null, 'x', { kind: 'continue', tokens: 0 }, { kind: 'generate', tokens: 1.5 }, { kind: 'target', text: 3 }, { kind: 'other' }]) {
      assert.strictEqual(parseDecoderRequest(bad), undefined, JSON.stringify(bad));
    }
  });
});

/** A fixture model's real engine, opened before and disposed after the suite, as the controller's engine source. */
function fixtureEngine(name: string): { source(): EngineSource } {
  let engine: AttentionEngine | undefined;
  before(async () => {
    engine = await AttentionEngine.open(path.join(__dirname, '..', '..', 'fixtures', 'models', name), { cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), `lens-${name}-`)) });
  });
  after(() => engine?.dispose());
  return { source: () => ({ engineIfLoaded: engine, engine: async () => engine! }) };
}

describe('a BART-style model through the controller and the panel host (real engine)', function () {
  this.timeout(120_000);
  const fixture = fixtureEngine('bart');

  it('a typed target shows the cross-attention the engine computed, one row per target token', async () => {
    const { controller, workbench, webview } = setup(fixture.source());
    workbench.targetAnswer = 'a small fox';
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    assert.ok(controller.session, `no analysis: ${JSON.stringify(workbench.shown)}`);
    const w = webview();
    w.ready();
    const init = w.of('init').at(-1)!;
    const target = wholeResult(controller.session!, 'test').target!;
    assert.strictEqual(init.target!.text, 'a small fox');
    assert.ok(init.target!.tokens[0].special, 'the decoder start token comes first');
    const T = target.tokens.length;
    const N = controller.session!.result.tokens.length;
    const reply = await w.messenger.request({ type: 'requestMatrix', view: { layer: 0, head: 1, part: 'cross' }, granularity: 'tokens' });
    assert.strictEqual(reply.queries, T);
    assert.strictEqual(reply.n, N);
    for (let q = 0; q < T; q++) {
      const sum = Array.from(reply.data.subarray(q * N, (q + 1) * N)).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-4, `row ${q} sums to ${sum}`);
    }
    assert.deepStrictEqual(Array.from(reply.data), Array.from(target.crossAttention[0].subarray(T * N, 2 * T * N)));
  });
});

describe('a GPT-2-style continuation through the controller and the panel host (real engine)', function () {
  this.timeout(120_000);
  const fixture = fixtureEngine('gpt2');

  it('generates n tokens after the selection: the panel marks them, the editor has no place for them', async () => {
    const { controller, workbench, webview } = setup(fixture.source());
    await controller.analyze(URI, { start: 0, end: TEXT.length }, { kind: 'continue', tokens: 4 });
    const session = controller.session;
    assert.ok(session, `no analysis: ${JSON.stringify(workbench.shown)}`);
    assert.deepStrictEqual(workbench.askedTarget, [], 'a decoder-only model is not asked for a target');
    const { continuation, tokens } = wholeResult(session, 'test');
    assert.ok(continuation, 'the result has a continuation');
    assert.strictEqual(tokens.length - continuation.firstToken, 4, 'four generated tokens');
    assert.strictEqual(session.documentText, TEXT);
    assert.ok(session.tokenRanges.slice(continuation.firstToken).every((r) => r === undefined), 'generated tokens have no editor range');
    assert.ok(session.tokenRanges.slice(0, continuation.firstToken).some((r) => r !== undefined));
    const w = webview();
    w.ready();
    const init = w.of('init').at(-1)!;
    assert.deepStrictEqual(init.continuation, { firstToken: continuation.firstToken });
    assert.strictEqual(init.n, tokens.length);
    assert.ok(init.text.startsWith(TEXT) && init.text.length > TEXT.length, 'the strip shows the text and what followed');
    // Re-run asks for the same continuation (greedy decoding: the same tokens).
    await controller.rerun();
    assert.deepStrictEqual(controller.session!.decoder, { kind: 'continue', tokens: 4 });
    assert.deepStrictEqual(controller.session!.result.tokens.map((t) => t.id), tokens.map((t) => t.id));
  });
});
