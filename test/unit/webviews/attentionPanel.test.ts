// The attention panel's host against a fake webview that plays the webview's half of the messenger: re-run,
// reload-restore, model switch and export as the panel would show them.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { MatrixView } from '../../../shared/matrixView';
import type { FromWebviewMessage } from '../../../shared/messages';
import { AnalysisController } from '../../../src/analysis/analysisController';
import type { ExportSubject } from '../../../src/export/exportService';
import { PanelRestoreStore } from '../../../src/analysis/restoreStore';
import { ModelSwitch } from '../../../src/models/modelSwitch';
import { AttentionPanel, type Exporter } from '../../../src/webviews/attentionPanel';
import { FakeModel, FakePanelWebview, FakeWorkbench, settle } from '../../support/fakeWorkbench';

const URI = 'file:///work/story.txt';
const TEXT = 'once upon a time a fox met a crow';

const describe_ = (s: ExportSubject) => `${s.session.label} ${JSON.stringify(s.view)} ${s.granularity}`;

class RecordingExporter implements Exporter {
  readonly saved: string[] = [];
  fail: Error | undefined;
  async savePng(subject: ExportSubject, dataUrl: string) {
    this.saved.push(`png ${describe_(subject)} ${dataUrl.slice(0, 22)}`);
    return '/home/me/heatmap.png';
  }
  async saveSvg(subject: ExportSubject) {
    this.saved.push(`svg ${describe_(subject)}`);
    return '/home/me/heatmap.svg';
  }
  async saveData(subject: ExportSubject, format: 'csv' | 'json', scope: 'view' | 'all') {
    if (this.fail) throw this.fail;
    this.saved.push(`${format} ${scope} ${describe_(subject)}`);
    return `/home/me/matrix.${format}`;
  }
  async saveReport(subject: ExportSubject) {
    this.saved.push(`html ${describe_(subject)}`);
    return '/home/me/report.html';
  }
}

function setup(storage = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-panel-'))) {
  const workbench = new FakeWorkbench();
  workbench.documents.set(URI, TEXT);
  const model = new FakeModel();
  const controller = new AnalysisController(model, workbench, new PanelRestoreStore(storage));
  const exporter = new RecordingExporter();
  const webviews: FakePanelWebview[] = [];
  const tints: string[] = [];
  const common: FromWebviewMessage[] = [];
  const panel = new AttentionPanel(
    (events) => {
      const w = new FakePanelWebview(events);
      webviews.push(w);
      return w;
    },
    {
      controller,
      workbench,
      exporter,
      tints: {
        hover: (q, v, r) => tints.push(`hover ${q} ${JSON.stringify(v)}${r ? ` ${r.granularity} ${r.direction}` : ''}`),
        pin: (q) => tints.push(`pin ${q}`),
        span: (s, v, r) => tints.push(`span ${s?.join(',')} ${r.granularity} ${r.direction}`),
      },
      displaySettings: () => ({ hideSpecialTokens: true, colorScale: 'sqrt', topTokensInHover: 5 }),
      onCommonMessage: (m) => {
        common.push(m);
        if (m.type === 'rerun') return controller.rerun();
      },
    },
  );
  const webview = () => webviews.at(-1)!;
  return { workbench, model, controller, exporter, panel, webviews, webview, tints, common, storage };
}

