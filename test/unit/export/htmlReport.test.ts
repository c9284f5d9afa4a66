// The offline HTML report, opened from a file in Chromium with every network request refused.
import * as assert from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { reportHtml } from '../../../src/export/htmlReport';
import { reportDataOf, REPORT_MAX_VALUES } from '../../../src/export/reportData';
import type { ExportProvenance } from '../../../src/export/exportMetadata';
import { groupTokens } from '../../../shared/granularity';
import { base64ToFloat32 } from '../../../shared/reportData';
import { fakeResult } from '../support/fakeResult';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const h = require('../../webview-perf/harness.js');

const ROOT = path.resolve(__dirname, '..', '..', '..');

const provenance = (text: string): ExportProvenance => ({
  product: { name: 'Attention Lens', version: '0.1.0' },
  source: { file: '/w/cat.txt', range: { start: { line: 1, column: 1 }, end: { line: 1, column: 12 }, startOffset: 0, endOffset: 11 }, text, truncated: false, fullLength: text.length },
  model: { id: 'org/bert-tiny', revision: 'abc', onnxFile: 'onnx/model.onnx', sha256: 'f'.repeat(64), modelType: 'bert', layers: 2, heads: 3 },
});

describe('offline HTML report', function () {
  this.timeout(60000);
  const text = 'the cat </script> sat';
  const result = fakeResult(text, 2, 3);

  it('embeds every layer × head at the granularity, pooling only past the size budget', () => {
    const groups = groupTokens(text, result.tokens, 'words');
    const data = reportDataOf(result, provenance(text), 'words', groups, ['cat.txt']);
    assert.strictEqual(data.size, groups.length);
    assert.strictEqual(data.pooledFrom, null);
    const values = base64ToFloat32(data.data);
    assert.strictEqual(values.length, 2 * 3 * groups.length ** 2);
    const n = result.tokens.length;
    assert.strictEqual(values[(1 * 3 + 2) * groups.length ** 2 + 1], result.attention[1][2 * n * n + 1]);
    // A text too long for the budget is pooled into blocks, and the report says how much.
    const long = fakeResult(Array.from({ length: 60 }, (_, i) => `w${i}`).join(' '), 2, 2);
    const big = reportDataOf(long, provenance(long.text), 'tokens', groupTokens(long.text, long.tokens, 'tokens'), ['long'], 4 * 20 * 20);
    assert.strictEqual(big.size, 20);
    assert.strictEqual(big.labels[0], '[CLS] … w1');
    assert.ok(REPORT_MAX_VALUES >= 12 * 12 * 240 * 240, 'bert-base at 240 groups is never pooled');
    assert.ok(big.pooledFrom! >= 2);
  });

  it('opens from a file with no network, shows every head and answers hover and clicks', async function () {
    if (!h.chromiumAvailable()) {
      // CI installs Chromium (.ci/run), so there a missing browser is a broken setup, not a reason to skip.
      if (process.env.CI) throw new Error('needs /usr/bin/chromium, and CI must have it');
      console.warn('    skipped: needs /usr/bin/chromium');
      this.skip();
    }
    const bundle = await esbuild.build({ entryPoints: [path.join(ROOT, 'webview/report/index.ts')], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022' });
    const groups = groupTokens(text, result.tokens, 'tokens');
    const html = reportHtml(reportDataOf(result, provenance(text), 'tokens', groups, ['cat.txt, line 1', 'org/bert-tiny @ abc']), bundle.outputFiles[0].text);
    assert.strictEqual(html.match(/<\/script>/g)!.length, 2, 'the text\'s "</script>" cannot end a script early');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, html);
    const browser = await h.launchBrowser();
    try {
      const context = await browser.newContext({ offline: true });
      const requests: string[] = [];
      await context.route('**/*', (route: { request(): { url(): string }; abort(): Promise<void>; continue(): Promise<void> }) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        requests.push(url);
        return route.abort();
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e: Error) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-ready="true"]');
      assert.strictEqual(await page.locator('[data-testid="report-title"]').innerText(), 'cat.txt, line 1');
      assert.strictEqual(await page.locator('[data-testid="thumbnail"]').count(), 6);
      assert.match(await page.locator('table.facts').innerText(), /ffffffff/);
      await page.locator('[data-testid="thumbnail"][data-layer="1"][data-head="2"]').click();
      assert.strictEqual(await page.locator('[data-testid="report-heatmap"]').getAttribute('data-view'), 'L1H2');
      assert.strictEqual(await page.locator('[data-testid="report-caption"]').innerText(), 'Layer 2 · Head 3');
      const box = await page.locator('[data-testid="report-heatmap"]').boundingBox();
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
      assert.match(await page.locator('[data-testid="report-tooltip"]').innerText(), /→ .+: (<?\d+(\.\d+)?%|0%)$/);
      const tinted = await page.locator('pre.text span[style*="background"]').count();
      assert.ok(tinted > 0, 'the hovered row tints the source text');
      assert.deepStrictEqual(errors, []);
      assert.deepStrictEqual(requests, [], 'no network request at all');
    } finally {
      await browser.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
