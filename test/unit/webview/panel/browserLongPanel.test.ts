// The panel on a long analysis (8,192 tokens, over the 2,048 whole matrices stop at), in headless Chromium against the
// stub host: a max-pooled overview marked as pooled, exact labelled cells once zoomed in (values as the host's tile
// gives them), and a head switch that keeps the zoom. No whole matrix is ever asked for.
import * as assert from 'assert';
import { formatWeight } from '../../../../shared/formatWeight';
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
    assert.ok(tile && tile.queries!.end - tile.queries!.start <= 256 && tile.keys!.end === 8191, JSON.stringify(tile));
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
});
