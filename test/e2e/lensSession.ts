// One code-server workbench with the packaged extension, driven through Chromium, and the steps tests and the
// screenshot script share: analyse a selection, find the painted heatmap, hover tokens, pick a head.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Frame, Page } from 'playwright-core';
import { tokenLabel } from '../../webview/common/tokenLabels';
import { launchChromium } from './browser';
import { QUIET_WORKBENCH_SETTINGS, RunningCodeServer, startCodeServer } from './codeServer';
import { analyzeWithCli, CliAnalysis } from './expectedTokens';
import { Workbench } from './workbench';
import { linesOf, readWorkspaceFile, writeWorkspace } from './workspace';

export const repoRoot = path.resolve(__dirname, '..', '..');
const workDir = path.join(repoRoot, 'test', 'e2e', '.work');
const workspaceDir = path.join(workDir, 'workspace');
const vsix = process.env.ATTENTION_LENS_VSIX ?? path.join(repoRoot, 'attention-lens-linux-x64.vsix');
const installDir =
  process.env.CODE_SERVER_DIR ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'attention-lens-e2e', 'code-server-4.100.3');
export const MAX_TOKENS = 512;
export const DARK_THEME = 'Default Dark Modern';
export const LIGHT_THEME = 'Default Light Modern';

/** The bundled model when this checkout has it, else the small fixture model (same folder for CLI and extension). */
export function modelFolder(): string | undefined {
  if (process.env.ATTENTION_LENS_E2E_MODEL) return path.resolve(process.env.ATTENTION_LENS_E2E_MODEL);
  if (fs.existsSync(path.join(repoRoot, 'media', 'model', 'onnx', 'model.onnx'))) return undefined;
  return path.join(repoRoot, 'test', 'fixtures', 'models', 'bert');
}

