// The head finder's host side on a fake workbench: scores arrive after the analysis (computing → ready), one row per
// layer × head with every column described, the editor's definition pairs scored from the attention, and a clear
// status when there is no definition provider or the scores no longer match the analysis.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { HeadFinderMessage } from '../../../shared/messages';
import { AnalysisController } from '../../../src/analysis/analysisController';
import { definitionScores, identifierUsages, pairsFromDefinitions, type DefinitionPair } from '../../../src/analysis/definitionScore';
import { HeadFinderService, type HeadFinderDeps } from '../../../src/analysis/headFinderService';
import { PanelRestoreStore } from '../../../src/analysis/restoreStore';
import { argmaxRow, headMatrix } from '../../../src/engine/attention';
import { scoreHeads, SCORE_DESCRIPTIONS } from '../../../src/engine/headScores';
import type { AttentionResult } from '../../../src/engine/types';
import { FakeModel, FakeWorkbench, settle } from '../../support/fakeWorkbench';
import { fakeResult } from '../support/fakeResult';

const URI = 'file:///work/code.py';
const TEXT = 'total = add ( total , step )';

function setup(overrides: Partial<HeadFinderDeps> = {}, shown = true) {
  const workbench = new FakeWorkbench();
  workbench.documents.set(URI, TEXT);
  const model = new FakeModel();
  const controller = new AnalysisController(model, workbench, new PanelRestoreStore(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-finder-'))));
  const messages: HeadFinderMessage[] = [];
  const finder = new HeadFinderService({
    onDidChangeSession: controller.onDidChangeSession,
    findHeads: async (text) => {
      const result: AttentionResult = { ...fakeResult(text, model.layers, model.heads), model: controller.session!.result.model };
      return { result, heads: scoreHeads({ text, tokens: result.tokens, heads: model.heads, attention: result.attention }) };
    },
    definitionPairs: async () => ({ reason: 'no definition provider answered for this python file.' }),
    maxTokens: () => 512,
    log: workbench.log,
    ...overrides,
  });
  finder.onDidChange((m) => messages.push(m));
  if (shown) finder.activate(undefined);
  return { workbench, model, controller, finder, messages };
}

async function until(messages: HeadFinderMessage[], status: string) {
  for (let i = 0; i < 20 && messages.at(-1)?.status !== status; i++) await settle();
  assert.strictEqual(messages.at(-1)?.status, status, JSON.stringify(messages.at(-1)));
}

describe('head finder (host)', () => {
  it('runs nothing until the side panel shows it, then scores the current analysis', async () => {
    let runs = 0;
    const { controller, finder, messages } = setup({
      findHeads: async (text) => {
        runs++;
        const result = { ...fakeResult(text, 2, 3), model: controller.session!.result.model };
        return { result, heads: [] };
      },
    }, false);
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    await settle();
    assert.strictEqual(runs, 0, 'no second run while nobody looks');
    assert.strictEqual(messages.length, 0);
    finder.activate(controller.session);
    await until(messages, 'ready');
    assert.strictEqual(runs, 1);
    finder.activate(controller.session);
    await settle();
    assert.strictEqual(runs, 1, 'the side panel reloading does not score the same analysis again');
  });

  it('scores every head after the analysis: one row per layer × head, each column with what it measures', async () => {
    const { controller, messages } = setup();
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    assert.strictEqual(messages[0].status, 'computing', 'the table says it is computing first');
    await until(messages, 'ready');
    const table = messages.at(-1)!;
    assert.strictEqual(table.analysisId, controller.session!.id);
    assert.strictEqual(table.rows.length, 6, '2 layers × 3 heads');
    const names = table.columns.map((c) => c.name);
    assert.deepStrictEqual(names.slice(0, 3), ['entropy', 'distance', 'self']);
    assert.ok(names.includes('definitions') && names.includes('induction') && names.includes('brackets'));
    assert.strictEqual(table.columns.find((c) => c.name === 'previousToken')!.description, SCORE_DESCRIPTIONS.previousToken);
    const col = (name: string) => names.indexOf(name);
    assert.ok(table.rows.every((r) => r.scores[col('induction')] === null), 'no probe on an encoder');
    assert.ok(table.rows.every((r) => r.scores[col('definitions')] === null), 'no provider, no score');
    assert.ok(table.rows.every((r) => typeof r.scores[col('entropy')] === 'number' && r.scores[col('brackets')] !== null), 'one bracket pair in the text');
    assert.ok(table.notes.some((n) => /Definitions: no definition provider answered for this python file/.test(n)), table.notes.join(' | '));
    assert.ok(table.notes.some((n) => /causal \(decoder\) models only/.test(n)));
  });

  it("scores usage → definition pairs from the editor's definition provider against each head's strongest key", async () => {
    let pairs: DefinitionPair[] = [];
    const { controller, messages } = setup({
      definitionPairs: async (session) => {
        // "total" (token 5) is defined at token 1; "add"'s definition is not in the text.
        pairs = pairsFromDefinitions([5, 3], [{ start: 0, end: 5 }, undefined], session.tokenRanges);
        return { pairs };
      },
    });
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    await until(messages, 'ready');
    assert.deepStrictEqual(pairs.map((p) => [p.usage, [...p.definition]]), [[5, [1]]]);
    const result = controller.session!.result;
    const table = messages.at(-1)!;
    const col = table.columns.findIndex((c) => c.name === 'definitions');
    for (const row of table.rows) {
      const hit = argmaxRow(headMatrix(result.attention[row.layer], result.tokens.length, row.head), result.tokens.length, 5) === 1;
      assert.strictEqual(row.scores[col], hit ? 1 : 0, `L${row.layer}H${row.head}`);
    }
    assert.ok(table.notes.some((n) => /1 usage → definition pairs/.test(n)));
  });

  it('says so when the scores no longer fit the analysis (token limit or model changed), and when scoring fails', async () => {
    const { controller, messages } = setup({ findHeads: async (text) => ({ result: fakeResult(`${text} extra`, 2, 3), heads: [] }) });
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    await until(messages, 'error');
    assert.match(messages.at(-1)!.message!, /re-run it to score its heads/);
    const failing = setup({ findHeads: async () => Promise.reject(new Error('worker crashed')) });
    await failing.controller.analyze(URI, { start: 0, end: TEXT.length });
    await until(failing.messages, 'error');
    assert.match(failing.messages.at(-1)!.message!, /The heads could not be scored: worker crashed/);
  });

  it('a newer analysis supersedes a run still scoring the older one', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const { controller, messages, model } = setup();
    const base = new HeadFinderService({
      onDidChangeSession: controller.onDidChangeSession,
      findHeads: async (text, opts) => {
        calls++;
        if (calls === 1) await gate;
        if (opts.signal?.aborted) throw new Error('cancelled');
        const result = { ...fakeResult(text, model.layers, model.heads), model: controller.session!.result.model };
        return { result, heads: [] };
      },
      definitionPairs: async () => ({ pairs: [] }),
      maxTokens: () => 512,
      log: new FakeWorkbench().log,
    });
    const seen: HeadFinderMessage[] = [];
    base.onDidChange((m) => seen.push(m));
    base.activate(undefined);
    await controller.analyze(URI, { start: 0, end: 5 });
    const firstId = controller.session!.id;
    await controller.analyze(URI, { start: 0, end: TEXT.length });
    release();
    await until(seen, 'ready');
    assert.notStrictEqual(seen.at(-1)!.analysisId, firstId);
    assert.ok(!seen.some((m) => m.analysisId === firstId && m.status !== 'computing'), 'the older run published nothing after it was superseded');
    assert.ok(messages.length > 0);
  });
});

describe('definition score (pure)', () => {
  it('finds identifier usages, later occurrences first, and maps definitions to tokens', () => {
    const text = 'x = 1\nfoo(x)';
    // The text starts at document offset 10; tokens: [CLS] x = 1 foo ( x ).
    const ranges = [undefined, { start: 10, end: 11 }, { start: 12, end: 13 }, { start: 14, end: 15 }, { start: 16, end: 19 }, { start: 19, end: 20 }, { start: 20, end: 21 }, { start: 21, end: 22 }];
    const usages = identifierUsages(text, ranges, 10, 10);
    assert.deepStrictEqual(usages.map((u) => u.token), [6, 1, 4], 'the repeated x first, then first occurrences');
    assert.deepStrictEqual(pairsFromDefinitions([6, 4], [{ start: 10, end: 11 }, { start: 16, end: 19 }], ranges).map((p) => [p.usage, [...p.definition]]), [[6, [1]]], 'a definition on the usage itself is no pair');
  });

  it('is null without pairs and the share of hits per head otherwise', () => {
    const r = fakeResult('a b a', 1, 2);
    assert.strictEqual(definitionScores(r, []), null);
    const n = r.tokens.length;
    const target = argmaxRow(headMatrix(r.attention[0], n, 0), n, 3);
    const scores = definitionScores(r, [{ usage: 3, definition: new Set([target]) }])!;
    assert.strictEqual(scores[0][0], 1);
  });
});
