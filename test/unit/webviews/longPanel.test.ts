// The panel host for a long analysis (rows replayed on demand): it answers the panel's overview of a view and exact
// tiles of a zoomed window, never a whole N×N matrix.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisController } from '../../../src/analysis/analysisController';
import { PanelRestoreStore } from '../../../src/analysis/restoreStore';
import type { AnalysisEngine, LongEngine } from '../../../src/analysis/workbench';
import { fromFullResult, type LongAttention } from '../../../src/engine/longAttention';
import { AttentionPanel, type Exporter } from '../../../src/webviews/attentionPanel';
import { TILE_MAX_SIDE } from '../../../shared/longMessages';
import { FakeModel, FakePanelWebview, FakeWorkbench } from '../../support/fakeWorkbench';
import { fakeResult } from '../support/fakeResult';

const URI = 'file:///work/long.txt';
const TEXT = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');

/** A model whose selections always take the long path (its token count says so); the result is a replayable one. */
class LongFakeModel extends FakeModel {
  long: LongAttention | undefined;
  async engine(): Promise<AnalysisEngine> {
    const engine = await super.engine();
    return { ...engine, tokenCount: async () => 1_000_000 };
  }
  longEngine = async (): Promise<LongEngine> => ({
    info: (await this.engine()).info,
    method: 'replay',
    fallbackReason: undefined,
    analyze: async (text: string) => (this.long = { ...fromFullResult(fakeResult(text, this.layers, this.heads), ''), method: 'replay' as const, fallbackReason: undefined }),
  }) as unknown as LongEngine;
}

const noExports = {} as Exporter;

async function setup(model: FakeModel) {
  const workbench = new FakeWorkbench();
  workbench.documents.set(URI, TEXT);
  const controller = new AnalysisController(model, workbench, new PanelRestoreStore(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-long-panel-'))));
  let webview: FakePanelWebview | undefined;
  new AttentionPanel((events) => (webview = new FakePanelWebview(events)), {
    controller,
    workbench,
    exporter: noExports,
    tints: { hover: () => undefined, pin: () => undefined, span: () => undefined },
    displaySettings: () => ({ hideSpecialTokens: true, colorScale: 'sqrt', topTokensInHover: 5 }),
    onCommonMessage: () => undefined,
  });
  await controller.analyze(URI, { start: 0, end: TEXT.length });
  webview!.ready();
  return webview!;
}

describe('attention panel host: long analyses', () => {
  it('answers a tile request with the exact rows of the long analysis (as LongAttention.row gives them)', async () => {
    const model = new LongFakeModel();
    const w = await setup(model);
    const long = model.long!;
    const n = long.tokens.length;
    assert.strictEqual(n, 302);
    const queries = { start: n - 40, end: n };
    const keys = { start: 100, end: 260 };
    const reply = await w.messenger.request({ type: 'requestTile', view: { layer: 1, head: 2 }, queries, keys });
    assert.deepStrictEqual([reply.queries, reply.keys], [queries, keys]);
    const width = keys.end - keys.start;
    assert.strictEqual(reply.data.length, 40 * width);
    for (let q = queries.start; q < queries.end; q++) {
      assert.deepStrictEqual(Array.from(reply.data.subarray((q - queries.start) * width, (q - queries.start + 1) * width)), Array.from(long.row(1, 2, q).subarray(keys.start, keys.end)), `row ${q}`);
    }
    // Max of heads: each exact cell is the largest of the heads' weights.
    const max = await w.messenger.request({ type: 'requestTile', view: { layer: 0, aggregate: 'max' }, queries: { start: 5, end: 6 }, keys: { start: 0, end: n } });
    for (let k = 0; k < n; k++) assert.strictEqual(max.data[k], Math.max(long.row(0, 0, 5)[k], long.row(0, 1, 5)[k], long.row(0, 2, 5)[k]));
  });

  it('answers the max-pooled overview of a head and of the max of heads, and refuses tiles larger than the limit or outside the text', async () => {
    const model = new LongFakeModel();
    const w = await setup(model);
    const long = model.long!;
    const head = await w.messenger.request({ type: 'requestOverview', view: { layer: 0, head: 1 } });
    assert.deepStrictEqual([head.n, head.tile, head.cells, head.pooling, head.data.length], [302, 2, 151, 'max', 151 * 151]);
    // Cell (10, 20) is the largest weight of queries 20–21 × keys 40–41.
    const expected = Math.max(long.row(0, 1, 20)[40], long.row(0, 1, 20)[41], long.row(0, 1, 21)[40], long.row(0, 1, 21)[41]);
    assert.strictEqual(head.data[10 * 151 + 20], expected);
    const max = await w.messenger.request({ type: 'requestOverview', view: { layer: 0, aggregate: 'max' } });
    const heads = await Promise.all([0, 1, 2].map((h) => w.messenger.request({ type: 'requestOverview', view: { layer: 0, head: h } })));
    assert.strictEqual(max.data[777], Math.max(...heads.map((r) => r.data[777])));
    await assert.rejects(w.messenger.request({ type: 'requestTile', view: { layer: 0, head: 0 }, queries: { start: 0, end: 10 }, keys: { start: 295, end: 305 } }), /within tokens 0–302/);
    await assert.rejects(w.messenger.request({ type: 'requestTile', view: { layer: 0, head: 0 }, queries: { start: 0, end: TILE_MAX_SIDE + 1 }, keys: { start: 0, end: 4 } }), /at most 512 tokens a side; zoom in further/);
  });

  it('refuses overview and tile requests for an analysis that sends whole matrices', async () => {
    const w = await setup(new FakeModel());
    await assert.rejects(w.messenger.request({ type: 'requestOverview', view: { layer: 0, head: 0 } }), /sends whole matrices/);
  });
});
