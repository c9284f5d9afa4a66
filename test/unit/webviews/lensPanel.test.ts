// The attention panel's host with the lens tools, against the fake webview: it tells the panel whether value norm is
// available, answers value-norm matrices and comparisons through the messenger (with the reason when it cannot),
// and passes "How to read this" on.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FromWebviewMessage } from '../../../shared/messages';
import { AnalysisController } from '../../../src/analysis/analysisController';
import { EditHistory } from '../../../src/analysis/editHistory';
import { LensViews } from '../../../src/analysis/lensViews';
import { PanelRestoreStore } from '../../../src/analysis/restoreStore';
import { AttentionPanel } from '../../../src/webviews/attentionPanel';
import { FakeModel, FakePanelWebview, FakeWorkbench, settle } from '../../support/fakeWorkbench';
import { fakeResult } from '../support/fakeResult';

const URI = 'file:///work/story.txt';
const TEXT = 'once upon a time';

function setup(valueNorm: boolean) {
  const workbench = new FakeWorkbench();
  workbench.documents.set(URI, TEXT);
  const model = new FakeModel();
  const controller = new AnalysisController(model, workbench, new PanelRestoreStore(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-panel-'))));
  const history = new EditHistory(controller.onDidChangeSession);
  const lens = new LensViews({
    valueNormSupport: () => (valueNorm ? { available: true } : { available: false, reason: 'the output projection of layer 1 is fused' }),
    analyzeValueNorm: async (text) => {
      const r = fakeResult(text, model.layers, model.heads);
      return { ...r, valueNormAttention: r.attention.map((a) => a.map((w) => w * 3)) };
    },
    maxTokens: () => 512,
    before: (s) => history.before(s),
    t: workbench.t,
  });
  const common: FromWebviewMessage[] = [];
  let webview: FakePanelWebview | undefined;
  new AttentionPanel((events) => (webview = new FakePanelWebview(events)), {
    controller,
    workbench,
    exporter: { savePng: async () => null, saveSvg: async () => null, saveData: async () => null, saveReport: async () => null },
    tints: { hover: () => undefined, pin: () => undefined, span: () => undefined },
    displaySettings: () => ({ hideSpecialTokens: true, colorScale: 'sqrt', topTokensInHover: 5 }),
    onCommonMessage: (m) => void common.push(m),
    lens,
  });
  return { controller, common, webview: () => webview! };
}

describe('attention panel host: lens tools', () => {
  it('tells the panel value norm is available and answers a value-norm matrix (unnormalised)', async () => {
    const { controller, webview } = setup(true);
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    const w = webview();
    w.ready();
    const features = w.of('panelFeatures').at(-1)!;
    assert.deepStrictEqual(features.valueNorm, { available: true });
    assert.strictEqual(features.analysisId, w.of('init').at(-1)!.analysisId);
    const weights = await w.messenger.request({ type: 'requestMatrix', view: { layer: 1, head: 2 }, granularity: 'tokens' });
    const vn = await w.messenger.request({ type: 'requestMatrix', view: { layer: 1, head: 2 }, granularity: 'tokens', weighting: 'value-norm' });
    assert.strictEqual(vn.n, weights.n);
    for (let i = 0; i < vn.data.length; i++) assert.ok(Math.abs(vn.data[i] - 3 * weights.data[i]) < 1e-6);
  });

  it('says why value norm is off, and refuses it with that reason', async () => {
    const { controller, webview } = setup(false);
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    const w = webview();
    w.ready();
    assert.deepStrictEqual(w.of('panelFeatures').at(-1)!.valueNorm, { available: false, reason: 'the output projection of layer 1 is fused' });
    await assert.rejects(w.messenger.request({ type: 'requestMatrix', view: { layer: 0, head: 0 }, granularity: 'tokens', weighting: 'value-norm' }), /layer 1 is fused/);
  });

  it('compares two heads, refuses a before/after comparison before any edit, and passes How to read this on', async () => {
    const { controller, webview, common } = setup(true);
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    const w = webview();
    w.ready();
    const same = await w.messenger.request({ type: 'compareHeads', a: { layer: 0, head: 0 }, b: { layer: 0, head: 0 } });
    assert.strictEqual(same.distance, 0);
    await assert.rejects(w.messenger.request({ type: 'compareEdit', head: { layer: 0, head: 0 } }), /No earlier analysis of this text/);
    w.events.message({ type: 'openGuide' });
    await settle();
    assert.deepStrictEqual(common, [{ type: 'openGuide' }]);
  });
});
