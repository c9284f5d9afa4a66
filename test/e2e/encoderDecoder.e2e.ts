// An encoder–decoder model (the BART-style fixture) in a real workbench (code-server 4.100.3): Show Attention asks
// for the target text, the panel shows it in a second strip and offers the cross-attention; hovering a target token
// tints the source text in the editor, and the editor cursor on a source word tints the target tokens that looked at it.
// Then the window switches to the GPT-2-style fixture: Show Attention with Continuation… marks what it generated.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { RunningCodeServer, startCodeServer } from './codeServer';
import { DARK_THEME, settings } from './lensSession';
import { Workbench } from './workbench';
import { linesOf, NOTES_MD, readWorkspaceFile, writeWorkspace } from './workspace';

const repoRoot = path.resolve(__dirname, '..', '..');
const workDir = path.join(repoRoot, 'test', 'e2e', '.work', 'seq2seq');
const vsix = process.env.ATTENTION_LENS_VSIX ?? path.join(repoRoot, 'attention-lens-linux-x64.vsix');
const installDir =
  process.env.CODE_SERVER_DIR ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'attention-lens-e2e', 'code-server-4.100.3');
const bart = path.join(repoRoot, 'test', 'fixtures', 'models', 'bart');
const TARGET = 'Der schnelle braune Fuchs springt.';

/** Strip tokens with a visible background tint, in a webview frame. */
async function tintedIn(frame: Frame, testid: string): Promise<number> {
  return frame.locator(`[data-testid="${testid}"] span.token`).evaluateAll((spans: unknown[]) => {
    const page = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } };
    return spans.filter((s) => /rgba\([^)]*,\s*0?\.\d*[1-9]\d*\)/.test(page.getComputedStyle(s).backgroundColor)).length;
  });
}