describe('attention panel host', () => {
  it('opens beside the editor on Show Attention, shows progress, then the analysis once the webview is ready', async () => {
    const { controller, webview } = setup();
    await controller.analyze(URI, { start: 0, end: 16 });
    const w = webview();
    assert.deepStrictEqual(w.of('status').map((m) => m.status.kind), ['loading', 'running', 'ready']);
    assert.strictEqual(w.title, 'Attention: story.txt: once upon a time');
    assert.ok(w.revealed > 0);
    w.ready();
    const init = w.of('init').at(-1)!;
    assert.deepStrictEqual(init.tokens.map((t) => t.text), ['[CLS]', 'once', 'upon', 'a', 'time', '[SEP]']);
    assert.deepStrictEqual(init.model, { name: 'model-a', layers: 2, heads: 3, causal: false }, 'model facts only, never its folder');
    assert.deepStrictEqual(init.view, { layer: 0, aggregate: 'mean' });
  });

  it("answers the webview's matrix request with the N×N matrix, and refuses a view the model does not have", async () => {
    const { controller, webview } = setup();
    await controller.analyze(URI, { start: 0, end: 9 });
    const w = webview();
    w.ready();
    const m = await w.messenger.request({ type: 'requestMatrix', view: { layer: 1, head: 2 }, granularity: 'tokens' });
    assert.strictEqual(m.n, 4);
    assert.strictEqual(m.data.length, 16);
    const row = Array.from(m.data.subarray(4, 8)).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(row - 1) < 1e-5, 'a row of attention sums to 1');
    await assert.rejects(w.messenger.request({ type: 'requestMatrix', view: { layer: 5, head: 0 }, granularity: 'tokens' }, 'Layer 6 · Head 1'), /Layer 6 · Head 1: Layer 6 · Head 1 does not exist in this model/);
  });

  it("owns the shown view: the webview's choice goes to the editor tints, a side-panel click is shown without an echo", async () => {
    const { controller, panel, webview, tints } = setup();
    const views: MatrixView[] = [];
    panel.onDidChangeView((v) => views.push(v));
    await controller.analyze(URI, { start: 0, end: 9 });
    const w = webview();
    w.ready();
    w.events.message({ type: 'viewChanged', view: { layer: 1, head: 0 } });
    w.events.message({ type: 'hoverQuery', query: 2, view: { layer: 1, head: 0 }, reading: { granularity: 'words', direction: 'attendedBy' } });
    w.events.message({ type: 'querySpan', span: [1, 2], view: { layer: 1, head: 0 }, reading: { granularity: 'lines', direction: 'attendsTo' } });
    await settle();
    assert.deepStrictEqual(panel.view, { layer: 1, head: 0 });
    assert.deepStrictEqual(tints, ['hover 2 {"layer":1,"head":0} words attendedBy', 'span 1,2 lines attendsTo']);
    panel.showView({ layer: 0, head: 2 });
    assert.deepStrictEqual(w.of('showView').at(-1), { type: 'showView', view: { layer: 0, head: 2 } });
    assert.deepStrictEqual(views, [{ layer: 1, head: 0 }, { layer: 0, head: 2 }]);
    panel.showView({ layer: 9, head: 0 });
    assert.strictEqual(w.of('showView').length, 1, 'a head the model lacks is not shown');
    // A hidden panel reloads when shown again: it comes back with the head picked in the side panel meanwhile.
    w.events.visibility(false);
    panel.showView({ layer: 1, head: 1 });
    w.ready();
    assert.deepStrictEqual(w.of('init').at(-1)!.view, { layer: 1, head: 1 });
  });

  it('Re-run from the stale banner analyses the edited text and sends the new analysis to the same panel', async () => {
    const { controller, webview, webviews, workbench } = setup();
    await controller.analyze(URI, { start: 0, end: 9 });
    const w = webview();
    w.ready();
    const firstId = w.of('init').at(-1)!.analysisId;
    workbench.documents.set(URI, `ONCE${TEXT.slice(4)}`); // same length: range tracking is the editor link's job
    w.events.message({ type: 'rerun' });
    await settle();
    await settle();
    assert.strictEqual(webviews.length, 1, 'the same panel');
    const init = w.of('init').at(-1)!;
    assert.notStrictEqual(init.analysisId, firstId);
    assert.deepStrictEqual(init.tokens.map((t) => t.text), ['[CLS]', 'ONCE', 'upon', '[SEP]']);
  });

  it('after a model switch the panel shows the same text analysed by the new model, keeping a view that still fits', async () => {
    const { controller, model, panel, webview, workbench } = setup();
    await controller.analyze(URI, { start: 0, end: 9 });
    const w = webview();
    w.ready();
    w.events.message({ type: 'viewChanged', view: { layer: 1, aggregate: 'max' } });
    await settle();
    model.name = 'model-b';
    new ModelSwitch(model, controller, () => panel.isOpen, workbench).settingsChanged();
    await settle();
    await settle();
    const init = w.of('init').at(-1)!;
    assert.strictEqual(init.model.name, 'model-b');
    assert.deepStrictEqual(init.view, { layer: 1, aggregate: 'max' });
    // A smaller model: the view falls back to one that exists.
    model.name = 'model-c';
    model.layers = 1;
    new ModelSwitch(model, controller, () => panel.isOpen, workbench).settingsChanged();
    await settle();
    await settle();
    assert.deepStrictEqual(w.of('init').at(-1)!.view, { layer: 0, aggregate: 'mean' });
    assert.deepStrictEqual(panel.view, { layer: 0, aggregate: 'mean' });
  });

  it('after a window reload, the restored panel asks for Re-run when the document is closed, then shows its analysis and view', async () => {
    const before = setup();
    await before.controller.analyze(URI, { start: 0, end: 9 });
    const id = before.controller.session!.id;

    const after = setup(before.storage);
    after.panel.adopt((events) => {
      const w = new FakePanelWebview(events);
      after.webviews.push(w);
      return w;
    }, { layer: 1, head: 2 });
    await after.controller.restore(id);
    const w = after.webview();
    assert.strictEqual(w.title, 'Attention: story.txt: once upon');
    w.ready();
    assert.deepStrictEqual(w.of('status').at(-1)!.status, { kind: 'stale', message: 'This analysis ended with the last window. Open its file again or Re-run it to see it.' });
    assert.strictEqual(w.of('init').length, 0);
    w.events.message({ type: 'rerun' });
    await settle();
    await settle();
    const init = w.of('init').at(-1)!;
    assert.strictEqual(init.analysisId, id, 'the same analysis id, so the webview restores its pin');
    assert.deepStrictEqual(init.view, { layer: 1, head: 2 }, 'the view the panel showed before the reload');
  });

  it('Export Heatmap asks the panel for its PNG, waiting for a hidden panel to load again, and saves it', async () => {
    const { controller, panel, webview, exporter, workbench } = setup();
    assert.strictEqual(await panel.exportImage(), null);
    assert.match(workbench.shown.at(-1)!.message, /Open the attention panel first/);
    await controller.analyze(URI, { start: 0, end: 9 });
    const w = webview();
    w.ready();
    w.events.visibility(false); // hidden: its page is unloaded, nothing posted now would arrive
    const exported = panel.exportImage();
    await settle();
    assert.strictEqual(w.of('request').length, 0, 'nothing is sent to an unloaded page');
    w.ready();
    assert.strictEqual(await exported, '/home/me/heatmap.png');
    assert.deepStrictEqual(exporter.saved, ['png story.txt: once upon {"layer":0,"aggregate":"mean"} tokens data:image/png;base64,']);
  });

  it('saves CSV from the panel button, and a failed export reaches the user and the panel with its reason', async () => {
    const { controller, webview, exporter, workbench } = setup();
    await controller.analyze(URI, { start: 0, end: 9 });
    const w = webview();
    w.ready();
    const saved = await w.messenger.request({ type: 'exportData', format: 'csv', scope: 'view', view: { layer: 0, head: 1 }, granularity: 'words' });
    assert.deepStrictEqual(saved, { savedTo: '/home/me/matrix.csv' });
    await w.messenger.request({ type: 'exportData', format: 'html', scope: 'all', view: { layer: 0, head: 1 }, granularity: 'lines' });
    assert.deepStrictEqual(exporter.saved, ['csv view story.txt: once upon {"layer":0,"head":1} words', 'html story.txt: once upon {"layer":0,"head":1} lines']);
    exporter.fail = new Error('Disk full.');
    await assert.rejects(w.messenger.request({ type: 'exportData', format: 'json', scope: 'all', view: { layer: 0, head: 1 }, granularity: 'tokens' }, 'Export JSON'), /Export JSON: Disk full\./);
    assert.deepStrictEqual(workbench.shown.at(-1), { level: 'error', message: 'Export failed: Disk full.' });
  });

  it('answers groups and merged matrices at word granularity, and exports at the granularity asked for', async () => {
    const { controller, webview } = setup();
    await controller.analyze(URI, { start: 0, end: 16 });
    const w = webview();
    w.ready();
    const { groups } = await w.messenger.request({ type: 'requestGroups', granularity: 'lines' });
    assert.deepStrictEqual(groups.map((g) => g.text), ['[CLS]', 'once upon a time', '[SEP]']);
    const m = await w.messenger.request({ type: 'requestMatrix', view: { layer: 0, head: 0 }, granularity: 'lines' });
    assert.strictEqual(m.n, 3);
    assert.strictEqual(m.data.length, 9);
    assert.ok(Math.abs(m.data[3] + m.data[4] + m.data[5] - 1) < 1e-5, 'a merged row still sums to 1');
    assert.deepStrictEqual(w.of('init').at(-1)!.figureTitle, ['story.txt: once upon a time', 'model-a']);
  });

  it('closing the panel cancels a running analysis and tells the editor to clear its tints', async () => {
    const { controller, panel, webview, model } = setup();
    let closed = 0;
    panel.onDidClose(() => closed++);
    model.gate = new Promise(() => undefined);
    void controller.analyze(URI, { start: 0, end: 9 });
    await settle();
    const w = webview();
    w.dispose();
    assert.strictEqual(closed, 1);
    assert.strictEqual(panel.isOpen, false);
  });
  it('sends the memory-limit and unknown-token notes to the panel with the analysis, and none when there are none', async () => {
    const { controller, model, webview } = setup();
    model.resultExtras = { truncated: true, memoryLimitNote: 'Cut to 40 tokens to bound memory.', unknownTokensNote: '4 of 4 tokens are [UNK].' };
    await controller.analyze(URI, { start: 0, end: 16 });
    webview().ready();
    const init = webview().of('init').at(-1)!;
    assert.strictEqual(init.truncated, true);
    assert.strictEqual(init.memoryLimitNote, 'Cut to 40 tokens to bound memory.');
    assert.strictEqual(init.unknownTokensNote, '4 of 4 tokens are [UNK].');
    model.resultExtras = {};
    await controller.analyze(URI, { start: 0, end: 9 });
    const next = webview().of('init').at(-1)!;
    assert.notStrictEqual(next, init);
    assert.strictEqual(next.memoryLimitNote, undefined);
    assert.strictEqual(next.unknownTokensNote, undefined);
  });
});