export function settings(theme: string): Record<string, unknown> {
  const model = modelFolder();
  return {
    'workbench.colorTheme': theme,
    ...QUIET_WORKBENCH_SETTINGS,
    'workbench.editor.enablePreview': false,
    'editor.minimap.enabled': false,
    'editor.renderWhitespace': 'none',
    // Shift+Down selects visual lines; without wrapping they are the file's lines (Markdown wraps by default).
    'editor.wordWrap': 'off',
    '[markdown]': { 'editor.wordWrap': 'off' },
    'attentionLens.maxTokens': MAX_TOKENS,
    ...(model ? { 'attentionLens.model': model } : {}),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export interface HeatmapState {
  n: number;
  layer: string;
  head: string;
  view: string;
  renderMs: number;
  renderCount: number;
  labels: string[];
}

export async function heatmapState(frame: Frame): Promise<HeatmapState> {
  const heatmap = frame.locator('[data-testid="heatmap"]');
  const attr = async (name: string) => (await heatmap.getAttribute(name)) ?? '';
  return {
    n: Number(await attr('data-n')),
    layer: await attr('data-layer'),
    head: await attr('data-head'),
    view: await attr('data-view'),
    renderMs: Number(await attr('data-render-ms')),
    renderCount: Number(await attr('data-render-count')),
    labels: await frame.locator('[data-testid="axis-labels"] li').allTextContents(),
  };
}

export class LensSession {
  server: RunningCodeServer | undefined;
  browser: Browser | undefined;
  page!: Page;
  workbench!: Workbench;
  readonly workDir = workDir;
  readonly workspaceDir = workspaceDir;
  /** How long Playwright's hover() itself took, per hover (to tell driver overhead from the extension's time). */
  readonly hoverCallMs: number[] = [];
  /** The browser console's last lines (workbench and webviews), for failure reports. */
  private readonly consoleLines: string[] = [];

  /** Starts code-server on a fresh workspace and opens the workbench; returns ms until it was ready. */
  async start(theme = DARK_THEME): Promise<number> {
    assert.ok(fs.existsSync(vsix), `${vsix} is missing: run npm run package first`);
    assert.ok(fs.existsSync(path.join(repoRoot, 'dist', 'cli.js')), 'dist/cli.js is missing: run npm run build first');
    fs.rmSync(workDir, { recursive: true, force: true });
    writeWorkspace(workspaceDir);
    const started = Date.now();
    this.server = await startCodeServer({ installDir, workDir, workspace: workspaceDir, vsix, settings: settings(theme) });
    this.browser = await launchChromium();
    this.workbench = await Workbench.open(this.browser, this.server.url, (page) =>
      page.on('console', (message) => {
        const where = message.location().url.includes('/webview/') ? 'webview' : 'workbench';
        this.consoleLines.push(`${new Date().toISOString().slice(11, 23)} ${where} ${message.type()}: ${message.text().replace(/%c|color: #\w+/g, '').trim().slice(0, 400)}`);
        if (this.consoleLines.length > 400) this.consoleLines.splice(0, 100);
      }),
    );
    this.page = this.workbench.page;
    return Date.now() - started;
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    await this.server?.stop();
  }

  fileText(name: string): string {
    return readWorkspaceFile(workspaceDir, name);
  }

  linesText(name: string, from: number, to: number): string {
    return linesOf(this.fileText(name), from, to);
  }

  /** Selects lines [from, to] of `file`, runs Show Attention from the palette, and waits for their heatmap. */
  async analyseLines(file: string, from: number, to: number): Promise<{ frame: Frame; expected: CliAnalysis; text: string }> {
    const text = this.linesText(file, from, to);
    await this.workbench.openFile(file);
    await this.workbench.selectLines(file, from, to, text.length);
    await this.workbench.runCommand('Attention Lens: Show Attention');
    return { ...(await this.heatmapFor(text)), text };
  }

  /** The panel webview whose heatmap shows exactly the labels the CLI computed for `text`, once painted. */
  async heatmapFor(text: string, timeoutMs = 90_000): Promise<{ frame: Frame; expected: CliAnalysis }> {
    const expected = await analyzeWithCli(repoRoot, text, { model: modelFolder(), maxTokens: MAX_TOKENS });
    const labels = expected.tokens.map((token) => tokenLabel(token.text));
    const deadline = Date.now() + timeoutMs;
    let seen: string[][] = [];
    while (Date.now() < deadline) {
      seen = [];
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame() || frame.isDetached()) continue;
        if ((await frame.locator('[data-testid="heatmap"][data-render-count]').count().catch(() => 0)) === 0) continue;
        const state = await heatmapState(frame).catch(() => undefined);
        if (!state) continue;
        seen.push(state.labels);
        if (state.n === labels.length && JSON.stringify(state.labels) === JSON.stringify(labels)) return { frame, expected };
      }
      await this.page.waitForTimeout(250);
    }
    const shown = seen.map((l) => `[${l.slice(0, 12).join(' ')}${l.length > 12 ? ' …' : ''}] (${l.length})`).join('; ');
    throw new Error(`no painted heatmap showed the ${labels.length} expected labels [${labels.slice(0, 12).join(' ')} …]; seen: ${shown || 'none'}`);
  }

  /** Hovers strip tokens one after another; returns ms from the pointer event to the painted editor tint, each. */
  async hoverRoundTrips(frame: Frame, file: string, indices: number[]): Promise<number[]> {
    const { page, workbench } = this;
    const times: number[] = [];
    for (const index of indices) {
      const token = frame.locator(`[data-testid="token-strip"] span.token[data-index="${index}"]`);
      // Start each hover from outside the webview, with the editor settled: a strip scrolling under a resting
      // pointer would hover another token and its tint would be timed instead.
      await page.mouse.move(2, 2);
      await token.scrollIntoViewIfNeeded();
      await this.settledTints(file);
      const before = await workbench.tintSnapshot(file);
      await workbench.armTintWatcher(file, before);
      await workbench.armHoverClock(frame);
      const start = Date.now();
      await token.hover();
      this.hoverCallMs.push(Date.now() - start);
      const paintedAt = await workbench.tintChangedAt(10_000);
      // From the pointer event inside the webview (not from the driver's call) to the painted editor frame.
      times.push(paintedAt - (await workbench.hoverArrivedAt(frame)));
      // Several decoration types repaint one after another: read the tints once they are all there.
      await this.settledTints(file);
      const after = await workbench.tintSnapshot(file);
      if (after.tinted === 0) {
        const shown = await workbench.visibleLineNumbers(file);
        assert.fail(`hovering token #${index} left no tinted text in ${file} (${before.tinted} tinted before; the editor shows lines ${shown})`);
      }
    }
    return times;
  }

  /** Waits until the editor's tints stop changing (two equal readings 150 ms apart). */
  async settledTints(file: string): Promise<void> {
    let previous = '';
    for (let attempt = 0; attempt < 40; attempt++) {
      const { signature } = await this.workbench.tintSnapshot(file);
      if (attempt > 0 && signature === previous) return;
      previous = signature;
      await this.page.waitForTimeout(150);
    }
    throw new Error(`the tints in ${file} never settled`);
  }

  /** Picks an entry of the head select (a vscode-single-select) and waits for the heatmap to repaint it. */
  async chooseHead(frame: Frame, value: string, label: string): Promise<HeatmapState> {
    const before = await heatmapState(frame);
    const select = frame.locator('[data-testid="head-select"]');
    await select.click();
    await select.getByRole('option', { name: label, exact: true }).click();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const state = await heatmapState(frame);
      if (state.head === value && state.renderCount > before.renderCount) return state;
      if (Date.now() > deadline) throw new Error(`head ${label} was not painted (data-head=${state.head}, renders ${state.renderCount})`);
      await this.page.waitForTimeout(20);
    }
  }

  /**
   * After a failed test: a screenshot, and (printed, so CI's output has them) the extension's log and the browser
   * console's last warnings and errors, both also written next to the screenshot.
   */
  async reportFailure(folder: string, name: string): Promise<void> {
    const shot = await this.screenshot(folder, name).catch(() => undefined);
    const extensionLog = latestExtensionLog(path.join(this.workDir, 'user-data', 'logs'));
    const logTail = extensionLog ? fs.readFileSync(extensionLog, 'utf8').trimEnd().split('\n').slice(-25) : ['(no Attention Lens log found)'];
    const consoleTail = this.consoleLines.filter((l) => / (warning|error): |service worker/i.test(l)).slice(-15);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${name}.log`), [...logTail, '--- browser console ---', ...this.consoleLines].join('\n'));
    const indent = (lines: string[]) => lines.map((l) => `        ${l}`).join('\n');
    console.log(`      failure report${shot ? ` (screenshot ${path.relative(repoRoot, shot)})` : ''}\n      Attention Lens log, last lines:\n${indent(logTail)}\n      browser console, last warnings and errors:\n${indent(consoleTail)}`);
  }

  async screenshot(folder: string, name: string): Promise<string> {
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, name);
    await this.page.screenshot({ path: file });
    return file;
  }
}

/** Tokens with source text, spread over the analysis (special tokens have no place in the editor). */
export function hoverTargets(analysis: CliAnalysis, count: number): number[] {
  const candidates = analysis.tokens.map((t, i) => (t.special || t.end <= t.start ? -1 : i)).filter((i) => i >= 0);
  const step = Math.max(1, Math.floor(candidates.length / (count + 1)));
  return Array.from({ length: Math.min(count, candidates.length) }, (_, k) => candidates[Math.min(candidates.length - 1, (k + 1) * step)]);
}

/** The Attention Lens log of the newest extension host (a reload starts another) under code-server's logs folder. */
function latestExtensionLog(logsDir: string): string | undefined {
  const found: { file: string; mtime: number }[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 4) walk(full, depth + 1);
      else if (entry.isFile() && entry.name === 'Attention Lens.log') found.push({ file: full, mtime: fs.statSync(full).mtimeMs });
    }
  };
  if (fs.existsSync(logsDir)) walk(logsDir, 0);
  return found.sort((a, b) => b.mtime - a.mtime)[0]?.file;
}
