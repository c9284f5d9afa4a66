// The lens tools in the built webviews, in headless Chromium against the stub host (test/webview-perf): the head
// finder table, sinks, the value-norm toggle, compare and How to read this, as a user would use them.
import * as assert from 'assert';
import { harness as h, useChromium } from './chromiumSuite';

/** The legend's weight as a number: it reads like the tooltip, as a percentage ("43.8%"). */
function legendNumber(text: string): number {
  const value = parseFloat(text);
  return text.trim().endsWith('%') ? value / 100 : value;
}

describe('lens tools in Chromium (built bundles)', function () {
  this.timeout(60000);
  const chromium = useChromium();

  // Page code as strings: this file compiles without the DOM library.
  const sentOf = (page: { evaluate(s: string): Promise<unknown> }, type: string) =>
    page.evaluate(`window.__sent.filter((m) => m.type === ${JSON.stringify(type)} || (m.type === 'request' && m.request.type === ${JSON.stringify(type)}))`) as Promise<
      { type: string; layer?: number; head?: number; request?: { weighting?: string } }[]
    >;

  it('head finder: one row per head, described columns, sorted by a header click, a row click opens the head', async () => {
    const { page, errors } = await h.openSidePanel(chromium.browser, chromium.server.url, { n: 64 });
    const finder = page.locator('[data-testid="head-finder"]');
    await finder.locator('tbody tr').first().waitFor();
    assert.strictEqual(await finder.locator('tbody tr').count(), 144);
    const header = finder.locator('th button[data-column="previousToken"]');
    assert.strictEqual(await header.getAttribute('title'), 'Prev. token: what previousToken measures');
    await header.click();
    const first = finder.locator('tbody tr').first();
    assert.deepStrictEqual([await first.getAttribute('data-layer'), await first.getAttribute('data-head')], ['0', '3'], 'best previous-token head first');
    assert.strictEqual(await finder.locator('th:has(button[data-column="previousToken"])').getAttribute('aria-sort'), 'descending');
    await finder.locator('th button[data-column="brackets"]').click();
    assert.deepStrictEqual([await first.getAttribute('data-layer'), await first.getAttribute('data-head')], ['2', '1'], 'best bracket head first');
    assert.strictEqual(await first.locator('td').nth(5).innerText(), '–', 'a score that does not apply');
    await first.click();
    const opened = await sentOf(page, 'openHead');
    assert.deepStrictEqual(opened.map((m) => [m.layer, m.head]), [[2, 1]]);
    assert.match(await finder.locator('.notes').innerText(), /causal \(decoder\) models only/);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('flags a sink column on the axis, explains sinks, and leaves it out of the colour scale on request', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 40, hideSpecial: false });
    const hm = page.locator('[data-testid="heatmap"]');
    assert.strictEqual(await hm.getAttribute('data-sinks'), '', 'the first head has no sink');
    await h.switchView(page, 'head', 2);
    assert.strictEqual(await hm.getAttribute('data-sinks'), '0');
    const marked = page.locator('[data-testid="axis-labels"] li[data-sink]');
    assert.strictEqual(await marked.count(), 1);
    assert.strictEqual(await marked.getAttribute('aria-label'), '[CLS] (attention sink)');
    assert.match(await page.locator('[data-testid="sink-note"]').innerText(), /^Sink: \[CLS\]$/);
    assert.match((await page.locator('[data-testid="sink-note"]').getAttribute('title'))!, /Xiao et al\. 2023/);
    const legendMax = async () => legendNumber(await page.locator('.legend span').nth(2).innerText());
    const withSink = await legendMax();
    await page.locator('[data-testid="sink-toggle"]').check();
    assert.strictEqual(await hm.getAttribute('data-sink-scale'), 'excluded');
    const without = await legendMax();
    assert.ok(without < withSink / 2, `colour scale top ${without} without the sink, ${withSink} with it`);
    await page.locator('[data-testid="sink-toggle"]').uncheck();
    assert.strictEqual(await legendMax(), withSink);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('value-norm toggle asks for the weighted matrix, and is disabled with the reason when the model cannot', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 40 });
    const hm = page.locator('[data-testid="heatmap"]');
    const before = Number(await hm.getAttribute('data-render-count'));
    await page.locator('[data-testid="weighting-select"]').selectOption('value-norm');
    await page.waitForFunction(`Number(document.querySelector('[data-testid="heatmap"]').dataset.renderCount) > ${before}`);
    assert.strictEqual(await hm.getAttribute('data-weighting'), 'value-norm');
    const requests = await sentOf(page, 'requestMatrix');
    assert.strictEqual(requests.at(-1)!.request!.weighting, 'value-norm');
    assert.strictEqual(requests.at(0)!.request!.weighting, undefined, 'the plain weights ask as before');
    await page.evaluate(`window.__host.send({ type: 'panelFeatures', analysisId: 'harness-1', valueNorm: { available: false, reason: 'the graph fuses its attention output projection' } })`);
    await page.waitForFunction(`document.querySelector('[data-testid="weighting-select"]').disabled`);
    assert.match(await page.locator('[data-testid="value-norm-reason"]').innerText(), /unavailable: the graph fuses its attention output projection/);
    assert.strictEqual(await page.locator('[data-testid="weighting-select"]').inputValue(), 'weights');
    await page.waitForFunction(`document.querySelector('[data-testid="heatmap"]').dataset.weighting === 'weights'`);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('compares before/after an edit with a difference heatmap and a ranking, two heads side by side, and opens the guide', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 40 });
    await page.locator('[data-testid="compare-open"]').click();
    const compare = page.locator('[data-testid="compare"]');
    assert.ok(await compare.isVisible());
    await page.locator('[data-testid="compare-run"]').click();
    await page.waitForFunction(`/No earlier analysis/.test(document.querySelector('[data-testid="compare-status"]').textContent)`);
    await page.evaluate('window.__host.edited = true');
    await page.locator('[data-testid="compare-run"]').click();
    await page.locator('[data-testid="difference-heatmap"]').waitFor();
    assert.match(await page.locator('[data-testid="compare-status"]').innerText(), /Layer 1 · Head 1, before vs after the edit \(character level\): mean Jensen–Shannon distance 0\.500/);
    assert.ok(Number(await page.locator('[data-testid="difference-heatmap"]').getAttribute('data-max-difference')) > 0);
    assert.strictEqual(await compare.locator('figure').count(), 3, 'before, after, difference');
    const ranked = compare.locator('[data-testid="compare-ranking"] button');
    assert.strictEqual(await ranked.count(), 12);
    await ranked.nth(1).click();
    await page.waitForFunction(`document.querySelector('[data-testid="heatmap"]').dataset.view === 'L0H1'`);
    await page.locator('[data-testid="compare-mode"]').selectOption('model');
    await page.locator('[data-testid="compare-run"]').click();
    await page.waitForFunction(`/Compare With Another Model…/.test(document.querySelector('[data-testid="compare-status"]').textContent)`);
    assert.strictEqual(await compare.locator('figure').count(), 0, 'no figures without a second model');
    await page.locator('[data-testid="compare-mode"]').selectOption('heads');
    await page.locator('[data-testid="compare-layer"]').selectOption('3');
    await page.locator('[data-testid="compare-run"]').click();
    await page.waitForFunction(`/vs Layer 4 · Head 1: mean Jensen–Shannon distance 0\\.420/.test(document.querySelector('[data-testid="compare-status"]').textContent)`);
    await page.locator('[data-testid="how-to-read"]').click();
    assert.strictEqual((await sentOf(page, 'openGuide')).length, 1);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });
});