describe('Translation and continuation analyses in the VS Code workbench (code-server 4.100.3)', function () {
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workbench: Workbench;

  before(async function () {
    this.timeout(240_000);
    assert.ok(fs.existsSync(vsix), `${vsix} is missing: run npm run package first`);
    fs.rmSync(workDir, { recursive: true, force: true });
    const workspace = path.join(workDir, 'workspace');
    writeWorkspace(workspace);
    server = await startCodeServer({ installDir, workDir, workspace, vsix, settings: { ...settings(DARK_THEME), 'attentionLens.model': bart } });
    browser = await launchChromium();
    workbench = await Workbench.open(browser, server.url);
    page = workbench.page;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const dir = path.join(repoRoot, 'test', 'e2e', 'screenshots');
      fs.mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: path.join(dir, `failed-seq2seq-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}.png`) }).catch(() => undefined);
      await page.keyboard.press('Escape').catch(() => undefined);
    }
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  /** Selects the first line of notes.md, runs Show Attention and answers the target question with `answer`. */
  async function analyseWithTarget(answer: string): Promise<Frame> {
    const text = linesOf(readWorkspaceFile(path.join(workDir, 'workspace'), NOTES_MD), 1, 1);
    await workbench.openFile(NOTES_MD);
    await workbench.selectLines(NOTES_MD, 1, 1, text.length);
    await workbench.runCommand('Attention Lens: Show Attention');
    const input = page.locator('.quick-input-widget input.input');
    await page.locator('.quick-input-widget', { hasText: 'Target text for bart' }).waitFor({ timeout: 60_000 });
    assert.strictEqual(await input.getAttribute('placeholder'), 'Generate (press Enter)');
    await input.fill(answer);
    await page.keyboard.press('Enter');
    const wanted = answer || null;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      for (const frame of page.frames()) {
        if (frame === page.mainFrame() || frame.isDetached()) continue;
        if ((await frame.locator('[data-testid="heatmap"][data-render-count]').count().catch(() => 0)) === 0) continue;
        const target = await frame.locator('[data-testid="target-strip"]').textContent().catch(() => null);
        if (target && (wanted === null || target.includes(wanted))) return frame;
      }
      await page.waitForTimeout(250);
    }
    throw new Error(`no panel showed the target ${wanted ?? '(generated)'}`);
  }

  it('hovering a target token in the cross-attention view tints the source text in the editor', async function () {
    const frame = await analyseWithTarget(TARGET);
    assert.match((await frame.locator('[data-testid="model-line"]').textContent()) ?? '', /· decoder 2 layers × 4 heads · \d+ target tokens$/);
    const select = frame.locator('[data-testid="part-select"]');
    await select.click();
    await select.getByRole('option', { name: 'Cross-attention (target → source)', exact: true }).click();
    await frame.locator('[data-testid="heatmap"][data-view^="cross:"]').waitFor();
    const signatures: string[] = [];
    const times: number[] = [];
    for (const index of [1, 3]) {
      await page.mouse.move(2, 2);
      await page.waitForTimeout(300);
      const before = await workbench.tintSnapshot(NOTES_MD);
      await workbench.armTintWatcher(NOTES_MD, before);
      await workbench.armHoverClock(frame);
      await frame.locator(`[data-testid="target-strip"] span.token[data-index="${index}"]`).hover();
      // From the pointer event on the target token to the painted source tint in the editor.
      times.push((await workbench.tintChangedAt(15_000)) - (await workbench.hoverArrivedAt(frame)));
      const after = await workbench.tintSnapshot(NOTES_MD);
      assert.ok(after.tinted > 0, `hovering target token #${index} left no tinted source text`);
      signatures.push(after.signature);
      assert.ok((await tintedIn(frame, 'token-strip')) > 0, 'the source strip shows the cross-attention too');
    }
    assert.notStrictEqual(signatures[0], signatures[1], 'two target tokens look at the source differently');
    console.log(`      target hover → source tint: ${times.join(', ')} ms`);
    assert.ok(Math.max(...times) < 2_000, `target hover → source tint took ${times} ms`);
  });

  it('the editor cursor on a source word tints the target tokens that looked at it', async function () {
    const frame = await analyseWithTarget(TARGET);
    await page.mouse.move(2, 2);
    // Click into "quick" on the analysed first line: the cursor is on a source token.
    const firstLine = workbench.editorFor(NOTES_MD).locator('.view-lines .view-line').first();
    const word = firstLine.getByText('quick', { exact: false });
    await word.click();
    const deadline = Date.now() + 15_000;
    while ((await tintedIn(frame, 'target-strip')) === 0) {
      if (Date.now() > deadline) assert.fail('the target strip shows no tokens that looked at the source word');
      await page.waitForTimeout(200);
    }
  });

  it('left empty, the target is generated by the model and shown as generated', async function () {
    const frame = await analyseWithTarget('');
    await frame.locator('.strip-heading', { hasText: 'Target (generated by the model)' }).waitFor();
    assert.ok((await frame.locator('[data-testid="target-strip"] span.token').count()) > 0);
    assert.match((await frame.locator('[data-testid="model-line"]').textContent()) ?? '', /target tokens \(generated\)$/);
  });

  it('Show Attention with Continuation… on a decoder-only model marks the generated tokens in the strip', async function () {
    // Switch the window to the GPT-2-style fixture, as a user changing attentionLens.model would.
    server!.writeUserSettings({ ...settings(DARK_THEME), 'attentionLens.model': path.join(repoRoot, 'test', 'fixtures', 'models', 'gpt2') });
    await page.locator('.statusbar-item', { hasText: 'gpt2' }).first().waitFor({ timeout: 60_000 });
    const text = linesOf(readWorkspaceFile(path.join(workDir, 'workspace'), NOTES_MD), 1, 1);
    await workbench.openFile(NOTES_MD);
    await workbench.selectLines(NOTES_MD, 1, 1, text.length);
    await workbench.runCommand('Attention Lens: Show Attention with Continuation…');
    const input = page.locator('.quick-input-widget input.input');
    await page.locator('.quick-input-widget', { hasText: 'How many tokens' }).waitFor();
    await input.fill('0');
    await page.locator('.quick-input-widget', { hasText: 'Type a whole number of tokens from 1 to 256.' }).waitFor();
    await input.fill('5');
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 90_000;
    let frame: Frame | undefined;
    while (!frame && Date.now() < deadline) {
      for (const f of page.frames()) {
        if (f !== page.mainFrame() && !f.isDetached() && (await f.locator('[data-testid="continuation-mark"]').count().catch(() => 0)) > 0) frame = f;
      }
      if (!frame) await page.waitForTimeout(250);
    }
    assert.ok(frame, 'no panel marked a generated continuation');
    assert.match((await frame.locator('[data-testid="model-line"]').textContent()) ?? '', /tokens \(5 generated\)$/);
    assert.strictEqual(await frame.locator('[data-testid="token-strip"] span.token.generated').count(), 5);
    assert.ok(((await frame.locator('[data-testid="token-strip"]').textContent()) ?? '').startsWith('The quick brown fox jumps over the lazy dog.'));
  });
});
