// The panel on a long analysis (8,192 tokens, over the 2,048 whole matrices stop at), in headless Chromium against the
// stub host: a max-pooled overview marked as pooled, exact labelled cells once zoomed in (values as the host's tile
// gives them), and a head switch that keeps the zoom. No whole matrix is ever asked for.
import * as assert from 'assert';
import { checkFigureSpec, type FigureSpec } from '../../../../shared/figure';
import { formatWeight } from '../../../../shared/formatWeight';
import { figureSvg } from '../../../../src/export/svgFigure';
import { decodePng } from '../../../support/pngDecode';
import { useChromium, harness as h } from './chromiumSuite';

type Sent = { type: string; request?: { type: string; queries?: { start: number; end: number }; keys?: { start: number; end: number } } };

describe('the panel on a long analysis (built bundles in Chromium)', function () {
  this.timeout(120000);
  const suite = useChromium();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const data = (page: any, name: string) => page.locator('[data-testid="heatmap"]').getAttribute(`data-${name}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const requests = async (page: any) => ((await page.evaluate('window.__sent')) as Sent[]).filter((m) => m.type === 'request').map((m) => m.request!);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const focusText = (page: any) => page.locator('[data-testid="focus-value"]').innerText();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const expected = (page: any, layer: number, head: number, q: number, k: number): Promise<number> =>
    page.evaluate(`Math.fround(window.__host.longWeight(${layer}, ${head}, ${q}, ${k}, window.__host.poolTile(window.__host.current().n)))`);

  it('at 8,192 tokens shows the pooled overview, exact labelled cells when zoomed in, and keeps the zoom on a head switch', async () => {
    const { page, errors } = await h.openPanel(suite.browser, suite.server.url, { n: 8192 });
    assert.strictEqual(await data(page, 'cells'), 'pooled');
    assert.match(await page.locator('[data-testid="view-label"]').innerText(), /Head 1 · pooled: max of 32×32 tokens per cell/);
    let asked = await requests(page);
    assert.deepStrictEqual(asked.map((r) => r.type), ['requestOverview'], 'an overview, never the 8,192² matrix');

    // Focus the last column (keys near the end of the text), then zoom in around it with + until cells are exact.
    await page.locator('[data-testid="heatmap"]').focus();
    await page.keyboard.press('End');
    for (let i = 0; i < 30 && (await data(page, 'cells')) !== 'exact'; i++) await h.zoomStep(page, '+').catch(() => undefined);
    await page.waitForFunction('document.querySelector(\'[data-testid="heatmap"]\').dataset.cells === "exact"');
    const [row0, col0, size] = ((await data(page, 'zoom')) ?? '').split(',').map(Number);
    assert.ok(size <= 256, `zoomed to ${size} tokens a side`);
    assert.ok(col0 + size >= 8190 - 1, `the window reaches the end of the keys (${col0}+${size})`);
    assert.match(await page.locator('[data-testid="view-label"]').innerText(), /Head 1 · exact weights, one cell per token/);
    asked = await requests(page);
    const tile = asked.find((r) => r.type === 'requestTile')!;
    // The window widened to 512 tokens a side (pans inside it need no new tile), reaching the end of the keys.
    assert.ok(tile && tile.queries!.end - tile.queries!.start === 512 && tile.keys!.end - tile.keys!.start === 512, JSON.stringify(tile));
    assert.ok(tile.queries!.start <= row0 + 1 && tile.keys!.end >= 8191, JSON.stringify(tile));
    assert.ok(!asked.some((r) => r.type === 'requestMatrix'));

    // The focused cell's readout names its tokens and the stub's exact weight (rows/cols skip the hidden [CLS]).
    const tokens = (await page.evaluate('window.__host.current().tokens')) as { text: string }[];
    await page.keyboard.press('ArrowDown');
    for (const [q, k] of [[row0 + 2, 8190], [row0 + 2, 8189], [row0 + 3, 8189]]) {
      const text = await focusText(page);
      assert.strictEqual(text, `${tokens[q].text} → ${tokens[k].text}: ${formatWeight(await expected(page, 0, 0, q, k))}`);
      await page.keyboard.press(k === 8190 ? 'ArrowLeft' : 'ArrowDown');
    }

    // A head switch keeps the zoom and shows that head's exact weights.
    const zoomBefore = await data(page, 'zoom');
    await h.switchView(page, 'head', 4);
    await page.waitForFunction('document.querySelector(\'[data-testid="heatmap"]\').dataset.cells === "exact" && document.querySelector(\'[data-testid="heatmap"]\').dataset.view === "L0H4"');
    assert.strictEqual(await data(page, 'zoom'), zoomBefore, 'a head switch keeps the zoom');
    await page.locator('[data-testid="heatmap"]').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    assert.strictEqual(await focusText(page), `${tokens[row0 + 4].text} → ${tokens[8189].text}: ${formatWeight(await expected(page, 0, 4, row0 + 4, 8189))}`);

    // Zooming out again shows the pooled overview of the new head.
    await page.keyboard.press('0');
    await page.waitForFunction('document.querySelector(\'[data-testid="heatmap"]\').dataset.cells === "pooled"');
    assert.match(await page.locator('[data-testid="view-label"]').innerText(), /Head 5 · pooled: max of 32×32/);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('pans over exact cells without asking for a tile again while the window stays inside the one it has', async () => {
    const { page, errors } = await h.openPanel(suite.browser, suite.server.url, { n: 8192 });
    await page.locator('[data-testid="heatmap"]').focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 30 && (await data(page, 'cells')) !== 'exact'; i++) await h.zoomStep(page, '+').catch(() => undefined);
    await page.waitForFunction('document.querySelector(\'[data-testid="heatmap"]\').dataset.cells === "exact"');
    const tiles = async () => (await requests(page)).filter((r) => r.type === 'requestTile');
    assert.strictEqual((await tiles()).length, 1);
    const first = (await tiles())[0];
    // Shift+arrows pan a tenth of the window at a time; stay inside the tile's 512 tokens.
    const zoomOf = async () => ((await data(page, 'zoom')) ?? '').split(',').map(Number);
    const [, , size] = await zoomOf();
    for (let i = 0; i < 3; i++) {
      const previous = (await zoomOf()).join(',');
      await page.keyboard.press('Shift+ArrowRight');
      await page.waitForFunction(`document.querySelector('[data-testid="heatmap"]').dataset.zoom !== ${JSON.stringify(previous)}`);
    }
    const [row0, col0] = await zoomOf();
    assert.ok(col0 + size <= first.keys!.end && col0 >= first.keys!.start && row0 >= first.queries!.start, `window ${row0},${col0},${size} inside ${JSON.stringify(first)}`);
    assert.strictEqual(await data(page, 'cells'), 'exact');
    assert.strictEqual((await tiles()).length, 1, 'no new tile for pans inside the one held');
    // The focused cell still reads an exact weight after the pans, from the tile held.
    assert.match(await focusText(page), / → .+: (<?\d+(\.\d+)?%|0%)$/);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('at 8,192 tokens the pointer reads a cell: pooled says to zoom in, exact gives the weight and hovers its query', async () => {
    const { page, errors } = await h.openPanel(suite.browser, suite.server.url, { n: 8192 });
    const box = await page.locator('[data-testid="heatmap"] canvas.chart').boundingBox();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6);
    await page.waitForFunction("!document.querySelector('.tooltip').hidden");
    assert.match(await page.locator('.tooltip').innerText(), /→ .+: pooled here; zoom in for exact weights$/);
    await page.mouse.move(1, 1);
    await page.locator('[data-testid="heatmap"]').focus();
    for (let i = 0; i < 30 && (await data(page, 'cells')) !== 'exact'; i++) await h.zoomStep(page, '+').catch(() => undefined);
    await page.waitForFunction('document.querySelector(\'[data-testid="heatmap"]\').dataset.cells === "exact"');
    // The cell under the pointer, by the same arithmetic as the keyboard: the readout of the focused cell is exact.
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6);
    await page.waitForFunction("!document.querySelector('.tooltip').hidden && !document.querySelector('.tooltip').innerText.includes('pooled')");
    const tip = await page.locator('.tooltip').innerText();
    const [, qText, kText, weight] = /^(.+) → (.+): (.+)$/.exec(tip) ?? [];
    assert.ok(qText && kText && weight, tip);
    const hovered = ((await page.evaluate('window.__sent')) as { type: string; query?: number | null }[]).filter((m) => m.type === 'hoverQuery' && m.query !== null && m.query !== undefined).at(-1);
    assert.ok(hovered, 'the hovered query went to the host (the editor tints its exact row)');
    const tokens = (await page.evaluate('window.__host.current().tokens')) as { text: string }[];
    assert.strictEqual(tokens[hovered.query!].text, qText, 'the tooltip names the hovered query token');
    // The weight is the stub host's exact weight of that query and a key with that text.
    const keys = tokens.map((t, i) => (t.text === kText ? i : -1)).filter((i) => i >= 0);
    const weights = await Promise.all(keys.map((k) => expected(page, 0, 0, hovered.query!, k)));
    assert.ok(weights.some((w) => formatWeight(w) === weight), `${tip}: not the weight of any key "${kText}" (${weights.map(formatWeight).join(', ')})`);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('exports the figure on screen at 8,192 tokens: pooled cells labelled by token range, then exact labelled cells', async () => {
    const { page, errors } = await h.openPanel(suite.browser, suite.server.url, { n: 8192 });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const exports = async (format: string): Promise<any[]> =>
      ((await page.evaluate('window.__sent')) as { type: string; request?: { type: string; format?: string } }[])
        .filter((m) => m.type === 'request' && m.request!.type === 'exportImage' && m.request!.format === format)
        .map((m) => m.request);
    const svgFigure = async (count: number): Promise<FigureSpec> => {
      await page.locator('[data-testid="export-svg"]').click();
      await page.waitForFunction(`window.__sent.filter((m) => m.type === "request" && m.request.format === "svg").length === ${count}`);
      const spec = checkFigureSpec((await exports('svg'))[count - 1].figure, 64 * 1024 * 1024);
      assert.strictEqual(typeof spec, 'object', String(spec));
      assert.match(figureSvg(spec as FigureSpec), /<image data-testid="cells"/);
      return spec as FigureSpec;
    };

    // The pooled overview: one cell per 32×32 tokens, labelled by the tokens it covers, and the title says so.
    await page.locator('[data-testid="export-png"]').click();
    await page.waitForFunction('window.__sent.some((m) => m.type === "request" && m.request.format === "png")');
    const image = decodePng(Buffer.from((await exports('png'))[0].dataUrl.split(',')[1], 'base64'));
    assert.ok(image.width > 600 && image.height > 600, `${image.width}×${image.height}`);
    const pooled = await svgFigure(1);
    assert.match(pooled.title.at(-1)!, /^Layer 1 · Head 1 · pooled: max of 32×32 tokens per cell$/);
    assert.strictEqual(pooled.rowLabels.length, 256);
    assert.deepStrictEqual([pooled.rowLabels[0], pooled.rowLabels.at(-1)], ['0–31', '8,160–8,191']);
    assert.strictEqual(pooled.rowAxis, 'Query tokens (pooled)');
    assert.match(pooled.note ?? '', /largest weight among the tokens it covers/);

    // Zoomed in to exact cells: one labelled cell per token, and the window in the title.
    await page.locator('[data-testid="heatmap"]').focus();
    for (let i = 0; i < 30 && (await data(page, 'cells')) !== 'exact'; i++) await h.zoomStep(page, '+').catch(() => undefined);
    await page.waitForFunction('document.querySelector(\'[data-testid="heatmap"]\').dataset.cells === "exact"');
    const [row0, , size] = ((await data(page, 'zoom')) ?? '').split(',').map(Number);
    const exact = await svgFigure(2);
    assert.match(exact.title.at(-1)!, /^Layer 1 · Head 1 · exact weights, one cell per token · rows \d+–\d+, columns \d+–\d+$/);
    assert.strictEqual(exact.rowLabels.length, size);
    const labels = (await page.locator('[data-testid="axis-labels"] li').allTextContents()).slice(row0, row0 + size);
    assert.deepStrictEqual(exact.rowLabels, labels, 'the tokens of the zoom window, as the heatmap labels them');
    assert.strictEqual(exact.rowAxis, 'Query (attending)');
    assert.deepStrictEqual(errors, []);
    await page.close();
  });
});
