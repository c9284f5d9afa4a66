// Reading the panel at any size, in headless Chromium against the stub host: zoom, find, minimap, granularity,
// direction, spans, keyboard, and the figure/data exports as the host receives them.
import * as assert from 'assert';
import { checkFigureSpec, type FigureSpec } from '../../../../shared/figure';
import { figureSvg } from '../../../../src/export/svgFigure';
import { decodePng } from '../../../support/pngDecode';
import { harness as h, useChromium } from './chromiumSuite';

type Sent = { type: string; [k: string]: unknown };

describe('reading the panel at any size (built bundles in Chromium)', function () {
  this.timeout(90000);
  const chromium = useChromium();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const sent = (page: any): Promise<Sent[]> => page.evaluate('window.__sent');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const zoomOf = async (page: any) => (await page.locator('[data-testid="heatmap"]').getAttribute('data-zoom'))?.split(',').map(Number);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const choose = (page: any, testid: string, value: string) =>
    page.evaluate(`(() => { const s = document.querySelector('[data-testid="${testid}"]'); s.value = '${value}'; s.dispatchEvent(new Event('change')); })()`);

  it('at 512 tokens, the wheel zooms around the pointer, the minimap appears, and a head switch keeps the zoom', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 512 });
    assert.strictEqual(await page.locator('[data-testid="minimap"]').isVisible(), false, 'no minimap while everything shows');
    const box = await page.locator('[data-testid="heatmap"] canvas.chart').boundingBox();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6);
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -100);
    await page.waitForFunction('document.querySelector(\'[data-testid="heatmap"]\').dataset.zoom');
    const [row0, col0, size] = (await zoomOf(page))!;
    assert.ok(size < 512 && size > 50, `zoomed to ${size}`);
    assert.ok(row0 > 0 && col0 > 0, 'around the pointer, not the corner');
    assert.strictEqual(await page.locator('[data-testid="minimap"]').isVisible(), true);
    await h.switchView(page, 'head', 5);
    assert.deepStrictEqual(await zoomOf(page), [row0, col0, size], 'a head switch keeps the zoom');
    // Dragging pans the zoomed heatmap with the content.
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5, { steps: 4 });
    await page.mouse.up();
    const panned = (await zoomOf(page))!;
    assert.ok(panned[1] > col0 && panned[0] === row0 && panned[2] === size, `panned to ${panned}`);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('find token jumps to a word, zoomed until every label fits, and the focus value shows on screen', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 512 });
    await page.locator('[data-testid="find-token"]').fill('computation');
    await page.waitForFunction('document.querySelector(\'[data-testid="find-count"]\').textContent.includes(" of ")');
    const [, , size] = (await zoomOf(page))!;
    // The chart area (inside the axes) as the panel measured it: every row and column label fits.
    const [width, height] = ((await page.locator('[data-testid="heatmap"]').getAttribute('data-area')) ?? '').split('x').map(Number);
    assert.ok(size <= Math.floor(Math.min(width, height) / 20), `${size} rows and columns in ${width}×${height} px: every label fits`);
    await page.locator('[data-testid="heatmap"]').focus();
    await page.keyboard.press('ArrowRight');
    const focus = await page.locator('[data-testid="focus-value"]').innerText();
    assert.match(focus, /^computation → .+: (<?\d+(\.\d+)?%|0%)$/, focus);
    // + zooms in further, 0 shows everything again.
    await page.keyboard.press('+');
    assert.ok((await zoomOf(page))![2] < size);
    await page.keyboard.press('0');
    assert.strictEqual((await zoomOf(page))![2], 510, 'all 510 visible tokens ([CLS]/[SEP] hidden)');
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('line granularity merges rows and columns, states the merge rule, and hovers send lines in the column mode', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 120 });
    await choose(page, 'granularity-select', 'lines');
    await page.waitForFunction('document.querySelector(\'[data-testid="heatmap"]\').dataset.granularity === "lines"');
    await page.waitForFunction('window.__sent.some((m) => m.type === "request" && m.request.type === "requestMatrix" && m.request.granularity === "lines")');
    const units = Number(await page.locator('[data-testid="heatmap"]').getAttribute('data-units'));
    assert.ok(units > 3 && units < 20, `${units} lines and specials`);
    assert.match(await page.locator('[data-testid="merge-note"]').innerText(), /sum over its tokens.*mean over its tokens/);
    assert.strictEqual(await page.locator('[data-testid="token-strip"] span.token').count(), units - 2, 'the strip shows lines too');
    await choose(page, 'direction-select', 'attendedBy');
    await page.locator('[data-testid="token-strip"] span.token').nth(1).hover();
    await page.waitForFunction('window.__sent.some((m) => m.type === "hoverQuery" && m.reading && m.reading.direction === "attendedBy")');
    const hover = (await sent(page)).filter((m) => m.type === 'hoverQuery').at(-1)!;
    assert.deepStrictEqual(hover.reading, { granularity: 'lines', direction: 'attendedBy' });
    // The same analysis sent again (the panel's page reloaded): it is read as before.
    const groupRequests = 'window.__sent.filter((m) => m.type === "request" && m.request.type === "requestGroups").length';
    const before: number = await page.evaluate(groupRequests);
    await page.evaluate('window.__host.send(window.__host.init)');
    await page.waitForFunction(`${groupRequests} > ${before}`);
    await page.waitForFunction('document.querySelector(\'[data-testid="heatmap"]\').dataset.granularity === "lines"');
    assert.strictEqual(await page.evaluate('document.querySelector(\'[data-testid="direction-select"]\').value'), 'attendedBy');
    assert.strictEqual(Number(await page.locator('[data-testid="heatmap"]').getAttribute('data-units')), units);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('Shift+drag down the rows makes a query span; the strip is reachable by keyboard', async () => {
    const { page } = await h.openPanel(chromium.browser, chromium.server.url, { n: 40 });
    const box = await page.locator('[data-testid="heatmap"] canvas.chart').boundingBox();
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.width - 10, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 10, box.y + box.height * 0.6, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const span = (await sent(page)).find((m) => m.type === 'querySpan') as { span: number[] } | undefined;
    assert.ok(span && span.span.length > 5, `span of ${span?.span.length} queries`);
    assert.deepStrictEqual(span!.span, span!.span.slice().sort((a, b) => a - b));
    // Dragging along the row labels (left of the cells) selects a span too, without Shift.
    const [areaWidth] = ((await page.locator('[data-testid="heatmap"]').getAttribute('data-area')) ?? '').split('x').map(Number);
    const labelsX = box.x + (box.width - areaWidth) / 2;
    await page.mouse.move(labelsX, box.y + box.height * 0.4);
    await page.mouse.down();
    await page.mouse.move(labelsX, box.y + box.height * 0.7, { steps: 5 });
    await page.mouse.up();
    const spans = (await sent(page)).filter((m) => m.type === 'querySpan') as unknown as { span: number[] }[];
    assert.strictEqual(spans.length, 2);
    assert.ok(spans[1].span.length > 5 && spans[1].span[0] > span!.span[0], `axis span ${spans[1].span}`);
    await page.locator('[data-testid="token-strip"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const pin = (await sent(page)).filter((m) => m.type === 'pinQuery').at(-1)!;
    assert.strictEqual(pin.query, 2, 'the second visible token (after the hidden [CLS])');
    await page.close();
  });

  it('exports the figure on screen: a PNG with title and colour bar, an SVG spec the host accepts, data of everything', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 64 });
    await page.locator('[data-testid="export-png"]').click();
    await page.waitForFunction('window.__sent.some((m) => m.type === "request" && m.request.type === "exportImage")');
    const png = (await sent(page)).find((m) => m.type === 'request' && (m.request as Sent).type === 'exportImage')!.request as { format: string; dataUrl: string; granularity: string };
    assert.strictEqual(png.format, 'png');
    const image = decodePng(Buffer.from(png.dataUrl.split(',')[1], 'base64'));
    assert.ok(image.width > 600 && image.height > 600, `${image.width}×${image.height}`);
    await page.locator('[data-testid="export-svg"]').click();
    await page.waitForFunction('window.__sent.some((m) => m.type === "request" && m.request.format === "svg")');
    const svg = (await sent(page)).find((m) => m.type === 'request' && (m.request as Sent).format === 'svg')!.request as { figure: FigureSpec };
    const spec = checkFigureSpec(svg.figure, 64 * 1024 * 1024);
    assert.strictEqual(typeof spec, 'object', String(spec));
    const figure = spec as FigureSpec;
    assert.deepStrictEqual(figure.title, ['main.py, lines 1–30', 'harness-bert', 'Layer 1 · Head 1 · Tokens']);
    assert.strictEqual(figure.rowLabels.length, 62);
    assert.match(figureSvg(figure), /<image data-testid="cells"/);
    await choose(page, 'export-scope', 'all');
    await page.locator('[data-testid="export-json"]').click();
    await page.locator('[data-testid="export-html"]').click();
    await page.waitForFunction('window.__sent.some((m) => m.type === "request" && m.request.format === "html")');
    const data = (await sent(page)).filter((m) => m.type === 'request' && (m.request as Sent).type === 'exportData').map((m) => m.request as Sent);
    assert.deepStrictEqual(data.map((d) => [d.format, d.scope]), [['json', 'all'], ['html', 'all']]);
    assert.match(await page.locator('[data-testid="status"]').innerText(), /Saved to \/tmp\/harness\./);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('the side panel marks the head the attention panel shows, on screen and for screen readers', async () => {
    const { page, errors } = await h.openSidePanel(chromium.browser, chromium.server.url, { n: 64 });
    const shown = page.locator('[data-testid="thumbnail"].shown');
    assert.strictEqual(await shown.count(), 1);
    assert.strictEqual(await shown.getAttribute('data-layer'), '2');
    assert.strictEqual(await shown.getAttribute('data-head'), '7');
    assert.strictEqual(await shown.getAttribute('aria-current'), 'true');
    const outline = await page.evaluate(`getComputedStyle(document.querySelector('[data-testid="thumbnail"].shown')).outlineStyle`);
    assert.strictEqual(outline, 'solid');
    assert.deepStrictEqual(errors, []);
    await page.close();
  });
});
