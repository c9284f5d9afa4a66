// Serves the repository to a headless Debian Chromium and drives the webview harness pages (stubHost.js plays
// the extension host). Shared by run.js (timings, screenshots) and the mocha browser test (behaviour).
const http = require('http');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.ttf': 'font/ttf', '.svg': 'image/svg+xml' };

/** Static server for the repository root (GET only, no paths outside it). Resolves to { url, close }. */
function startServer() {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(ROOT, path.normalize(rel));
    if (!file.startsWith(ROOT + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) })),
  );
}

function chromiumAvailable() {
  return fs.existsSync(CHROMIUM);
}

function builtBundlesAvailable() {
  return ['dist/panel.js', 'dist/sidePanel.js'].every((f) => fs.existsSync(path.join(ROOT, f)));
}

async function launchBrowser() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Opens the panel harness and waits for its first painted matrix. */
async function openPanel(browser, baseUrl, { n = 512, theme = 'dark', hideSpecial = true, stale = false, width = 1000, height = 1100, extra = '' } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(`${baseUrl}/test/webview-perf/panel.html?n=${n}&theme=${theme}&hideSpecial=${hideSpecial ? 1 : 0}&stale=${stale ? 1 : 0}${extra}`);
  await page.waitForSelector('[data-testid="heatmap"][data-render-count]', { timeout: 60000 });
  return { page, errors };
}

async function openSidePanel(browser, baseUrl, { n = 128, theme = 'dark', noModel = false } = {}) {
  const page = await browser.newPage({ viewport: { width: 360, height: 700 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}/test/webview-perf/sidePanel.html?n=${n}&theme=${theme}${noModel ? '&noModel=1' : ''}`);
  await page.waitForSelector('[data-testid="thumbnail"]', { timeout: 60000 });
  return { page, errors };
}

/**
 * Switches the panel to another layer or head through its select (as a user would) and waits for the repaint.
 * Returns { renderMs (the webview's own repaint time), toFrameMs (change event → next animation frame), mode }.
 */
function switchView(page, which, value) {
  return page.evaluate(
    ({ which, value }) =>
      new Promise((resolve, reject) => {
        const hm = document.querySelector('[data-testid="heatmap"]');
        const select = document.querySelector(`[data-testid="${which}-select"]`);
        const before = hm.dataset.renderCount;
        const timer = setTimeout(() => reject(new Error(`no repaint after switching ${which} to ${value}`)), 10000);
        const observer = new MutationObserver(() => {
          if (hm.dataset.renderCount === before) return;
          observer.disconnect();
          requestAnimationFrame(() => {
            clearTimeout(timer);
            resolve({ renderMs: Number(hm.dataset.renderMs), toFrameMs: performance.now() - t0, mode: hm.dataset.renderMode, view: hm.dataset.view });
          });
        });
        observer.observe(hm, { attributes: true, attributeFilter: ['data-render-count'] });
        const t0 = performance.now();
        select.value = String(value);
        select.dispatchEvent(new Event('change'));
      }),
    { which, value },
  );
}

/** 30 alternating head/layer switches; returns the per-switch timings. */
async function measureSwitches(page, { layers = 12, heads = 12, count = 30 } = {}) {
  const out = [];
  let layer = 0;
  let head = 0;
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      head = (head + 1) % heads;
      out.push(await switchView(page, 'head', head));
    } else {
      layer = (layer + 1) % layers;
      out.push(await switchView(page, 'layer', layer));
    }
  }
  return out;
}

/** One zoom step by key (+ or -) on the heatmap; resolves with the repaint timings, like switchView. */
function zoomStep(page, key) {
  return page.evaluate(
    (key) =>
      new Promise((resolve, reject) => {
        const hm = document.querySelector('[data-testid="heatmap"]');
        const before = hm.dataset.renderCount;
        const timer = setTimeout(() => reject(new Error(`no repaint after zoom key ${key}`)), 10000);
        const observer = new MutationObserver(() => {
          if (hm.dataset.renderCount === before) return;
          observer.disconnect();
          requestAnimationFrame(() => {
            clearTimeout(timer);
            resolve({ renderMs: Number(hm.dataset.renderMs), toFrameMs: performance.now() - t0, zoom: hm.dataset.zoom });
          });
        });
        observer.observe(hm, { attributes: true, attributeFilter: ['data-render-count'] });
        const t0 = performance.now();
        hm.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      }),
    key,
  );
}

/** Zooms in `count` steps from the whole matrix, then out again; returns every step's timings. */
async function measureZooms(page, { count = 10 } = {}) {
  await page.locator('[data-testid="heatmap"]').focus();
  const out = [];
  for (let i = 0; i < count; i++) out.push(await zoomStep(page, '+'));
  for (let i = 0; i < count; i++) out.push(await zoomStep(page, '-'));
  return out;
}

/** Sends a new analysis of `n` tokens to the open panel (as Show Attention on another selection) and waits for its paint. */
async function showNewAnalysis(page, n, seed = 0) {
  const before = await page.locator('[data-testid="heatmap"]').getAttribute('data-render-count');
  await page.evaluate(({ n, seed }) => window.__host.newAnalysis(n, seed), { n, seed });
  await page.waitForFunction(
    ({ n, before }) => {
      const hm = document.querySelector('[data-testid="heatmap"]');
      return hm.dataset.n === String(n) && hm.dataset.renderCount !== before && !hm.hasAttribute('aria-busy');
    },
    { n, before },
    { timeout: 20000 },
  );
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * What the heatmap canvas shows inside its chart area, sampled at the centre of every visible cell: one [r, g, b]
 * per cell, row by row. Reads the screen (the canvas pixels), not the data the chart was given.
 */
function drawnCells(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="heatmap"] canvas.chart');
    const area = JSON.parse(canvas.dataset.chartArea);
    const count = Number(canvas.dataset.visibleRows);
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const ctx = canvas.getContext('2d');
    const image = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const out = [];
    for (let r = 0; r < count; r++) {
      for (let c = 0; c < count; c++) {
        const x = Math.floor((area.left + ((c + 0.5) * area.width) / count) * scale);
        const y = Math.floor((area.top + ((r + 0.5) * area.height) / count) * scale);
        const i = (y * canvas.width + x) * 4;
        out.push([image[i], image[i + 1], image[i + 2]]);
      }
    }
    return out;
  });
}

/**
 * What the data says each visible cell should look like: the legend's colour at weight / visible max (the legend
 * bar is 256 pixels from weight 0 to the max). Cells in the same order as drawnCells.
 */
function expectedCells(page) {
  return page.evaluate(() => {
    const { n, tokens, pool } = window.__host.current();
    const matrix = pool[0]; // view L0H0
    const rows = tokens.map((t, i) => i).filter((i) => !tokens[i].special);
    let max = 0;
    for (const q of rows) for (const k of rows) max = Math.max(max, matrix[q * n + k]);
    const bar = document.querySelector('canvas.legend-bar');
    const legend = bar.getContext('2d').getImageData(0, 0, bar.width, 1).data;
    const out = [];
    for (const q of rows) {
      for (const k of rows) {
        const i = Math.round((matrix[q * n + k] / max) * (bar.width - 1)) * 4;
        out.push([legend[i], legend[i + 1], legend[i + 2]]);
      }
    }
    return out;
  });
}

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

module.exports = { ROOT, startServer, chromiumAvailable, builtBundlesAvailable, launchBrowser, openPanel, openSidePanel, switchView, measureSwitches, zoomStep, measureZooms, showNewAnalysis, drawnCells, expectedCells, percentile };
