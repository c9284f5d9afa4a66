// The PNG (painted by the webview's canvas) and the SVG (written by the host) of one figure, checked by decoding
// them: the PNG with a CRC-checking decoder, the SVG as Chromium renders it.
import * as assert from 'assert';
import * as esbuild from 'esbuild';
import * as path from 'path';
import { checkFigureSpec, layoutFigure, labelStride, type FigureSpec } from '../../../shared/figure';
import { figureSvg } from '../../../src/export/svgFigure';
import { decodePng } from '../../support/pngDecode';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const h = require('../../webview-perf/harness.js');

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** 3×4 cells: red in the top-left, blue elsewhere, packed RGBA little-endian. */
const RED = 0xff0000ff;
const BLUE = 0xffff0000;

function specWith(cellsPng: string): FigureSpec {
  return {
    title: ['fibonacci.py, lines 3–10', 'bert-tiny (org/bert-tiny@abc123)', 'Layer 2 · Head 1 · words'],
    rowLabels: ['def', 'fib<&>', 'n'],
    colLabels: ['def', 'fib<&>', 'n', ':'],
    rowAxis: 'Query (attending)',
    colAxis: 'Key (attended to)',
    cellsPng,
    colorStops: [
      { offset: 0, color: '#000000' },
      { offset: 1, color: '#00ff00' },
    ],
    ticks: [
      { at: 0, label: '0' },
      { at: 1, label: '0.81' },
    ],
    background: '#ffffff',
    foreground: '#111111',
    note: 'Merged: sum to a group, mean from a group.',
  };
}

