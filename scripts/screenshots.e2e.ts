// README's screenshots: the attention panel beside the editor tinted by a hovered token, in the dark and the light
// theme, taken in the same code-server workbench the e2e tests use. Not a test: run `npm run screenshots`.
import * as path from 'path';
import { DARK_THEME, hoverTargets, LensSession, LIGHT_THEME, repoRoot, settings } from '../test/e2e/lensSession';
import { NOTES_MD } from '../test/e2e/workspace';

const screenshotDir = path.join(repoRoot, 'test', 'e2e', 'screenshots');

describe('screenshots for the README', function () {
  const lens = new LensSession();

  before(async function () {
    this.timeout(240_000);
    await lens.start(DARK_THEME);
  });

  after(async function () {
    this.timeout(30_000);
    await lens.stop();
  });

  it('attention panel beside the highlighted editor, dark and light', async function () {
    const { page, workbench } = lens;
    const { frame, expected } = await lens.analyseLines(NOTES_MD, 1, 2);
    // Park the cursor on the line after the analysed text, so the selection does not hide the tints.
    await workbench.editorFor(NOTES_MD).locator('.view-lines .view-line').nth(2).click({ position: { x: 5, y: 5 } });
    await page.locator('.notification-toast', { hasText: 'running' }).waitFor({ state: 'detached', timeout: 30_000 });
    const [target] = hoverTargets(expected, 1);
    const shoot = async (name: string): Promise<string> => {
      const before = await workbench.tintSnapshot(NOTES_MD);
      await workbench.armTintWatcher(NOTES_MD, before);
      await frame.locator(`[data-testid="token-strip"] span.token[data-index="${target}"]`).hover();
      await workbench.tintChangedAt(10_000);
      return lens.screenshot(screenshotDir, name);
    };
    const dark = await shoot('panel-and-editor-dark.png');
    await page.mouse.move(5, 500);
    lens.server?.writeUserSettings(settings(LIGHT_THEME));
    await page.locator('.monaco-workbench.vs:not(.vs-dark)').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    const light = await shoot('panel-and-editor-light.png');
    console.log(`      wrote ${[dark, light].map((f) => path.relative(repoRoot, f)).join(', ')}`);
  });
});
