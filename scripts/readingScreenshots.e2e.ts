// README's "Reading the views" screenshot: the heatmap at 512 tokens zoomed by Find token, with the minimap and the
// focused cell's value, beside the editor with the analysed lines marked and a token's tints. Not a test: run
// `npx mocha --config scripts/screenshots.mocharc.json scripts/readingScreenshots.e2e.ts` after `npm run package`.
import * as fs from 'fs';
import * as path from 'path';
import { LensSession, MAX_TOKENS, repoRoot } from '../test/e2e/lensSession';
import { LONG_PY, NOTES_MD } from '../test/e2e/workspace';

describe('reading screenshots for the README', function () {
  const lens = new LensSession();
  before(async function () {
    this.timeout(240_000);
    await lens.start();
  });
  after(async function () {
    this.timeout(30_000);
    await lens.stop();
  });

  it('zoomed heatmap with find, minimap and focus value beside the marked editor', async function () {
    const { page, workbench } = lens;
    await workbench.openFile(LONG_PY);
    await workbench.selectAll(LONG_PY);
    await workbench.runCommand('Attention Lens: Show Attention');
    const frame = await workbench.webviewFrame(`[data-testid="heatmap"][data-n="${MAX_TOKENS}"][data-render-count]`, 120_000);
    await page.locator('.notification-toast', { hasText: 'running' }).waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
    await frame.locator('[data-testid="find-token"]').fill('available');
    await frame.locator('[data-testid="find-count"]', { hasText: / of \d+/ }).waitFor();
    await frame.locator('[data-testid="heatmap"]').focus();
    await page.keyboard.press('ArrowRight');
    // Notifications (the truncation notice, git) would cover the heatmap.
    for (const close of await page.locator('.notification-toast .codicon-notifications-clear, .notification-toast .codicon-close').all()) await close.click().catch(() => undefined);
    await frame.locator('[data-testid="heatmap"]').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    const file = await lens.screenshot(path.join(repoRoot, 'test', 'e2e', 'screenshots'), 'reading-zoom.png');
    fs.copyFileSync(file, path.join(repoRoot, 'docs', 'screenshot-zoom.png'));
  });

  it('word granularity in the column mode, with the editor tinted by what attends to the hovered word', async function () {
    const { page, workbench } = lens;
    const { frame } = await lens.analyseLines(NOTES_MD, 1, 3);
    for (const [testid, label] of [['granularity-select', 'Words'], ['direction-select', 'Attended by (column)']]) {
      const select = frame.locator(`[data-testid="${testid}"]`);
      await select.click();
      await select.getByRole('option', { name: label, exact: true }).click();
    }
    await frame.locator('[data-testid="heatmap"][data-granularity="words"]').waitFor();
    for (const close of await page.locator('.notification-toast .codicon-notifications-clear, .notification-toast .codicon-close').all()) await close.click().catch(() => undefined);
    await page.mouse.move(2, 2);
    await frame.locator('[data-testid="token-strip"] span.token', { hasText: 'model' }).first().hover();
    await lens.settledTints(NOTES_MD);
    await page.waitForTimeout(300);
    const file = await lens.screenshot(path.join(repoRoot, 'test', 'e2e', 'screenshots'), 'reading-words.png');
    fs.copyFileSync(file, path.join(repoRoot, 'docs', 'screenshot-words.png'));
  });
});
