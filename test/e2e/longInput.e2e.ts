// Long inputs in the packaged extension (code-server): a LLaMA-architecture model with 8,192 positions analyses a
// ~8,000-token file on the long path (rows replayed from queries and keys, no N×N held in the extension host), and
// hovering tokens near the end of the file shows their exact rows, checked against the CLI's `--query` over the
// same engine (itself held to PyTorch in test/unit/engine/longAnalysis.test.ts). Run alone with
// `npx mocha --config test/e2e/.mocharc.json --grep "long inputs"` after `npm run package && bash test/e2e/install-code-server.sh`.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { DARK_THEME, LensSession, median, repoRoot, settings } from './lensSession';

const execFileAsync = promisify(execFile);
const LONG_FILE = 'long_8k.js';
const LLAMA = path.join(repoRoot, 'test', 'fixtures', 'models', 'llama');
const failureShots = path.join(repoRoot, 'test', 'e2e', 'screenshots');

/** The layer-0 mean-of-heads row of token `query` (the editor's default view), from the CLI's `--query`. */
async function cliMeanRow(text: string, query: number): Promise<{ tokens: number; row: number[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-e2e-query-'));
  try {
    fs.writeFileSync(path.join(dir, 'input.txt'), text);
    const out = path.join(dir, 'row.json');
    const args = [path.join(repoRoot, 'dist', 'cli.js'), 'analyze', '--model', LLAMA, '--text-file', path.join(dir, 'input.txt'), '--query', String(query), '--max-tokens', '8192', '--json', out];
    await execFileAsync(process.execPath, args, { cwd: repoRoot, timeout: 120_000 });
    const json = JSON.parse(fs.readFileSync(out, 'utf8')) as { tokens: unknown[]; queryAttention: number[][][] };
    const heads = json.queryAttention[0];
    return { tokens: json.tokens.length, row: heads[0].map((_, k) => heads.reduce((sum, row) => sum + row[k], 0) / heads.length) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('long inputs in the VS Code workbench (code-server 4.100.3)', function () {
  const lens = new LensSession();

  before(async function () {
    this.timeout(240_000);
    await lens.start();
    lens.server!.writeUserSettings({ ...settings(DARK_THEME), 'attentionLens.model': LLAMA, 'attentionLens.maxTokens': 8192 });
    const ref = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'long', 'llama-references.json'), 'utf8')) as { cases: { text: string; ids: number[] }[] };
    fs.writeFileSync(path.join(lens.workspaceDir, LONG_FILE), ref.cases.reduce((a, b) => (b.ids.length > a.ids.length ? b : a)).text);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && lens.page) await lens.reportFailure(failureShots, 'failed-long-input.png').catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await lens.stop();
  });

  it('analyses a ~8,000-token file and hovering tokens near its end shows their exact attention rows', async function () {
    this.timeout(300_000);
    const { page, workbench } = lens;
    const text = lens.fileText(LONG_FILE);
    await workbench.openFile(LONG_FILE);
    await workbench.selectAll(LONG_FILE);
    await workbench.runCommand('Attention Lens: Show Attention');
    const editor = workbench.editorFor(LONG_FILE);
    const hover = page.locator('.monaco-hover:visible', { hasText: 'attends most to' });
    /** Hovers a word on the `fromEnd`-th non-empty line counted up from the bottom of the editor's viewport. */
    const hoverLine = async (fromEnd: number) => {
      const lines = editor.locator('.view-lines .view-line');
      const boxes = await lines.evaluateAll((els) =>
        els.map((e) => ({ top: (e as unknown as { getBoundingClientRect(): { top: number } }).getBoundingClientRect().top, text: (e as unknown as { textContent: string | null }).textContent ?? '' })),
      );
      const order = boxes.map((b, i) => ({ ...b, i })).filter((b) => /\w{3,}/.test(b.text)).sort((a, b) => b.top - a.top);
      await page.mouse.move(2, 2);
      await lines.nth(order[fromEnd - 1].i).locator('span span').filter({ hasText: /\w{3,}/ }).first().hover();
      return hover.waitFor({ timeout: 5_000 }).then(() => readCard(hover), () => undefined);
    };
    // The analysis is there once a hover card appears (analysing ~8,000 tokens takes seconds on two cores).
    const deadline = Date.now() + 180_000;
    while (!(await hoverLine(1))) assert.ok(Date.now() < deadline, 'no hover card with attention appeared within 3 minutes');
    // Show the file's last lines (Go to Line centres one some 20 lines above the end).
    await page.mouse.move(2, 2);
    await page.keyboard.press('Escape');
    await workbench.openFile(LONG_FILE);
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`:${text.split('\n').length - 20}`);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 15_000 });
    const checked: number[] = [];
    for (const fromEnd of [1, 2, 3]) {
      const card = await hoverLine(fromEnd);
      assert.ok(card, `no hover card on line ${fromEnd} from the end`);
      const expected = await cliMeanRow(text, card.query);
      assert.ok(expected.tokens > 7_900 && card.query > expected.tokens - 150, `token ${card.query} of ${expected.tokens} is near the end`);
      const top = [...expected.row.keys()].sort((a, b) => expected.row[b] - expected.row[a] || a - b).slice(0, card.rows.length);
      assert.deepStrictEqual(card.rows.map((r) => r.key), top, `token ${card.query}: the card's keys are the exact row's strongest`);
      card.rows.forEach((r) => assert.ok(Math.abs(r.weight - expected.row[r.key] * 100) <= 0.051, `token ${card.query} key ${r.key}: ${r.weight}% vs ${expected.row[r.key] * 100}%`));
      checked.push(card.query);
    }
    assert.strictEqual(new Set(checked).size, 3, `three different tokens hovered: ${checked}`);
  });

  it('hovering tokens near the end in the panel\'s strip tints the editor from their exact rows', async function () {
    this.timeout(300_000);
    const { page, workbench } = lens;
    const text = lens.fileText(LONG_FILE);
    await page.mouse.move(2, 2);
    await page.keyboard.press('Escape');
    await workbench.openFile(LONG_FILE);
    // Select it all from the keyboard, ending at the end of the file: the editor then shows the end, where the tints of
    // the tokens hovered below land (clicking into the editor to focus it can hit a leftover hover overlay).
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+Shift+End');
    await workbench.waitForSelectionLength(text.length);
    // The panel still shows the first test's analysis of this file, with the same tokens: mark its strip, so the wait
    // below finds the strip of the new analysis (hovering the old one while the new one arrives hovers a detached node).
    for (const f of page.frames()) {
      await f.evaluate(`document.querySelectorAll('[data-testid="token-strip"] span.token').forEach((s) => { s.dataset.previous = '1'; })`).catch(() => undefined);
    }
    await workbench.runCommand('Attention Lens: Show Attention');
    const last = (await cliMeanRow(text, 0)).tokens - 1;
    const frame = await workbench.webviewFrame(`[data-testid="token-strip"] span.token[data-index="${last}"]:not([data-previous])`, 180_000);
    // Past 2,048 tokens the panel draws the pooled overview and says so.
    await frame.locator('[data-testid="view-label"]', { hasText: /pooled: .*max of \d+×\d+ tokens per cell/ }).waitFor({ timeout: 60_000 });
    const targets = [last - 1, last - 20, last - 60];
    const times = await lens.hoverRoundTrips(frame, LONG_FILE, targets);
    console.log(`      hover in the panel's strip → editor tint at ${last + 1} tokens: median ${median(times)} ms (${times.join(', ')})`);
    assert.ok(median(times) < 3_000, `hover → painted tint at ${last + 1} tokens took ${median(times)} ms (median)`);

    // Find a word near the end (ArrowUp: the previous match, i.e. the last one): the panel zooms there and draws the
    // exact cells of that window, labelled, with the focused cell's weight on screen.
    const word = ((await frame.locator(`[data-testid="token-strip"] span.token[data-index="${last - 3}"]`).innerText()) ?? '').trim();
    await frame.locator('[data-testid="find-token"]').fill(word);
    await frame.locator('[data-testid="find-token"]').press('ArrowUp');
    await frame.locator('[data-testid="heatmap"][data-cells="exact"]').waitFor({ timeout: 60_000 });
    const [row0, , size] = ((await frame.locator('[data-testid="heatmap"]').getAttribute('data-zoom')) ?? '').split(',').map(Number);
    assert.ok(size <= 256 && row0 + size >= last - 3, `zoomed to rows ${row0}–${row0 + size} of ${last + 1}, near the end`);
    assert.match(await frame.locator('[data-testid="view-label"]').innerText(), /exact weights, one cell per token/);
    await frame.locator('[data-testid="heatmap"]').focus();
    await frame.locator('[data-testid="heatmap"]').press('ArrowLeft');
    assert.match(await frame.locator('[data-testid="focus-value"]').innerText(), /→ .+: (<?\d+(\.\d+)?%|0%)$/);
  });
});

/** The hover card's query token and its table of (token #, weight %) rows. */
async function readCard(hover: ReturnType<LensSession['page']['locator']>): Promise<{ query: number; rows: { key: number; weight: number }[] }> {
  const body = (await hover.textContent()) ?? '';
  const query = Number(/\((?:token |#)(\d+)\) attends most to/.exec(body)?.[1]);
  const cells = await hover.locator('table tbody tr').evaluateAll((rows) => rows.map((r) => Array.from((r as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll('td'), (td) => td.textContent ?? '')));
  return { query, rows: cells.map((c) => ({ key: Number(c[1]), weight: Number(c[2].replace('%', '')) })) };
}
