// The lens tools in a real VS Code workbench (code-server): the head finder in the side panel and a click that opens a
// head, sinks and their colour-scale toggle, the value-norm toggle, a before/after-edit comparison, and How to read
// this. Expected scores come from the CLI over the same engine.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { heatmapState, LensSession, modelFolder, repoRoot } from './lensSession';
import { SAMPLE_PY } from './workspace';

/** The legend's weight as a number: it reads like the tooltip, as a percentage ("43.8%"). */
function legendNumber(text: string): number {
  const value = parseFloat(text);
  return text.trim().endsWith('%') ? value / 100 : value;
}

const SINKS_TXT = 'sinks.txt';
/** On the bundled model, layer 3 head 2 (1-based) sends most of this text's attention to [SEP]. */
const SINK_TEXT = 'a a a a a a a a a a';

const failureShots = path.join(repoRoot, 'test', 'e2e', 'screenshots');

/** A JavaScript file whose definitions VS Code's own TypeScript server finds: each later name points to line 1 or 2. */
const DEFS_JS = 'defs.js';
const DEFS_TEXT = 'const width = 3;\nconst height = width * 2;\nconst area = width * height;\n';

/** Runs `attention-lens <command> --json` on `text` with the suite's model and returns the JSON it wrote. */
function cliJson<T>(command: 'analyze' | 'heads', text: string): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lens-${command}-`));
  try {
    const input = path.join(dir, 'text.txt');
    const out = path.join(dir, 'out.json');
    fs.writeFileSync(input, text);
    const model = modelFolder();
    execFileSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), command, ...(model ? ['--model', model] : []), '--text-file', input, '--json', out, '--max-tokens', '512']);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as T;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `analyze --json`: the tokens and every head's matrix, [layer][head][query][key]. */
const cliAttention = (text: string) => cliJson<{ tokens: { text: string; start: number; end: number }[]; attention: number[][][][] }>('analyze', text);

/** `heads --json`, as the finder's numbers must agree with it. */
const cliHeads = (text: string) => cliJson<{ heads: { layer: number; head: number; scores: Record<string, number | null>; sinkTokens: number[] }[] }>('heads', text);

describe('Attention Lens lens tools in the VS Code workbench (code-server 4.100.3)', function () {
  const lens = new LensSession();

  before(async function () {
    this.timeout(240_000);
    // start() empties the work folder: keep the main suite's measurements.json (it runs first) through it.
    const measurements = path.join(lens.workDir, 'measurements.json');
    const kept = fs.existsSync(measurements) ? fs.readFileSync(measurements) : undefined;
    await lens.start();
    if (kept) fs.writeFileSync(measurements, kept);
    fs.writeFileSync(path.join(lens.workspaceDir, SINKS_TXT), `${SINK_TEXT}\n`);
    fs.writeFileSync(path.join(lens.workspaceDir, DEFS_JS), DEFS_TEXT);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && lens.page) {
      const name = `failed-lens-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`;
      await lens.reportFailure(failureShots, name).catch(() => undefined);
      await lens.page.keyboard.press('Escape').catch(() => undefined);
    }
  });

  after(async function () {
    this.timeout(30_000);
    await lens.stop();
  });

  async function sideFrame(selector: string): Promise<Frame> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      for (const frame of lens.page.frames()) {
        if (!frame.isDetached() && (await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
      }
      await lens.page.waitForTimeout(250);
    }
    throw new Error(`no webview showed ${selector}`);
  }

  async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await lens.page.waitForTimeout(100);
    }
  }

  async function chooseLayer(frame: Frame, label: string): Promise<void> {
    const select = frame.locator('[data-testid="layer-select"]');
    await select.click();
    await select.getByRole('option', { name: label, exact: true }).click();
  }

  it('the head finder scores every head; sorted by a described column, its best row opens that head in the panel', async function () {
    const { frame, expected, text } = await lens.analyseLines(SAMPLE_PY, 1, 3);
    await lens.workbench.openViewContainer('Attention Lens');
    const side = await sideFrame('[data-testid="head-finder"][data-status="ready"] tbody tr');
    const rows = side.locator('[data-testid="head-finder"] tbody tr');
    assert.strictEqual(await rows.count(), expected.model.layers * expected.model.heads);
    const header = side.locator('th button[data-column="previousToken"]');
    assert.match((await header.getAttribute('title')) ?? '', /strongest key is the token just before/);
    await header.click();
    const best = Math.max(...cliHeads(text).heads.map((h) => h.scores.previousToken ?? 0));
    const first = rows.first();
    const column: number = await side.evaluate(`[...document.querySelectorAll('[data-testid="head-finder"] th button')].findIndex((b) => b.dataset.column === 'previousToken')`);
    assert.strictEqual(await first.locator('td').nth(column).innerText(), best.toFixed(2), 'the best previous-token score, as the CLI computes it');
    const layer = Number(await first.getAttribute('data-layer'));
    const head = Number(await first.getAttribute('data-head'));
    await first.click();
    await waitFor(`the panel to show L${layer}H${head}`, async () => (await heatmapState(frame)).view === `L${layer}H${head}`);
    assert.match(await side.locator('[data-testid="head-finder"] .notes').innerText(), /Definitions: /);
  });

  it("scores each head against the definitions VS Code's TypeScript server finds in a JavaScript file", async function () {
    await lens.analyseLines(DEFS_JS, 1, 3);
    await lens.workbench.openViewContainer('Attention Lens');
    const side = await sideFrame('[data-testid="head-finder"][data-status="ready"] tbody tr');
    const notes = side.locator('[data-testid="head-finder"] .notes');
    // The language server answers Go to Definition: width (lines 2 and 3) → line 1, height (line 3) → line 2.
    await notes.filter({ hasText: /Definitions: \d+ usage → definition pairs/ }).waitFor({ timeout: 60_000 });
    assert.match(await notes.innerText(), /Definitions: 3 usage → definition pairs from the editor's definition provider/);
    // Expected: for each head, the share of those usages whose strongest key (first on ties) is their definition.
    const { tokens, attention } = cliAttention(DEFS_TEXT);
    const tokenAt = (offset: number) => tokens.findIndex((t) => t.start <= offset && offset < t.end);
    const line2 = DEFS_TEXT.indexOf('\n') + 1;
    const line3 = DEFS_TEXT.indexOf('\n', line2) + 1;
    const pairs = [
      { usage: tokenAt(DEFS_TEXT.indexOf('width', line2)), definition: tokenAt(DEFS_TEXT.indexOf('width')) },
      { usage: tokenAt(DEFS_TEXT.indexOf('width', line3)), definition: tokenAt(DEFS_TEXT.indexOf('width')) },
      { usage: tokenAt(DEFS_TEXT.indexOf('height', line3)), definition: tokenAt(DEFS_TEXT.indexOf('height')) },
    ];
    const argmax = (row: number[]) => row.reduce((best, v, k) => (v > row[best] ? k : best), 0);
    const column: number = await side.evaluate(`[...document.querySelectorAll('[data-testid="head-finder"] th button')].findIndex((b) => b.dataset.column === 'definitions')`);
    const rows = side.locator('[data-testid="head-finder"] tbody tr');
    const count = await rows.count();
    assert.strictEqual(count, attention.length * attention[0].length, 'one row per head');
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      const row = rows.nth(i);
      const layer = Number(await row.getAttribute('data-layer'));
      const head = Number(await row.getAttribute('data-head'));
      const matrix = attention[layer][head];
      const expected = pairs.filter((p) => argmax(matrix[p.usage]) === p.definition).length / pairs.length;
      assert.strictEqual(await row.locator('td').nth(column).innerText(), expected.toFixed(2), `layer ${layer + 1} head ${head + 1}`);
      seen.add(expected.toFixed(2));
    }
    console.log(`      Definitions scores over ${count} heads: ${[...seen].sort().join(', ')}`);
  });

  it('flags an attention sink, says what it is, and leaves it out of the colour scale on request', async function () {
    const { frame } = await lens.analyseLines(SINKS_TXT, 1, 1);
    const sink = cliHeads(SINK_TEXT).heads.find((h) => h.layer === 2 && h.head === 1)!;
    assert.deepStrictEqual(sink.sinkTokens, [11], 'the CLI finds [SEP] as the sink of layer 3 head 2');
    await chooseLayer(frame, 'Layer 3');
    await lens.chooseHead(frame, '1', 'Head 2');
    const hm = frame.locator('[data-testid="heatmap"]');
    await waitFor('the sink to be found', async () => (await hm.getAttribute('data-sinks')) === '11');
    assert.strictEqual(await frame.locator('[data-testid="sink-note"]').innerText(), 'Sink: [SEP]');
    assert.match((await frame.locator('[data-testid="sink-toggle"]').locator('xpath=..').getAttribute('title')) ?? '', /Xiao et al\. 2023/);
    // Special tokens are shown (the default): the sink column is flagged on the axis and can leave the colour scale.
    assert.strictEqual(await frame.locator('[data-testid="axis-labels"] li[data-sink]').getAttribute('aria-label'), '[SEP] (attention sink)');
    const legendMax = async () => legendNumber(await frame.locator('.legend span').nth(2).innerText());
    const withSink = await legendMax();
    await frame.locator('[data-testid="sink-toggle"]').check();
    await waitFor('the colour scale without the sink', async () => (await hm.getAttribute('data-sink-scale')) === 'excluded');
    const without = await legendMax();
    assert.ok(without < withSink, `colour scale top ${without} without the sink, ${withSink} with it`);
    await frame.locator('[data-testid="sink-toggle"]').uncheck();
    await waitFor('the sink back in the colour scale', async () => (await legendMax()) === withSink);
  });

  it('the value-norm toggle repaints the head weighted by value norm, and back', async function () {
    const { frame } = await lens.analyseLines(SAMPLE_PY, 1, 2);
    await lens.chooseHead(frame, '0', 'Head 1');
    const select = frame.locator('[data-testid="weighting-select"]');
    await waitFor('value norm to be offered', async () => !(await select.isDisabled()));
    const before = await heatmapState(frame);
    await select.selectOption('value-norm');
    await waitFor('the value-norm repaint', async () => (await heatmapState(frame)).renderCount > before.renderCount && (await frame.locator('[data-testid="heatmap"]').getAttribute('data-weighting')) === 'value-norm');
    assert.strictEqual(await frame.locator('[data-testid="status"].error').count(), 0, 'the panel shows an error');
    // Unnormalised: α·‖f(x)‖ is not a distribution, so the legend's top is not a weight ≤ 1 any more.
    assert.ok(legendNumber(await frame.locator('.legend span').nth(2).innerText()) > 1, 'value-norm cells are unnormalised');
    await select.selectOption('weights');
    await waitFor('the weights again', async () => (await frame.locator('[data-testid="heatmap"]').getAttribute('data-weighting')) === 'weights');
  });

  it('Compare With Another Model… ranks every head; the same model in another folder differs by zero everywhere', async function () {
    const { page, workbench } = lens;
    // A copy of the bundled model in the workspace: the "other model" is the same weights, so every distance is 0.
    const copy = path.join(lens.workspaceDir, 'model-copy');
    fs.cpSync(modelFolder() ?? path.join(repoRoot, 'media', 'model'), copy, { recursive: true });
    const { frame } = await lens.analyseLines(SAMPLE_PY, 1, 2);
    await workbench.runCommand('Attention Lens: Compare With Another Model…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Another model folder…' }).first().click();
    const input = page.locator('.quick-input-widget input.input');
    await waitFor('the folder dialog', async () => (await input.isVisible()) && (await input.inputValue()).startsWith('/'));
    // The simple dialog: Enter goes into the folder; its Compare button picks it.
    await input.fill(`${copy}/`);
    await waitFor('the dialog to list the copy', async () => (await page.locator('.quick-input-list .monaco-list-row', { hasText: 'onnx' }).count()) > 0);
    await page.locator('.quick-input-widget .monaco-button', { hasText: 'Compare' }).first().click();
    const toast = page.locator('.notification-toast', { hasText: 'the heads that differ most are' });
    await toast.waitFor({ timeout: 90_000 });
    assert.match(await toast.innerText(), /vs model-copy: the heads that differ most are L\d H\d \(0\.000\)/);
    await workbench.runCommand('Notifications: Clear All Notifications');
    if ((await heatmapState(frame)).head === '') await lens.chooseHead(frame, '0', 'Head 1');
    if (!(await frame.locator('[data-testid="compare"]').isVisible())) await frame.locator('[data-testid="compare-open"]').click();
    await frame.locator('[data-testid="compare-mode"]').selectOption('model');
    await frame.locator('[data-testid="compare-run"]').click();
    await waitFor('the model comparison', async () => /this model vs model-copy \(token level\): mean Jensen–Shannon distance 0\.000/.test(await frame.locator('[data-testid="compare-status"]').innerText()));
    assert.strictEqual(Number(await frame.locator('[data-testid="difference-heatmap"]').getAttribute('data-max-difference')), 0);
  });

  it('compares a head before and after an edit, ranks every head, and opens How to read this', async function () {
    const { page, workbench } = lens;
    const original = lens.fileText(SAMPLE_PY);
    const { frame, text } = await lens.analyseLines(SAMPLE_PY, 1, 2);
    await workbench.focusEditor(SAMPLE_PY);
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    await page.keyboard.type('  # greets');
    const banner = frame.locator('[data-testid="stale-banner"]');
    await banner.waitFor({ state: 'visible', timeout: 15_000 });
    await banner.locator('vscode-button').click();
    const firstLine = text.indexOf('\n');
    const { frame: rerun, expected } = await lens.heatmapFor(`${text.slice(0, firstLine)}  # greets${text.slice(firstLine)}`);
    try {
      // Compare works on one head; the panel keeps the view of earlier tests, so pick a head only if it shows an aggregate.
      if ((await heatmapState(rerun)).head === '') await lens.chooseHead(rerun, '0', 'Head 1');
      if (!(await rerun.locator('[data-testid="compare"]').isVisible())) await rerun.locator('[data-testid="compare-open"]').click();
      await rerun.locator('[data-testid="compare-mode"]').selectOption('edit');
      await rerun.locator('[data-testid="compare-run"]').click();
      await rerun.locator('[data-testid="difference-heatmap"]').waitFor({ timeout: 30_000 });
      assert.match(await rerun.locator('[data-testid="compare-status"]').innerText(), /Layer \d+ · Head \d+, before vs after the edit \(character level\): mean Jensen–Shannon distance \d\.\d{3}/);
      assert.ok(Number(await rerun.locator('[data-testid="difference-heatmap"]').getAttribute('data-max-difference')) > 0, 'the edit moved attention');
      assert.strictEqual(await rerun.locator('[data-testid="compare-ranking"] button').count(), Math.min(12, expected.model.layers * expected.model.heads));
      assert.match(await rerun.locator('[data-testid="compare"] .notes').innerText(), /The texts differ/);
      await rerun.locator('[data-testid="how-to-read"]').click();
      await page.locator('.tab', { hasText: 'how-to-read-attention' }).first().waitFor({ timeout: 30_000 });
    } finally {
      fs.writeFileSync(path.join(lens.workspaceDir, SAMPLE_PY), original);
      await workbench.openFile(SAMPLE_PY);
      await workbench.runCommand('File: Revert File');
    }
  });
});
