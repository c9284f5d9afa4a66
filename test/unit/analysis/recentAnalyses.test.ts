import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisSession } from '../../../src/analysis/analysisSession';
import { JsonFileMemento } from '../../../src/analysis/jsonFileMemento';
import { RecentAnalyses } from '../../../src/analysis/recentAnalyses';
import { analysisLabel, truncateGraphemes } from '../../../shared/graphemes';
import { fakeResult } from '../support/fakeResult';

function session(id: string, uri: string, range: { start: number; end: number }, model = 'fake', text = 'the cat sat') {
  const result = fakeResult(text, 1, 1);
  result.model = { ...result.model, name: model, onnxFile: `/models/${model}/model.onnx` };
  return new AnalysisSession(id, uri, range, result, analysisLabel(path.basename(uri), text));
}

describe('recent analyses', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recent-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists one entry per file, range and model: running the same range again replaces it', () => {
    const recent = new RecentAnalyses();
    recent.add(session('a', 'file:///x.ts', { start: 0, end: 11 }));
    recent.add(session('b', 'file:///x.ts', { start: 0, end: 11 }));
    recent.add(session('c', 'file:///x.ts', { start: 0, end: 11 }, 'gpt2'));
    recent.add(session('d', 'file:///y.ts', { start: 0, end: 11 }));
    assert.deepStrictEqual(recent.list().map((e) => e.analysisId), ['d', 'c', 'b']);
    assert.strictEqual(recent.get('a'), undefined);
  });

  it('hands back the analysis still in memory instead of re-running it, only for the newest few', () => {
    const recent = new RecentAnalyses();
    const first = session('s0', 'file:///0.ts', { start: 0, end: 11 });
    recent.add(first);
    assert.strictEqual(recent.cached('file:///0.ts', { start: 0, end: 11 }, 'fake\u0000/models/fake/model.onnx'), first);
    for (let i = 1; i <= 3; i++) recent.add(session(`s${i}`, `file:///${i}.ts`, { start: 0, end: 11 }));
    assert.strictEqual(recent.get('s0')?.session, undefined, 'pushed out of memory');
    assert.deepStrictEqual(recent.list().map((e) => e.cached), [true, true, true, false]);
  });

  it('is kept across a reload through the store, without the results, and ignores a corrupt store', async () => {
    const file = path.join(dir, 'state.json');
    const before = new RecentAnalyses(new JsonFileMemento(file));
    before.add(session('a', 'file:///x.ts', { start: 2, end: 13 }));
    before.add(session('b', 'file:///y.ts', { start: 0, end: 11 }));
    const after = new RecentAnalyses(new JsonFileMemento(file));
    assert.deepStrictEqual(after.list().map((e) => [e.analysisId, e.cached]), [['b', false], ['a', false]]);
    assert.deepStrictEqual(after.get('a')?.range, { start: 2, end: 13 });
    assert.ok(!fs.readdirSync(dir).some((f) => f.endsWith('.tmp')), 'no temporary file left behind');
    fs.writeFileSync(file, '{"attentionLens.recentAnalyses":[{"info":{}},42]}');
    assert.deepStrictEqual(new RecentAnalyses(new JsonFileMemento(file)).list(), []);
    fs.writeFileSync(file, 'not json');
    assert.deepStrictEqual(new RecentAnalyses(new JsonFileMemento(file)).list(), []);
  });

  it('says when the store cannot be written, keeps listing this window\'s analyses, and leaves no temporary file', async () => {
    // The storage file's place is taken by a folder: every write fails (EISDIR on the rename).
    const file = path.join(dir, 'state.json');
    fs.mkdirSync(file);
    const errors: string[] = [];
    const recent = new RecentAnalyses(new JsonFileMemento(file), (e) => errors.push((e as NodeJS.ErrnoException).code ?? String(e)));
    recent.add(session('a', 'file:///x.ts', { start: 0, end: 11 }));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepStrictEqual(recent.list().map((e) => e.analysisId), ['a']);
    assert.strictEqual(errors.length, 1, 'one failed write, reported');
    assert.match(errors[0], /^E[A-Z]+$/);
    assert.deepStrictEqual(fs.readdirSync(dir), ['state.json'], 'no temporary file left behind');
    // A store that throws instead of rejecting is reported the same way.
    const throwing = new RecentAnalyses({ get: () => undefined, update: () => { throw new Error('quota exceeded'); } }, (e) => errors.push(String(e)));
    throwing.add(session('b', 'file:///y.ts', { start: 0, end: 11 }));
    assert.deepStrictEqual(throwing.list().map((e) => e.analysisId), ['b']);
    assert.strictEqual(errors[1], 'Error: quota exceeded');
  });
});

describe('labels that never split a character', () => {
  it('cuts after whole graphemes: emoji with skin tone, flags, combining accents', () => {
    assert.strictEqual(truncateGraphemes('👋🏽👋🏽👋🏽', 2), '👋🏽…');
    assert.strictEqual(truncateGraphemes('🇫🇷🇩🇪🇮🇹🇪🇸', 3), '🇫🇷🇩🇪…');
    assert.strictEqual(truncateGraphemes('e\u0301e\u0301e\u0301', 2), 'e\u0301…');
    assert.strictEqual(truncateGraphemes('short', 10), 'short');
    assert.strictEqual(truncateGraphemes('👋🏽👋🏽', 2), '👋🏽👋🏽', 'exactly max graphemes is not cut');
  });

  it('labels an analysis by file and first words, collapsing whitespace', () => {
    assert.strictEqual(analysisLabel('main.ts', '  the\n\tcat  '), 'main.ts: the cat');
    const long = `${'x'.repeat(31)}👋🏽 and more`;
    assert.strictEqual(analysisLabel('a.md', long), `a.md: ${'x'.repeat(31)}👋🏽…`);
  });
});
