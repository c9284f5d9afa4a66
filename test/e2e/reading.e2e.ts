// Reading attention at any size in the real workbench (code-server): zoom and find at 512 tokens, line granularity
// with the editor tints following, a span query from an editor selection and the column mode, every export written
// and opened again (PNG/SVG decoded, the HTML report loaded offline), tint contrast in all four theme kinds, and
// the recent analyses after a window reload.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Frame } from 'playwright-core';
import { contrastRatio, type Rgb } from '../../src/editor/tintContrast';
import { decodePng } from '../support/pngDecode';
import { launchChromium } from './browser';
import { LensSession, MAX_TOKENS, repoRoot } from './lensSession';
import { acceptSaveDialog } from './saveDialog';
import { tintedLines, tintColours } from './tintProbe';
import { LONG_PY, NOTES_MD, SAMPLE_PY } from './workspace';

const failureShots = path.join(repoRoot, 'test', 'e2e', 'screenshots');

describe('Reading attention at any size (code-server)', function () {
  const lens = new LensSession();

  before(async function () {
    this.timeout(240_000);
    await lens.start();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && lens.page) {
      await lens.reportFailure(failureShots, `failed-reading-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}.png`).catch(() => undefined);
      await lens.page.keyboard.press('Escape').catch(() => undefined);
    }
  });
  after(async function () {
    this.timeout(30_000);
    await lens.stop();
  });

  /** Picks an option of a vscode-single-select in the panel by its label. */
  async function choose(frame: Frame, testid: string, label: string): Promise<void> {
    const select = frame.locator(`[data-testid="${testid}"]`);
    await select.click();
    await select.getByRole('option', { name: label, exact: true }).click();
  }

  it(`zooms to a labelled cell at ${MAX_TOKENS} tokens, and marks the analysed range and where it stopped`, async function () {
    const { workbench, page } = lens;
    await workbench.openFile(LONG_PY);
    await workbench.selectAll(LONG_PY);
    await workbench.runCommand('Attention Lens: Show Attention');
    const frame = await workbench.webviewFrame(`[data-testid="heatmap"][data-n="${MAX_TOKENS}"][data-render-count]`, 120_000);
    await frame.locator('[data-testid="find-token"]').fill('available');
    await frame.locator('[data-testid="find-count"]', { hasText: / of \d+/ }).waitFor();
    const zoom = ((await frame.locator('[data-testid="heatmap"]').getAttribute('data-zoom')) ?? '').split(',').map(Number);
    const [width, height] = ((await frame.locator('[data-testid="heatmap"]').getAttribute('data-area')) ?? '').split('x').map(Number);
    assert.ok(zoom[2] > 0 && zoom[2] <= Math.floor(Math.min(width, height) / 20), `zoomed to ${zoom[2]} rows and columns in ${width}×${height} px: every label fits`);
    await frame.locator('[data-testid="heatmap"]').focus();
    await page.keyboard.press('ArrowRight');
    const focus = await frame.locator('[data-testid="focus-value"]').innerText();
    assert.match(focus, /^available → .+: (<?\d+(\.\d+)?%|0%)$/, `the focused cell's value on screen: "${focus}"`);
    // The editor marks the analysed lines and the point where the 512-token window ended, with the full length.
    const marks = await workbench.editorFor(LONG_PY).evaluate((editor: unknown) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const w = globalThis as any;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const all = Array.from((editor as any).querySelectorAll('[class*="ced-"]')) as any[];
      return {
        bars: all.filter((e) => w.getComputedStyle(e).borderLeftWidth === '2px').length,
        stops: all.filter((e) => String(w.getComputedStyle(e, '::after').content).includes('attention stops here')).length,
      };
    });
    assert.ok(marks.bars > 0, 'the analysed lines carry a bar');
    // The truncation note sits where the text was cut: scroll there if it is not rendered yet.
    if (marks.stops === 0) {
      await workbench.focusEditor(LONG_PY);
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget input.input').fill(':60');
      await page.keyboard.press('Enter');
    }
    await page.waitForFunction(
      () => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const w = globalThis as any;
        return Array.from(w.document.querySelectorAll('.monaco-editor [class*="ced-"]')).some((e) => String(w.getComputedStyle(e, '::after').content).includes('attention stops here'));
      },
      undefined,
      { timeout: 20_000 },
    );
  });

  it('at line granularity the editor tints whole lines, one colour per line, and states the merge rule', async function () {
    const { frame } = await lens.analyseLines(SAMPLE_PY, 1, 3);
    await choose(frame, 'granularity-select', 'Lines');
    await frame.locator('[data-testid="heatmap"][data-granularity="lines"]').waitFor();
    assert.match(await frame.locator('[data-testid="merge-note"]').innerText(), /sum over its tokens.*mean over its tokens/);
    // Three lines plus [CLS] and [SEP].
    assert.strictEqual(await frame.locator('[data-testid="heatmap"]').getAttribute('data-units'), '5');
    await lens.page.mouse.move(2, 2);
    await frame.locator('[data-testid="token-strip"] span.token').nth(1).hover();
    await lens.settledTints(SAMPLE_PY);
    const lines = await tintedLines(lens.workbench, SAMPLE_PY);
    assert.ok(lines.length >= 2, `tints on ${lines.length} lines`);
    for (const line of lines) assert.strictEqual(line.colours.length, 1, `line at y=${line.top} has ${line.colours.length} tint colours: ${line.colours}`);
    await choose(frame, 'granularity-select', 'Words');
    await frame.locator('[data-testid="heatmap"][data-granularity="words"]').waitFor();
    assert.ok(Number(await frame.locator('[data-testid="heatmap"]').getAttribute('data-units')) > 5);
    // Every piece of a word carries the word's tint: no line shows more colours than it has words.
    await lens.page.mouse.move(2, 2);
    await frame.locator('[data-testid="token-strip"] span.token').nth(2).hover();
    await lens.settledTints(SAMPLE_PY);
    const words = lens.linesText(SAMPLE_PY, 1, 3).split('\n').map((line) => line.trim().split(/\s+/).filter(Boolean).length);
    const wordLines = (await tintedLines(lens.workbench, SAMPLE_PY)).sort((a, b) => a.top - b.top);
    assert.ok(wordLines.length > 0, 'the hovered word tints the code');
    for (const [i, line] of wordLines.entries()) {
      assert.ok(line.colours.length <= Math.max(...words), `line ${i + 1} shows ${line.colours.length} tint colours for at most ${Math.max(...words)} words`);
    }
  });

  it('an editor selection inside the analysed text is the query span, and the column mode tints what attends to it', async function () {
    const { page, workbench } = lens;
    const { frame } = await lens.analyseLines(NOTES_MD, 1, 2);
    await choose(frame, 'granularity-select', 'Tokens');
    await workbench.openFile(NOTES_MD);
    // Select "quick brown fox" on line 1 by keyboard.
    await workbench.focusEditor(NOTES_MD);
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 15; i++) await page.keyboard.press('Shift+ArrowRight');
    await lens.settledTints(NOTES_MD);
    const rows = await workbench.tintSnapshot(NOTES_MD);
    assert.ok(rows.tinted > 0, 'the selected span tints what it attends to');
    await choose(frame, 'direction-select', 'Attended by (column)');
    // The editor follows the panel's direction with the next hover or selection.
    await workbench.focusEditor(NOTES_MD);
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 15; i++) await page.keyboard.press('Shift+ArrowRight');
    await lens.settledTints(NOTES_MD);
    const columns = await workbench.tintSnapshot(NOTES_MD);
    assert.ok(columns.tinted > 0);
    assert.notStrictEqual(columns.signature, rows.signature, 'attended-by tints differ from attends-to tints');
    await choose(frame, 'direction-select', 'Attends to (row)');
  });

  it('the editor hover card ends with the tint legend, in the same number format as the panel', async function () {
    const { page, workbench } = lens;
    await lens.analyseLines(NOTES_MD, 1, 1);
    await workbench.openFile(NOTES_MD);
    const line = await workbench.editorFor(NOTES_MD).locator('.view-lines .view-line').first().boundingBox();
    await page.mouse.move(line!.x + 60, line!.y + line!.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: 'Tint legend' }).first();
    await hover.waitFor({ timeout: 20_000 });
    const text = (await hover.textContent()) ?? '';
    assert.match(text, /attends most to/);
    assert.match(text, /strongest key \d+(\.\d+)?%/);
    assert.doesNotMatch(text, /\b0\.\d{3,}\b/, 'weights in the panel format (percent), not raw decimals');
    await page.mouse.move(2, 2);
  });

  it('writes each export, and each opens again: PNG and SVG decoded, JSON with provenance, the HTML report offline', async function () {
    const { frame, text, expected } = await lens.analyseLines(SAMPLE_PY, 1, 2);
    await frame.locator('[data-testid="export-png"]').click();
    const png = decodePng(fs.readFileSync(await acceptSaveDialog(lens, 'png')));
    assert.ok(png.width > 400 && png.height > 400, `${png.width}×${png.height}`);
    await frame.locator('[data-testid="export-svg"]').click();
    const svgFile = await acceptSaveDialog(lens, 'svg');
    assert.match(path.basename(svgFile), /^sample_lines1-2_layer\d+-/, 'named from the file, lines and view');
    const svg = fs.readFileSync(svgFile, 'utf8');
    assert.match(svg, /sample\.py, lines 1–2/);
    await choose(frame, 'export-scope', 'Data: every layer and head');
    await frame.locator('[data-testid="export-json"]').click();
    const json = JSON.parse(fs.readFileSync(await acceptSaveDialog(lens, 'json'), 'utf8'));
    assert.strictEqual(json.scope, 'all');
    assert.strictEqual(json.source.text, text);
    assert.match(json.model.sha256, /^[0-9a-f]{64}$/);
    assert.strictEqual(json.product.version, JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
    assert.strictEqual(json.attention.length, expected.model.layers);
    await frame.locator('[data-testid="export-html"]').click();
    const report = await acceptSaveDialog(lens, 'html');
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ offline: true });
      const requests: string[] = [];
      await context.route('**/*', (route) => {
        if (route.request().url().startsWith('file:')) return route.continue();
        requests.push(route.request().url());
        return route.abort();
      });
      const page = await context.newPage();
      await page.goto(pathToFileURL(report).href);
      await page.locator('body[data-ready="true"]').waitFor();
      assert.strictEqual(await page.locator('[data-testid="thumbnail"]').count(), expected.model.layers * expected.model.heads);
      // The SVG as Chromium renders it: drawn into a canvas, its embedded cells show many colours.
      await page.goto(pathToFileURL(svgFile).href);
      const colours: number = await page.evaluate(`new Promise((resolve, reject) => {
        const svg = document.documentElement;
        const img = new Image();
        img.onload = () => {
          const c = document.createElementNS('http://www.w3.org/1999/xhtml', 'canvas');
          c.width = img.width; c.height = img.height;
          const ctx = c.getContext('2d');
          ctx.drawImage(img, 0, 0);
          const data = ctx.getImageData(0, 0, c.width, c.height).data;
          const seen = new Set();
          for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
          resolve(seen.size);
        };
        img.onerror = () => reject(new Error('the SVG did not decode'));
        img.src = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(new XMLSerializer().serializeToString(svg))));
      })`);
      assert.ok(colours > 20, `the rendered SVG shows ${colours} colours`);
      assert.deepStrictEqual(requests, []);
    } finally {
      await browser.close();
    }
  });

  for (const [theme, pick] of [
    ['Default Dark Modern', 'Dark Modern'],
    ['Default Light Modern', 'Light Modern'],
    ['Default High Contrast', 'Dark High Contrast'],
    ['Default High Contrast Light', 'Light High Contrast'],
  ] as const) {
    it(`tinted text keeps WCAG AA contrast in ${theme}`, async function () {
      const { page, workbench } = lens;
      await workbench.runCommand('Preferences: Color Theme');
      await page.locator('.quick-input-widget input.input').fill(pick);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`^${pick}`) }).first().click();
      const { frame } = await lens.analyseLines(NOTES_MD, 2, 2);
      await page.mouse.move(2, 2);
      await frame.locator('[data-testid="token-strip"] span.token').nth(3).hover();
      await lens.settledTints(NOTES_MD);
      const { text, background, tints } = await tintColours(workbench, NOTES_MD);
      assert.ok(tints.length > 0, 'something is tinted');
      for (const tint of tints) {
        const blended = [0, 1, 2].map((i) => background[i] * (1 - tint[3]) + tint[i] * tint[3]) as Rgb;
        const ratio = contrastRatio(text, blended);
        assert.ok(ratio >= 4.5, `${theme}: text over rgba(${tint.join(', ')}) has contrast ${ratio.toFixed(2)}`);
      }
      const strongest = tints.reduce((a, b) => (b[3] > a[3] ? b : a));
      const blended = [0, 1, 2].map((i) => background[i] * (1 - strongest[3]) + strongest[i] * strongest[3]) as Rgb;
      console.log(`      ${theme}: untinted ${contrastRatio(text, background).toFixed(2)}, strongest tint ${contrastRatio(text, blended).toFixed(2)}`);
    });
  }

  it('lists the recent analyses again after a window reload and opens one', async function () {
    const { workbench } = lens;
    // Two analyses: the panel's restore brings back only the last one after the reload, so the first can only come
    // back from the stored recent list.
    const { text } = await lens.analyseLines(NOTES_MD, 3, 3);
    const { text: last } = await lens.analyseLines(SAMPLE_PY, 1, 1);
    await workbench.reloadWindow();
    await lens.heatmapFor(last);
    await workbench.openViewContainer('Attention Lens');
    const side = await workbench.webviewFrame('[data-testid="recent"] li', 60_000);
    const entry = side.locator('[data-testid="recent"] li', { hasText: 'notes.md: Every layer and every head' }).first();
    await entry.waitFor();
    assert.match((await entry.textContent()) ?? '', /runs again when opened/);
    await entry.locator('button').click();
    await lens.heatmapFor(text);
  });
});
