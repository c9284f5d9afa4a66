// The built webviews in headless Chromium against the stub host (test/webview-perf): what a user would notice.
import * as assert from 'assert';
import { harness as h, useChromium } from './chromiumSuite';

describe('webviews in Chromium (built bundles)', function () {
  this.timeout(60000);
  const chromium = useChromium();

  it('paints the first head, lists the visible token labels and hides special tokens', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 40 });
    const hm = page.locator('[data-testid="heatmap"]');
    assert.strictEqual(await hm.getAttribute('data-n'), '40');
    assert.strictEqual(await hm.getAttribute('data-view'), 'L0H0');
    assert.strictEqual(await hm.getAttribute('data-render-mode'), 'cells');
    assert.strictEqual(await page.locator('[data-testid="axis-labels"] li').count(), 38, '[CLS] and [SEP] hidden');
    assert.strictEqual(await page.locator('[data-testid="token-strip"] span.token').count(), 38);
    assert.strictEqual(await page.locator('[data-testid="stale-banner"]').isVisible(), false);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('switches head and layer on request and draws 512 tokens as one bitmap', async () => {
    const { page } = await h.openPanel(chromium.browser, chromium.server.url, { n: 512 });
    const r1 = await h.switchView(page, 'head', 3);
    assert.strictEqual(r1.view, 'L0H3');
    assert.strictEqual(r1.mode, 'bitmap');
    const r2 = await h.switchView(page, 'layer', 5);
    assert.strictEqual(r2.view, 'L5H3');
    const r3 = await h.switchView(page, 'head', 'mean');
    assert.strictEqual(r3.view, 'L5mean');
    // Page code as strings: this file compiles without the DOM library.
    const sent = await page.evaluate("window.__sent.filter((m) => m.type === 'request' && m.request.type === 'requestMatrix').length");
    assert.strictEqual(sent, 4, 'one request per new view, including the first');
    await page.close();
  });

  it('hovering a cell tells the host which query, shows the weight, and Escape unpins', async () => {
    const { page } = await h.openPanel(chromium.browser, chromium.server.url, { n: 40 });
    const box = await page.locator('[data-testid="heatmap"] canvas.chart').boundingBox();
    await page.mouse.move(box.x + box.width - 20, box.y + box.height - 20);
    await page.waitForFunction("!document.querySelector('.tooltip').hidden");
    // A percentage, as in the editor's hover card.
    assert.match(await page.locator('.tooltip').innerText(), /→ .+: (\d+\.\d{1,2}%|<0\.01%)$/);
    await page.mouse.click(box.x + box.width - 20, box.y + box.height - 20);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="heatmap"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Escape');
    const sent: { type: string; query: number | null }[] = await page.evaluate('window.__sent');
    assert.ok(sent.some((m) => m.type === 'hoverQuery' && m.query !== null));
    const pins = sent.filter((m) => m.type === 'pinQuery');
    assert.ok(pins.length >= 2 && pins[0].query !== null && pins[pins.length - 1].query === null, 'pinned then unpinned');
    assert.match(await page.locator('[data-testid="live-region"]').innerText(), /→|Unpinned/);
    await page.close();
  });

  it('after a short analysis, a longer one in the same panel draws its own cells, also after head switches', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 40 });
    assert.strictEqual(await page.locator('[data-testid="heatmap"]').getAttribute('data-render-mode'), 'cells');
    await h.showNewAnalysis(page, 200, 3);
    assert.strictEqual(await page.locator('[data-testid="heatmap"]').getAttribute('data-render-mode'), 'bitmap');
    const compare = async (when: string) => {
      const [drawn, expected]: number[][][] = [await h.drawnCells(page), await h.expectedCells(page)];
      assert.strictEqual(drawn.length, expected.length);
      const wrong = drawn.filter((px, i) => Math.max(...px.map((v, j) => Math.abs(v - expected[i][j]))) > 24);
      assert.ok(wrong.length <= drawn.length * 0.002, `${when}: ${wrong.length} of ${drawn.length} drawn cells differ from the data (first: ${JSON.stringify(wrong[0])})`);
    };
    await compare('after the longer analysis');
    await h.switchView(page, 'head', 1);
    await h.switchView(page, 'head', 0);
    await compare('after switching heads');
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it("keeps the analysis's notes on the status line: why it was cut (memory's reason, else the generic notice) and unreadable text", async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 40 });
    const status = page.locator('[data-testid="status"]');
    const memory = 'Cut to 40 tokens to bound memory: the attention of 12 layers × 12 heads at 9000 tokens would need 15 GB, more than the 1.0 GB allowed.';
    const unknown = '30 of 38 tokens are [UNK]: harness-bert\'s vocabulary has no pieces for most of this text.';
    const init = (extra: object) => page.evaluate(`window.__host.send({ ...window.__host.initMessage('harness-notes'), ...${JSON.stringify(extra)} })`);
    await init({ truncated: true, memoryLimitNote: memory, unknownTokensNote: unknown });
    await page.waitForFunction("document.querySelector('[data-testid=\"status\"]').textContent.includes('bound memory')");
    assert.strictEqual(await status.innerText(), `${memory} ${unknown}`);
    // A later 'ready' status (after a re-run or a stale round trip) keeps the notes.
    await page.evaluate("window.__host.send({ type: 'status', status: { kind: 'running' } })");
    await page.waitForFunction("document.querySelector('[data-testid=\"status\"]').textContent === 'Running the model…'");
    await page.evaluate("window.__host.send({ type: 'status', status: { kind: 'ready' } })");
    await page.waitForFunction("document.querySelector('[data-testid=\"status\"]').textContent !== 'Running the model…'");
    assert.strictEqual(await status.innerText(), `${memory} ${unknown}`);
    await init({ truncated: true });
    await page.waitForFunction("!document.querySelector('[data-testid=\"status\"]').textContent.includes('bound memory')");
    // The generic notice, with how much of the selection it covers (the editor marks where it stops).
    assert.match(await status.innerText(), /^The text was longer than the model accepts; only the start was analysed\. It covers [\d,]+ of the [\d,]+ characters selected; the editor marks where it stops\.$/);
    await init({ truncated: false });
    await page.waitForFunction("document.querySelector('[data-testid=\"status\"]').textContent === ''");
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('answers the Export Heatmap command with a PNG of what it shows, and saves from its own buttons', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 40 });
    await page.evaluate("window.__host.send({ type: 'request', id: 77, request: { type: 'renderPng' } })");
    await page.waitForFunction("window.__sent.some((m) => m.type === 'reply' && m.id === 77)");
    const reply = await page.evaluate("window.__sent.find((m) => m.type === 'reply' && m.id === 77)");
    assert.match(reply.result.dataUrl, /^data:image\/png;base64,iVBOR/);
    await page.locator('[data-testid="export-csv"]').click();
    await page.waitForFunction("document.querySelector('[data-testid=\"status\"]').textContent.includes('Saved to')");
    assert.strictEqual(await page.locator('[data-testid="status"]').innerText(), 'Saved to /tmp/harness.csv');
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('shows the analysis status: progress, a restored analysis waiting for Re-run, an error, then ready again', async () => {
    const { page, errors } = await h.openPanel(chromium.browser, chromium.server.url, { n: 40 });
    const status = page.locator('[data-testid="status"]');
    const banner = page.locator('[data-testid="stale-banner"]');
    const send = (s: object) => page.evaluate(`window.__host.send({ type: 'status', status: ${JSON.stringify(s)} })`);
    await send({ kind: 'running' });
    await page.waitForFunction("document.querySelector('[data-testid=\"status\"]').textContent === 'Running the model…'");
    await send({ kind: 'stale', message: 'This analysis ended with the last window. Open its file again or Re-run it to see it.' });
    await banner.waitFor({ state: 'visible' });
    assert.strictEqual(await status.innerText(), 'This analysis ended with the last window. Open its file again or Re-run it to see it.');
    assert.strictEqual(await status.getAttribute('role'), 'alert');
    await send({ kind: 'ready' });
    await banner.waitFor({ state: 'hidden' });
    assert.strictEqual(await status.innerText(), '');
    await send({ kind: 'cancelled', message: 'Cancelled. Run Show Attention again when ready.' });
    await page.waitForFunction("document.querySelector('[data-testid=\"status\"]').classList.contains('error')");
    assert.strictEqual(await status.innerText(), 'Cancelled. Run Show Attention again when ready.');
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('the side panel shows a thumbnail per layer and head and opens the clicked one', async () => {
    const { page, errors } = await h.openSidePanel(chromium.browser, chromium.server.url, { n: 64 });
    assert.strictEqual(await page.locator('[data-testid="thumbnail"]').count(), 144);
    assert.strictEqual(await page.locator('[data-testid="model-name"]').innerText(), 'harness-bert');
    await page.locator('[data-testid="thumbnail"][data-layer="2"][data-head="7"]').click();
    const sent: { type: string; layer?: number; head?: number }[] = await page.evaluate('window.__sent');
    assert.ok(sent.some((m) => m.type === 'openHead' && m.layer === 2 && m.head === 7));
    assert.strictEqual(await page.locator('[data-testid="recent"] button').count(), 2);
    assert.deepStrictEqual(errors, []);
    await page.close();
  });

  it('before any model is loaded, the side panel names the configured model as the status bar does', async () => {
    const { page, errors } = await h.openSidePanel(chromium.browser, chromium.server.url, { n: 16, noModel: true });
    assert.strictEqual(await page.locator('[data-testid="model-name"]').innerText(), 'Xenova/bert-base-uncased (not loaded yet)');
    assert.deepStrictEqual(errors, []);
    await page.close();
  });
});