describe('figure exports (PNG and SVG) decoded', function () {
  this.timeout(60000);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let page: any;

  before(async function () {
    if (!h.chromiumAvailable()) {
      // CI installs Chromium (.ci/run), so there a missing browser is a broken setup, not a reason to skip.
      if (process.env.CI) throw new Error('needs /usr/bin/chromium, and CI must have it');
      console.warn('    skipped: needs /usr/bin/chromium');
      this.skip();
    }
    const bundle = await esbuild.build({
      entryPoints: [path.join(ROOT, 'webview/common/paintFigure.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'figure',
      platform: 'browser',
    });
    browser = await h.launchBrowser();
    page = await browser.newPage();
    await page.setContent('<!doctype html><meta charset="utf-8"><body></body>');
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
  });
  after(async () => browser?.close());

  async function cellsPng(): Promise<string> {
    return page.evaluate(`figure.cellsPngOf(Uint32Array.from([${RED}, ${BLUE}, ${BLUE}, ${BLUE}, ${BLUE}, ${BLUE}, ${BLUE}, ${BLUE}, ${BLUE}, ${BLUE}, ${BLUE}, ${BLUE}]), 3, 4)`);
  }

  it('paints a PNG with the cells, a colour bar and a title, at twice the layout size', async () => {
    const spec = specWith(await cellsPng());
    const layout = layoutFigure(spec);
    const dataUrl: string = await page.evaluate(`figure.figurePng(${JSON.stringify(spec)}, 2)`);
    const png = decodePng(Buffer.from(dataUrl.split(',')[1], 'base64'));
    assert.strictEqual(png.width, layout.width * 2);
    assert.strictEqual(png.height, layout.height * 2);
    const cells = layout.ops.find((o) => o.kind === 'cells')!;
    const bar = layout.ops.find((o) => o.kind === 'colorBar')!;
    const cw = cells.kind === 'cells' ? cells.w / 4 : 0;
    // Centre of the first cell red, of the last cell blue.
    assert.deepStrictEqual(png.pixel((cells.x + cw / 2) * 2, (cells.y + cw / 2) * 2).slice(0, 3), [255, 0, 0]);
    assert.deepStrictEqual(png.pixel((cells.x + cells.w - cw / 2) * 2, (cells.y + cells.h - cw / 2) * 2).slice(0, 3), [0, 0, 255]);
    // Colour bar: green at the top, black at the bottom.
    const top = png.pixel((bar.x + bar.w / 2) * 2, (bar.y + 1) * 2);
    const bottom = png.pixel((bar.x + bar.w / 2) * 2, (bar.y + bar.h - 1) * 2);
    assert.ok(top[1] > 200 && top[0] < 30, `top of bar ${top}`);
    assert.ok(bottom[1] < 40, `bottom of bar ${bottom}`);
    // The title line has dark (foreground) pixels on the white background.
    let dark = 0;
    for (let x = 16 * 2; x < 200 * 2; x++) for (let y = 16 * 2; y < 34 * 2; y++) if (png.pixel(x, y)[0] < 100) dark++;
    assert.ok(dark > 50, `title pixels: ${dark}`);
  });

  it('writes an SVG Chromium parses and renders with the same cells, escaping label text', async () => {
    const spec = specWith(await cellsPng());
    const svg = figureSvg(spec);
    assert.match(svg, /fib&lt;&amp;&gt;/);
    assert.match(svg, /Layer 2 · Head 1 · words/);
    const parsed = await page.evaluate(`(() => {
      const doc = new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml');
      if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror').textContent };
      return { texts: [...doc.querySelectorAll('text')].map((t) => t.textContent), images: doc.querySelectorAll('image').length };
    })()`);
    assert.strictEqual(parsed.error, undefined);
    assert.ok(parsed.texts.includes('fib<&>') && parsed.texts.includes('Key (attended to)') && parsed.texts.includes('0.81'));
    assert.strictEqual(parsed.images, 1);
    const layout = layoutFigure(spec);
    const rendered: string = await page.evaluate(`new Promise((resolve, reject) => {
      const img = new Image();
      img.onload = () => {
        const c = document.createElement('canvas');
        c.width = ${layout.width}; c.height = ${layout.height};
        c.getContext('2d').drawImage(img, 0, 0);
        resolve(c.toDataURL('image/png'));
      };
      img.onerror = () => reject(new Error('svg did not load'));
      img.src = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(${JSON.stringify(svg)})));
    })`);
    const png = decodePng(Buffer.from(rendered.split(',')[1], 'base64'));
    const cells = layout.ops.find((o) => o.kind === 'cells')!;
    const cw = cells.kind === 'cells' ? cells.w / 4 : 0;
    assert.deepStrictEqual(png.pixel(cells.x + cw / 2, cells.y + cw / 2).slice(0, 3), [255, 0, 0]);
    assert.deepStrictEqual(png.pixel(cells.x + cells.w - cw / 2, cells.y + cw / 2).slice(0, 3), [0, 0, 255]);
  });
});

describe('figure layout and checks', () => {
  it('labels every row when cells are large enough, every k-th otherwise, never overlapping', () => {
    assert.strictEqual(labelStride(14, 11), 1);
    assert.strictEqual(labelStride(1.4, 11), 10);
    const many = Array.from({ length: 512 }, (_, i) => `t${i}`);
    const layout = layoutFigure({ ...specWith('data:image/png;base64,AAAA'), rowLabels: many, colLabels: many });
    const rowTexts = layout.ops.filter((o) => o.kind === 'text' && !o.rotate && o.anchor === 'end');
    const ys = rowTexts.map((o) => (o.kind === 'text' ? o.y : 0));
    for (let i = 1; i < ys.length; i++) assert.ok(ys[i] - ys[i - 1] >= 11, 'labels at least one font height apart');
    assert.ok(rowTexts.length > 40 && rowTexts.length < 512);
  });

  it('refuses a figure from the webview that could inject markup or is not a PNG', () => {
    const good = specWith('data:image/png;base64,iVBORw0KGgo=');
    assert.strictEqual(typeof checkFigureSpec(good, 1000), 'object');
    assert.match(checkFigureSpec({ ...good, cellsPng: 'javascript:alert(1)' }, 1000) as string, /PNG/);
    assert.match(checkFigureSpec({ ...good, background: 'red" onload="x' }, 1000) as string, /colours/);
    assert.match(checkFigureSpec({ ...good, colorStops: [{ offset: 0, color: 'url(#x)' }, { offset: 1, color: '#fff' }] }, 1000) as string, /colour bar/);
    assert.match(checkFigureSpec({ ...good, rowLabels: [42] }, 1000) as string, /labels/);
    assert.match(checkFigureSpec(null, 1000) as string, /missing/);
  });
});
