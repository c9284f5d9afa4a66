// The panel's encoder–decoder parts and continuations in headless Chromium against the stub host
// (test/webview-perf/stubHost.js: target token t looks at source token t+1 in every cross-attention head).
import * as assert from 'assert';
import { harness as h, useChromium } from './chromiumSuite';

/** Index (data-index) of the most strongly tinted token of a strip, and how many tokens are tinted. Page code as a string. */
const strongest = (testid: string) => `(() => {
  let best = -1, bestAlpha = 0, tinted = 0;
  for (const span of document.querySelectorAll('[data-testid="${testid}"] span.token')) {
    const m = /rgba\\([^)]*,\\s*([\\d.]+)\\)/.exec(getComputedStyle(span).backgroundColor);
    const alpha = m ? Number(m[1]) : 0;
    if (alpha > 0) tinted++;
    if (alpha > bestAlpha) { bestAlpha = alpha; best = Number(span.dataset.index); }
  }
  return { best, tinted };
})()`;

describe('encoder–decoder parts and continuations in the panel (Chromium, built bundle)', function () {
  this.timeout(60000);
  const chromium = useChromium();

  it('offers encoder, decoder and cross-attention, and shows the target text in its own strip', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 30, extra: '&target=8' });
    assert.strictEqual(await page.locator('[data-testid="part-select"]').isVisible(), true);
    assert.deepStrictEqual(await page.locator('[data-testid="part-select"] vscode-option').allTextContents(), [
      'Encoder (source → source)',
      'Decoder (target → target)',
      'Cross-attention (target → source)',
    ]);
    assert.strictEqual(await page.locator('[data-testid="target-strip"] span.token').count(), 7, '</s> hidden');
    assert.strictEqual(await page.locator('[data-testid="target-strip"]').innerText(), 'das modell liest jedes wort und fragt');
    assert.match(await page.locator('[data-testid="model-line"]').innerText(), /decoder 2 layers × 4 heads · 8 target tokens$/);
    const cross = await h.switchView(page, 'part', 'cross');
    assert.strictEqual(cross.view, 'cross:L0H0');
    // Rows are the target's tokens, columns the source's.
    assert.deepStrictEqual(await page.locator('[data-testid="axis-labels"] li').allTextContents(), ['das', 'modell', 'liest', 'jedes', 'wort', 'und', 'fragt']);
    const decoder = await h.switchView(page, 'part', 'decoder');
    assert.strictEqual(decoder.view, 'dec:L0H0');
    assert.deepStrictEqual(await page.locator('[data-testid="layer-select"] vscode-option').allTextContents(), ['Layer 1', 'Layer 2'], "the decoder's layers");
    const encoder = await h.switchView(page, 'part', 'encoder');
    assert.strictEqual(encoder.view, 'L0H0');
    assert.strictEqual(await page.locator('[data-testid="axis-labels"] li').count(), 28);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('hovering a target token tints the source by its cross-attention and asks the host to tint the editor the same way', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 30, extra: '&target=8' });
    // Encoder view shown: the target strip still links to the source through the cross-attention.
    await page.locator('[data-testid="target-strip"] span.token[data-index="3"]').hover();
    await page.waitForFunction(`${strongest('token-strip')}.best === 4`);
    const sent: { type: string; query: number | null; view: { part?: string } }[] = await page.evaluate('window.__sent');
    const hover = sent.filter((m) => m.type === 'hoverQuery').at(-1)!;
    assert.strictEqual(hover.query, 3);
    assert.strictEqual(hover.view.part, 'cross', 'the editor is tinted by cross-attention');
    assert.strictEqual(await page.locator('[data-testid="target-strip"] span.token.active').getAttribute('data-index'), '3');
    // In the cross-attention view the same hover reads straight off the heatmap's row.
    await page.mouse.move(1, 1);
    await h.switchView(page, 'part', 'cross');
    await page.locator('[data-testid="target-strip"] span.token[data-index="5"]').hover();
    await page.waitForFunction(`${strongest('token-strip')}.best === 6`);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('the editor cursor on a source token shows which target tokens looked at it (its cross-attention column)', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 30, extra: '&target=8' });
    await h.switchView(page, 'part', 'cross');
    await page.evaluate("window.__host.send({ type: 'focusQuery', query: 5 })");
    await page.waitForFunction(`${strongest('target-strip')}.best === 4`);
    assert.strictEqual(await page.locator('[data-testid="token-strip"] span.token.active').getAttribute('data-index'), '5');
    // The encoder view too: the source strip by the encoder's row, the target strip by the cross-attention column.
    await h.switchView(page, 'part', 'encoder');
    await page.evaluate("window.__host.send({ type: 'focusQuery', query: 3 })");
    await page.waitForFunction(`${strongest('target-strip')}.best === 2`);
    assert.ok((await page.evaluate(strongest('token-strip'))).tinted > 0);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('the cross-attention tooltip names the target token and the source token it looks at', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 30, extra: '&target=8' });
    await h.switchView(page, 'part', 'cross');
    const box = await page.locator('[data-testid="heatmap"] canvas.chart').boundingBox();
    await page.mouse.move(box.x + box.width - 10, box.y + box.height - 10);
    await page.waitForFunction("!document.querySelector('.tooltip').hidden");
    assert.match(await page.locator('.tooltip').innerText(), /^fragt → \S+: [\d.]+%$/);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('marks a generated continuation in the strip', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 30, extra: '&continuation=5' });
    assert.strictEqual(await page.locator('[data-testid="part-select"]').isVisible(), false);
    assert.strictEqual(await page.locator('[data-testid="target-strip"]').isVisible(), false);
    assert.deepStrictEqual(await page.locator('[data-testid="token-strip"] span.token.generated').evaluateAll((spans: { dataset: { index: string } }[]) => spans.map((s) => Number(s.dataset.index))), [25, 26, 27, 28], '[SEP] hidden');
    assert.strictEqual(await page.locator('[data-testid="continuation-mark"]').count(), 1);
    assert.match(await page.locator('[data-testid="model-line"]').innerText(), /30 tokens \(5 generated\)$/);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });
});
