// Recent analyses as the controller uses them: shown again from memory (no model run, no duplicate), revealed in
// the editor, kept across a reload, and labelled without splitting a character.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisController } from '../../../src/analysis/analysisController';
import { JsonFileMemento } from '../../../src/analysis/jsonFileMemento';
import { PanelRestoreStore } from '../../../src/analysis/restoreStore';
import type { OffsetRange } from '../../../src/analysis/trackedRange';
import { FakeModel, FakeWorkbench } from '../../support/fakeWorkbench';

const URI = 'file:///work/wave.md';
const TEXT = 'hello 👋🏽 world, and a rather long sentence after it';

class RevealingWorkbench extends FakeWorkbench {
  readonly revealed: string[] = [];
  revealRange = async (uri: string, range: OffsetRange) => void this.revealed.push(`${uri}@${range.start}-${range.end}`);
}

function setup(storage: string) {
  const workbench = new RevealingWorkbench();
  workbench.documents.set(URI, TEXT);
  const model = new FakeModel();
  const controller = new AnalysisController(model, workbench, new PanelRestoreStore(storage), new JsonFileMemento(path.join(storage, 'recent.json')));
  return { workbench, model, controller };
}

describe('recent analyses in the controller', () => {
  let storage: string;
  beforeEach(() => (storage = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-recent-'))));
  afterEach(() => fs.rmSync(storage, { recursive: true, force: true }));

  it('running the same range with the same model again shows it from memory: no model run, no duplicate', async () => {
    const { controller, model } = setup(storage);
    await controller.analyze(URI, { start: 0, end: 14 });
    const first = controller.session;
    await controller.analyze(URI, { start: 0, end: 14 });
    assert.strictEqual(model.analysed.length, 1, 'the model ran once');
    assert.strictEqual(controller.session, first);
    assert.strictEqual(controller.recent.list().length, 1);
    // Another model is another entry.
    model.name = 'model-b';
    model.unload();
    await controller.analyze(URI, { start: 0, end: 14 });
    assert.strictEqual(model.analysed.length, 2);
    assert.deepStrictEqual(controller.recent.list().map((r) => r.modelName), ['model-b', 'model-a']);
  });

  it('opening a recent analysis still in memory reveals its range without running the model', async () => {
    const { controller, model, workbench } = setup(storage);
    await controller.analyze(URI, { start: 0, end: 14 });
    const id = controller.session!.id;
    await controller.analyze(URI, { start: 15, end: 30 });
    await controller.openRecent(id);
    assert.strictEqual(controller.session!.id, id);
    assert.strictEqual(model.analysed.length, 2);
    assert.deepStrictEqual(workbench.revealed, [`${URI}@0-14`]);
  });

  it('is listed again after a reload, labelled without splitting the emoji, and re-runs when opened', async () => {
    const before = setup(storage);
    await before.controller.analyze(URI, { start: 0, end: TEXT.length });
    const label = before.controller.recent.list()[0].label;
    assert.strictEqual(label, 'wave.md: hello 👋🏽 world, and a rather long…');
    const after = setup(storage);
    const listed = after.controller.recent.list();
    assert.deepStrictEqual(listed.map((r) => [r.label, r.cached]), [[label, false]]);
    await after.controller.openRecent(listed[0].analysisId);
    assert.strictEqual(after.model.analysed.length, 1, 'not in memory after the reload: it runs again');
    assert.deepStrictEqual(after.workbench.revealed, [`${URI}@0-${TEXT.length}`]);
    assert.strictEqual(after.controller.recent.list().length, 1, 'and replaces its entry instead of adding one');
  });
});
