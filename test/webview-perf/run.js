#!/usr/bin/env node
// Repaint timings of the attention panel in headless Chromium (run `npm run build` first):
//   node test/webview-perf/run.js
// Switches head/layer 30 times at 512 and 128 tokens (bitmap) and 64 tokens (chart elements), and at 8,192 tokens
// (long analysis: pooled overview, then exact tiles zoomed in), prints median/p95 of
// the webview's repaint time (data-render-ms) and of change → next frame, and saves screenshots.
const fs = require('fs');
const path = require('path');
const h = require('./harness');

async function main() {
  if (!h.builtBundlesAvailable()) throw new Error('dist/panel.js or dist/sidePanel.js is missing: run `npm run build` first.');
  if (!h.chromiumAvailable()) throw new Error('Chromium not found at /usr/bin/chromium (set CHROMIUM_PATH or `apt-get install chromium`).');
  const shots = path.join(__dirname, 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  const server = await h.startServer();
  const browser = await h.launchBrowser();
  const rows = [];
  try {
    for (const n of [512, 128, 64]) {
      const { page, errors } = await h.openPanel(browser, server.url, { n });
      await h.measureSwitches(page, { count: 6 }); // warm-up: JIT and first-use allocations
      const runs = await h.measureSwitches(page, { count: 30 });
      const r = runs.map((x) => x.renderMs);
      const f = runs.map((x) => x.toFrameMs);
      rows.push({ n, what: 'head switch', mode: runs[0].mode, renderMedian: h.percentile(r, 50), renderP95: h.percentile(r, 95), frameMedian: h.percentile(f, 50), frameP95: h.percentile(f, 95) });
      await h.measureZooms(page, { count: 3 }); // warm-up
      const zooms = await h.measureZooms(page, { count: 10 });
      const zr = zooms.map((x) => x.renderMs);
      const zf = zooms.map((x) => x.toFrameMs);
      rows.push({ n, what: 'zoom step', mode: runs[0].mode, renderMedian: h.percentile(zr, 50), renderP95: h.percentile(zr, 95), frameMedian: h.percentile(zf, 50), frameP95: h.percentile(zf, 95) });
      if (errors.length) throw new Error(`page errors at n=${n}: ${errors.join('; ')}`);
      await page.close();
    }
    {
      // A long analysis: pooled overview (max of 32×32 tokens per cell) and exact tiles once zoomed to 256 tokens.
      const n = 8192;
      const stat = (what, mode, runs) => ({ n, what, mode, renderMedian: h.percentile(runs.map((x) => x.renderMs), 50), renderP95: h.percentile(runs.map((x) => x.renderMs), 95), frameMedian: h.percentile(runs.map((x) => x.toFrameMs), 50), frameP95: h.percentile(runs.map((x) => x.toFrameMs), 95) });
      const { page, errors } = await h.openPanel(browser, server.url, { n });
      await h.measureSwitches(page, { count: 6 });
      rows.push(stat('head switch', 'pooled', await h.measureSwitches(page, { count: 30 })));
      await h.measureZooms(page, { count: 3 });
      rows.push(stat('zoom step', 'pooled → exact', await h.measureZooms(page, { count: 18 })));
      for (let i = 0; i < 18; i++) await h.zoomStep(page, '+');
      if ((await page.locator('[data-testid="heatmap"]').getAttribute('data-cells')) !== 'exact') throw new Error('8,192 tokens: not exact after zooming in');
      await h.measureSwitches(page, { count: 6 });
      rows.push(stat('head switch', 'exact tile', await h.measureSwitches(page, { count: 30 })));
      if (errors.length) throw new Error(`page errors at n=${n}: ${errors.join('; ')}`);
      await page.close();
    }
    for (const [n, theme] of [[512, 'dark'], [512, 'light'], [128, 'light'], [48, 'high-contrast']]) {
      const { page } = await h.openPanel(browser, server.url, { n, theme, stale: n === 48 });
      // Pin a query and hover a cell so the screenshot shows the strip tint, the marks and the tooltip.
      const box = await page.locator('[data-testid="heatmap"] canvas.chart').boundingBox();
      await page.locator('span.token[data-index="5"]').click();
      await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.4);
      await page.waitForTimeout(100);
      const file = path.join(shots, `panel-${n}-${theme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`screenshot: ${path.relative(h.ROOT, file)}`);
      await page.close();
    }
    for (const theme of ['dark', 'light']) {
      const { page } = await h.openSidePanel(browser, server.url, { theme });
      const file = path.join(shots, `sidePanel-${theme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`screenshot: ${path.relative(h.ROOT, file)}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log('\n| tokens | step | drawn as | repaint median | repaint p95 | change→frame median | change→frame p95 |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const ms = (v) => `${v.toFixed(1)} ms`;
    console.log(`| ${r.n} | ${r.what} | ${r.mode === 'bitmap' ? 'one bitmap' : r.mode === 'cells' ? 'matrix elements' : r.mode} | ${ms(r.renderMedian)} | ${ms(r.renderP95)} | ${ms(r.frameMedian)} | ${ms(r.frameP95)} |`);
  }
  const slow = rows.filter((r) => r.n === 512 && r.renderP95 > 50);
  if (slow.length) {
    console.error('512-token repaint p95 is above the 50 ms target');
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
