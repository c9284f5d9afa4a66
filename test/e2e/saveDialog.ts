// code-server's save dialog (VS Code's simple file dialog): accept the proposed file and wait until it is written.
import * as fs from 'fs';
import * as path from 'path';
import type { LensSession } from './lensSession';

/** Accepts the proposed `.ext` file (next to the analysed file: the workspace root here); returns its path. */
export async function acceptSaveDialog(lens: LensSession, ext: string): Promise<string> {
  const { page } = lens;
  const before = new Set(fs.readdirSync(lens.workspaceDir));
  const input = page.locator('.quick-input-widget input.input');
  const proposed = new RegExp(`\\.${ext}$`);
  const shown = Date.now() + 30_000;
  while (!(await input.isVisible()) || !proposed.test(await input.inputValue())) {
    if (Date.now() > shown) throw new Error(`the save dialog never proposed a .${ext} file (input: "${await input.inputValue().catch(() => '')}")`);
    await page.waitForTimeout(200);
  }
  await page.keyboard.press('Enter');
  const deadline = Date.now() + 60_000;
  for (;;) {
    const added = fs.readdirSync(lens.workspaceDir).filter((f) => !before.has(f) && f.endsWith(`.${ext}`));
    if (added.length === 1 && fs.statSync(path.join(lens.workspaceDir, added[0])).size > 0) return path.join(lens.workspaceDir, added[0]);
    if (Date.now() > deadline) throw new Error(`no .${ext} file was saved in the workspace`);
    await page.waitForTimeout(200);
  }
}
