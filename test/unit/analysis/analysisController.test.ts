// The analysis controller against a fake workbench and engine: what the user would see go wrong if it broke.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AnalysisStatus } from '../../../shared/messages';
import { AnalysisController, type AnalysisState } from '../../../src/analysis/analysisController';
import type { AnalysisSession } from '../../../src/analysis/analysisSession';
import { PanelRestoreStore } from '../../../src/analysis/restoreStore';
import { ModelSwitch } from '../../../src/models/modelSwitch';
import { FakeModel, FakeWorkbench, settle } from '../../support/fakeWorkbench';

const URI = 'file:///work/notes.md';
const TEXT = 'the cat sat on the mat because it was tired';

function setup(storage = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-restore-'))) {
  const workbench = new FakeWorkbench();
  workbench.documents.set(URI, TEXT);
  const model = new FakeModel();
  const controller = new AnalysisController(model, workbench, new PanelRestoreStore(storage));
  const statuses: AnalysisStatus['kind'][] = [];
  const sessions: AnalysisSession[] = [];
  controller.onDidChangeState(() => statuses.push(controller.status.kind));
  controller.onDidChangeSession((s) => sessions.push(s));
  return { workbench, model, controller, statuses, sessions, storage };
}

describe('analysis controller', () => {
  it('runs Show Attention on a range, reports loading → running → ready, and makes it the current analysis', async () => {
    const { controller, statuses, sessions } = setup();
    await controller.analyze(URI, { start: 4, end: 15 });
    assert.deepStrictEqual(statuses, ['loading', 'running', 'ready']);
    assert.strictEqual(sessions.length, 1);
    assert.strictEqual(controller.session, sessions[0]);
    assert.strictEqual(controller.session!.result.text, 'cat sat on ');
    assert.strictEqual(controller.session!.label, 'notes.md: cat sat on');
    assert.deepStrictEqual(controller.recent.list().map((r) => r.label), ['notes.md: cat sat on']);
  });

  it('re-runs the same range with the edited text, and says so when there is nothing to re-run', async () => {
    const { controller, workbench, model } = setup();
    await controller.rerun();
    assert.deepStrictEqual(workbench.shown, [{ level: 'info', message: 'No analysis to re-run yet. Select text and run Show Attention.' }]);
    await controller.analyze(URI, { start: 0, end: 7 });
    const first = controller.session!;
    workbench.documents.set(URI, `the dog${TEXT.slice(7)}`);
    await controller.rerun();
    assert.notStrictEqual(controller.session, first);
    assert.strictEqual(controller.session!.result.text, 'the dog');
    assert.deepStrictEqual(model.analysed, ['the cat', 'the dog']);
  });

  it('keeps the shown analysis when a re-run fails, reports the failure, and retries it after a model switch', async () => {
    const { controller, workbench, model, statuses } = setup();
    await controller.analyze(URI, { start: 0, end: 7 });
    const shown = controller.session;
    model.failNext = new Error('The graph has no attention outputs.');
    await controller.rerun();
    assert.strictEqual(controller.session, shown, 'the old analysis stays on screen');
    assert.deepStrictEqual(controller.status, { kind: 'error', message: 'The graph has no attention outputs.' });
    assert.match(workbench.shown.at(-1)!.message, /could not analyse the text: The graph has no attention outputs/);
    // The user picks another model from the error message: the switch re-runs what failed, with the new model.
    model.name = 'model-b';
    const modelSwitch = new ModelSwitch(model, controller, () => true, workbench);
    modelSwitch.settingsChanged();
    await settle();
    await settle();
    assert.strictEqual(controller.session!.result.model.name, 'model-b');
    assert.strictEqual(statuses.at(-1), 'ready');
  });

  it('a model switch with no panel open only preloads when asked to, and ignores writes while the picker runs', async () => {
    const { controller, workbench, model } = setup();
    await controller.analyze(URI, { start: 0, end: 7 });
    const modelSwitch = new ModelSwitch(model, controller, () => false, workbench);
    let finishPick: (picked: boolean) => void = () => undefined;
    const picking = modelSwitch.pick(() => new Promise<boolean>((resolve) => (finishPick = resolve)));
    model.name = 'model-b'; // the picker wrote the model setting: the loaded engine no longer matches
    modelSwitch.settingsChanged();
    assert.strictEqual(model.loadedAs, 'model-a', 'nothing happens while the picker is still writing settings');
    finishPick(true);
    await picking;
    await settle();
    assert.strictEqual(model.loadedAs, 'model-b', 'the picked model is loaded right away');
    assert.strictEqual(model.analysed.length, 1, 'no re-run without a panel');
  });

  it('a newer run wins over one still running, and cancel stops a run', async () => {
    const { controller, model } = setup();
    let open: () => void = () => undefined;
    model.gate = new Promise((resolve) => (open = resolve));
    const first = controller.analyze(URI, { start: 0, end: 7 });
    await settle();
    const second = controller.analyze(URI, { start: 8, end: 15 });
    await settle();
    model.gate = undefined;
    open();
    await Promise.all([first, second]);
    assert.strictEqual(controller.session!.result.text, 'sat on ');

    model.gate = new Promise(() => undefined); // never answers
    const hanging = controller.analyze(URI, { start: 0, end: 3 });
    await settle();
    assert.strictEqual(controller.status.kind, 'running');
    controller.cancel();
    assert.strictEqual(controller.state.kind, 'running', 'the run ends when the engine notices the abort');
    void hanging;
  });

  it('brings an analysis back after a window reload: at once when its document is open, else on Re-run', async () => {
    const first = setup();
    await first.controller.analyze(URI, { start: 4, end: 15 });
    const id = first.controller.session!.id;

    // Reload with the document open in a tab: the same analysis (same id, so the webview's saved view applies).
    const open = setup(first.storage);
    open.workbench.openTabs.add(URI);
    await open.controller.restore(id);
    assert.strictEqual(open.controller.session!.id, id);
    assert.strictEqual(open.controller.session!.result.text, 'cat sat on ');

    // Reload without it: the panel says the analysis ended with the window, until Re-run.
    const closed = setup(first.storage);
    await closed.controller.restore(id);
    assert.strictEqual(closed.controller.session, undefined);
    assert.deepStrictEqual(closed.controller.status, { kind: 'stale', message: 'This analysis ended with the last window. Open its file again or Re-run it to see it.' });
    await closed.controller.rerun();
    assert.strictEqual(closed.controller.session!.id, id);

    // Reload where the window brings the document's tab back after the panel: the analysis comes back then, once.
    const late = setup(first.storage);
    await late.controller.restore(id);
    assert.strictEqual(late.controller.state.kind, 'restorePending');
    late.workbench.openTab('file:///work/other.md');
    assert.strictEqual(late.controller.state.kind, 'restorePending', 'another file opening brings nothing back');
    late.workbench.openTab(URI);
    late.workbench.openTab(URI);
    await settle();
    assert.strictEqual(late.controller.session!.id, id);
    assert.deepStrictEqual(late.model.analysed, ['cat sat on ']);
    assert.strictEqual(late.workbench.tabListenerCount, 0, 'it stops watching the tabs once restored');
    assert.strictEqual(late.workbench.logged.filter((m) => m.includes('is open again')).length, 1, 'one re-run for two tab events');
    late.workbench.openTab(URI);
    await settle();
    assert.deepStrictEqual(late.model.analysed, ['cat sat on '], 'opening the file again later runs nothing');

    // Reload after the text changed on disk: refused with a way forward, nothing analysed.
    const changed = setup(first.storage);
    changed.workbench.documents.set(URI, 'a completely different text');
    await changed.controller.restore(id);
    await changed.controller.rerun();
    assert.deepStrictEqual(changed.controller.status, {
      kind: 'error',
      message: 'The text analysed before the reload has changed. Select it and run Show Attention again.',
    });
    assert.deepStrictEqual(changed.model.analysed, []);
  });

  it('re-opens a recent analysis from its kept results, found again after untracked edits', async () => {
    const { controller, model, workbench, sessions } = setup();
    await controller.analyze(URI, { start: 4, end: 7 });
    const cat = controller.session!;
    await controller.analyze(URI, { start: 8, end: 11 });
    workbench.documents.set(URI, `well, ${TEXT}`);
    await controller.openRecent(cat.id);
    assert.strictEqual(controller.session, cat);
    assert.deepStrictEqual(cat.range, { start: 10, end: 13 });
    assert.strictEqual(model.analysed.length, 2, 'no new run');
    assert.strictEqual(sessions.at(-1), cat);
  });

  it('fires a state change when the analysed text goes stale, so every surface can show it', async () => {
    const { controller } = setup();
    await controller.analyze(URI, { start: 4, end: 7 });
    const states: AnalysisState['kind'][] = [];
    controller.onDidChangeState((s) => states.push(s.kind));
    controller.session!.markStale();
    controller.staleChanged(controller.session!);
    assert.deepStrictEqual(states, ['idle']);
    assert.deepStrictEqual(controller.status, { kind: 'stale' });
  });
  it("tells why the text was cut (memory's note, not the generic notice) and when the model cannot read most of it", async () => {
    const { controller, workbench, model } = setup();
    const memoryLimitNote = 'Cut to 40 tokens to bound memory: the attention of 32 layers × 32 heads at 4096 tokens would need 8.0 GB, more than the 1.0 GB allowed.';
    const unknownTokensNote = "5 of 6 tokens are [UNK]: model-a's vocabulary has no pieces for most of this text (emoji, CJK or other scripts), so its attention says little. Xenova/roberta-base (byte-level, every character has tokens) reads it.";
    model.resultExtras = { truncated: true, memoryLimitNote, unknownTokensNote };
    await controller.analyze(URI, { start: 0, end: 7 });
    assert.deepStrictEqual(workbench.shown, [
      { level: 'info', message: memoryLimitNote },
      { level: 'info', message: unknownTokensNote },
    ]);
    // Cut by the maxTokens setting alone: the generic notice, pointing at the setting.
    workbench.shown.length = 0;
    model.resultExtras = { truncated: true };
    await controller.analyze(URI, { start: 0, end: 15 });
    assert.strictEqual(workbench.shown.length, 1);
    assert.match(workbench.shown[0].message, new RegExp(`^The text is longer than ${controller.session!.result.tokens.length} tokens: only the first part was analysed, up to line 1, column \\d+ \\(\\d+ of 15 characters; see attentionLens.maxTokens\\)\\.$`));
    workbench.shown.length = 0;
    model.resultExtras = {};
    await controller.analyze(URI, { start: 0, end: 11 });
    assert.deepStrictEqual(workbench.shown, []);
  });
});
