// Drives the VS Code workbench the way a user does: keyboard, quick open, command palette, context menu. Selectors
// are VS Code 1.100's DOM; the webview is found by the test ids the Attention Lens webview renders.
import { Browser, Frame, Locator, Page } from 'playwright-core';

const MODIFIER = process.platform === 'darwin' ? 'Meta' : 'Control';

/** One editor decoration the user can see: a VS Code decoration element with a non-transparent background. */
export interface TintSnapshot {
  /** Elements with an extension decoration class (ced-…) and a visible background colour. */
  tinted: number;
  /** Stable description of what is tinted where, to tell one highlight from another. */
  signature: string;
}

export class Workbench {
  /**
   * Opens code-server at `url` in a new 1600×960 page of `browser` and waits for the workbench; `beforeLoad` sees the
   * page first (to listen to its console from the start).
   */
  static async open(browser: Browser, url: string, beforeLoad?: (page: Page) => void): Promise<Workbench> {
    const page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
    // tsx keeps function names with a __name helper; functions serialised into the page need it defined there.
    await page.addInitScript('globalThis.__name = (f) => f;');
    page.setDefaultTimeout(30_000);
    beforeLoad?.(page);
    await page.goto(url);
    const workbench = new Workbench(page);
    await workbench.waitReady();
    return workbench;
  }

  constructor(readonly page: Page) {}

  async waitReady(): Promise<void> {
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90_000 });
    await this.page.locator('.monaco-workbench .explorer-folders-view, .monaco-workbench .part.sidebar').first()
      .waitFor({ timeout: 60_000 });
  }

  /** Opens a workspace file by name through Quick Open, and waits until its editor has focus. */
  /**
   * Takes keyboard focus back from a webview (keys typed into a webview iframe do not all reach the workbench):
   * clicks the first editor group's active tab, which focuses that group and changes nothing else.
   */
  async focusWorkbench(): Promise<void> {
    const tab = this.page.locator('.editor-group-container').first().locator('.tab.active');
    if ((await tab.count()) === 0) return;
    await tab.first().click();
    await this.editorFocused();
  }

  /**
   * Waits (up to 5 s) until an editor has the keyboard focus: clicking a tab can leave it on the page's body for a
   * moment, and keys pressed then are lost (Ctrl+P included).
   */
  private async editorFocused(): Promise<void> {
    await this.page
      .waitForFunction(() => {
        const active = (globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } | null } }).document.activeElement;
        return !!active?.closest('.editor-group-container .monaco-editor');
      }, undefined, { timeout: 5_000 })
      .catch(() => undefined);
  }

  /** Shows `name` in the first editor group: clicks its tab when it is open there, else uses Quick Open. */
  async openFile(name: string): Promise<void> {
    const tab = this.page.locator('.editor-group-container').first().locator(`.tab[aria-label*="${name}"]`);
    if ((await tab.count()) > 0) {
      await tab.first().click();
      await this.editorFor(name).locator('.view-lines').waitFor({ timeout: 15_000 });
      await this.editorFocused();
      return;
    }
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
    await this.pickInQuickInput(
      name,
      async () => {
        await this.focusWorkbench();
        // Quick Open opens in the active group; keep files in the first group, the attention panel opens beside it.
        await this.page.keyboard.press(`${MODIFIER}+1`);
        await this.page.keyboard.press(`${MODIFIER}+P`);
      },
      () => row.waitFor({ timeout: 15_000 }),
    );
    await row.click();
    await this.editorFor(name).locator('.view-lines').waitFor({ timeout: 15_000 });
    await this.editorFocused();
  }

  /** The text editor showing `name` in whichever group has it as the active tab. */
  editorFor(name: string) {
    const group = this.page.locator('.editor-group-container').filter({
      has: this.page.locator(`.tab.active[aria-label*="${name}"]`),
    });
    return group.locator('.monaco-editor').first();
  }

  /** Clicks into the editor of `name` so the keyboard goes there. */
  async focusEditor(name: string): Promise<void> {
    await this.editorFor(name).locator('.view-lines').click({ position: { x: 40, y: 5 } });
  }

  async selectAll(name: string): Promise<void> {
    await this.focusEditor(name);
    await this.page.keyboard.press(`${MODIFIER}+A`);
  }

  /** Selects whole lines [from, to] (1-based, inclusive) with Go to Line and Shift+Down, like a keyboard user. */
  async selectLines(name: string, from: number, to: number, expectedChars: number): Promise<void> {
    // Go to Line is Quick Open with a ':' prefix; fill() replaces the whole input, so keep the prefix.
    const input = await this.pickInQuickInput(`:${from}`, async () => {
      await this.focusEditor(name);
      await this.page.keyboard.press(`${MODIFIER}+G`);
    });
    await this.page.keyboard.press('Enter');
    // Keys typed before the quick input has handed focus back to the editor would be lost.
    await input.waitFor({ state: 'hidden', timeout: 15_000 });
    await this.editorFor(name).locator('textarea.inputarea, .native-edit-context').first().waitFor({ state: 'attached' });
    await this.page.waitForFunction(() => {
      const active = (globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } | null } }).document.activeElement;
      return !!active?.closest('.monaco-editor');
    });
    await this.page.keyboard.press('Home');
    await this.page.keyboard.press('Home');
    for (let line = from; line <= to; line++) await this.page.keyboard.press('Shift+ArrowDown');
    await this.waitForSelectionLength(expectedChars);
  }

  /** Waits until the status bar reports `chars` selected characters (VS Code counts a line break as one). */
  async waitForSelectionLength(chars: number): Promise<void> {
    await this.page
      .locator('.statusbar-item', { hasText: new RegExp(`\\(${chars} selected\\)`) })
      .first()
      .waitFor({ timeout: 10_000 });
  }

  /** Runs a command through the command palette (F1), by its full "Category: Title" label. */
  async runCommand(label: string): Promise<void> {
    const row = this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
      .first();
    await this.pickInQuickInput(`>${label}`, () => this.page.keyboard.press('F1'), () => row.waitFor({ timeout: 15_000 }));
    await row.click();
  }

  /**
   * Opens the quick input with `open`, types `text` into it and waits for `shown` (the row to pick). A webview taking
   * focus back (a click or a typed key in a webview a moment before) can close the quick input as it opens or while
   * it lists; a user would open it again, and so does this, twice at most, saying so.
   */
  private async pickInQuickInput(text: string, open: () => Promise<void>, shown?: () => Promise<void>): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget input.input').first();
    for (let attempt = 1; ; attempt++) {
      await open();
      let step = 'never opened';
      try {
        await input.waitFor({ state: 'visible', timeout: 15_000 });
        step = 'closed before the text was typed';
        await input.fill(text, { timeout: 5_000 });
        step = 'never listed';
        await shown?.();
        return input;
      } catch (error) {
        if (attempt === 3) throw error;
        const stillOpen = await input.isVisible().catch(() => false);
        console.log(`      (the quick input ${stillOpen ? step : `closed (${step})`} for "${text}"; opening it again)`);
        // Escape only closes the quick input: sent to an editor it would drop the selection a command is about to use.
        if (stillOpen) await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Right-clicks the selection in the active editor and picks a context-menu item by its label. */
  async runFromEditorContextMenu(name: string, label: string): Promise<void> {
    // Right-click a few characters into the first line, inside the selection, so VS Code keeps the selection.
    const firstLine = this.editorFor(name).locator('.view-lines .view-line').first();
    const box = await firstLine.boundingBox();
    if (!box) throw new Error(`the first line of ${name} is not visible`);
    await this.page.mouse.click(box.x + 20, box.y + box.height / 2, { button: 'right' });
    const item = this.page.getByRole('menuitem', { name: label, exact: false }).first();
    await item.waitFor({ timeout: 10_000 });
    // A menu swallows a click that lands right after it opened; let it settle, and fall back to Enter on the
    // highlighted item if it is still open (choosing an item closes the menu).
    await item.hover();
    await this.page.waitForTimeout(300);
    await item.click();
    if (await item.isVisible().catch(() => false)) {
      await this.page.waitForTimeout(300);
      if (await item.isVisible().catch(() => false)) await this.page.keyboard.press('Enter');
    }
  }

  /** Clicks an activity-bar entry (e.g. a view container) by its accessible label. */
  async openViewContainer(label: string): Promise<void> {
    const item = this.page.locator(`.activitybar .action-item a[aria-label^="${label}"]`).first();
    await item.waitFor({ timeout: 15_000 });
    // Clicking the container already shown would hide the side bar.
    const shown = this.page.locator(`.activitybar .action-item.checked a[aria-label^="${label}"]`);
    if ((await shown.count()) > 0 && (await this.page.locator('.part.sidebar').isVisible())) return;
    await item.click();
  }

  /**
   * Developer: Reload Window, as a user would; returns once the workbench is back. The side bar shows the Explorer
   * first, so only the attention panel's webview comes back with the window: code-server 4.100.3 (VS Code 1.100) can
   * leave a webview blank for good when two webviews register their service workers at once after a reload (the
   * loser's resource requests are answered to the other worker; fixed upstream in microsoft/vscode#312020). Open
   * other webviews once the restored one has painted.
   */
  async reloadWindow(): Promise<void> {
    await this.runCommand('View: Show Explorer');
    const reloaded = this.page.waitForEvent('load', { timeout: 60_000 });
    await this.runCommand('Developer: Reload Window');
    await reloaded;
    await this.waitReady();
  }

  /** The webview frame (VS Code's iframe.webview → iframe#active-frame) that renders `selector`. */
  async webviewFrame(selector: string, timeoutMs = 60_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame() || frame.isDetached()) continue;
        const count = await frame.locator(selector).count().catch(() => 0);
        if (count > 0) return frame;
      }
      await this.page.waitForTimeout(200);
    }
    throw new Error(`no webview showed ${selector} within ${timeoutMs} ms`);
  }

  /** The first and last line numbers the editor of `name` shows now (for messages that say where it was). */
  async visibleLineNumbers(name: string): Promise<string> {
    const numbers = (await this.editorFor(name).locator('.line-numbers').allTextContents()).map(Number).filter((n) => n > 0);
    return numbers.length ? `${Math.min(...numbers)}–${Math.max(...numbers)}` : 'none';
  }

  /** What the editor of `name` currently shows as extension decorations with a background colour. */
  async tintSnapshot(name: string): Promise<TintSnapshot> {
    return this.editorFor(name).evaluate(readTints);
  }

  /**
   * Arms an observer in the page that records (as epoch ms, after the next animation frame, i.e. painted) the first
   * moment the editor of `name` shows tints that differ from `before`. Read it back with `tintChangedAt`.
   */
  async armTintWatcher(name: string, before: TintSnapshot): Promise<void> {
    await this.editorFor(name).evaluate(
      (editor: unknown, { signature, readTintsSource }: { signature: string; readTintsSource: string }) => {
        const page = globalThis as unknown as PageWindow;
        const read = new Function(`return (${readTintsSource})`)() as (e: unknown) => TintSnapshot;
        page.__tintChangedAt = undefined;
        page.__tintObserver?.disconnect();
        const observer = new page.MutationObserver(() => {
          if (page.__tintChangedAt !== undefined) return;
          // A clear (pointer left the previous token) is not the new highlight: wait for tints that differ.
          const now = read(editor);
          if (now.tinted === 0 || now.signature === signature) return;
          observer.disconnect();
          page.requestAnimationFrame(() => {
            page.__tintChangedAt = Date.now();
          });
        });
        page.__tintObserver = observer;
        observer.observe(editor, { subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'style'] });
      },
      { signature: before.signature, readTintsSource: readTints.toString() },
    );
  }

  /** Records (epoch ms) the first pointer arrival on a strip token in `frame`; read it with `hoverArrivedAt`. */
  async armHoverClock(frame: Frame): Promise<void> {
    await frame.evaluate(() => {
      const page = globalThis as unknown as PageWindow;
      page.__hoverAt = undefined;
      if (page.__hoverClockArmed) return;
      page.__hoverClockArmed = true;
      page.document.addEventListener(
        'pointerover',
        (event) => {
          if (page.__hoverAt === undefined && event.target?.closest?.('span.token')) page.__hoverAt = Date.now();
        },
        true,
      );
    });
  }

  async hoverArrivedAt(frame: Frame): Promise<number> {
    const at = await frame.evaluate(() => (globalThis as unknown as PageWindow).__hoverAt);
    if (at === undefined) throw new Error('the pointer never reached a token in the webview');
    return at;
  }

  async tintChangedAt(timeoutMs = 10_000): Promise<number> {
    const handle = await this.page.waitForFunction(
      () => (globalThis as unknown as PageWindow).__tintChangedAt,
      undefined,
      { timeout: timeoutMs, polling: 5 },
    );
    return (await handle.jsonValue()) as number;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The few browser APIs the in-page probes use (the host tsconfig has no DOM lib, on purpose). */
interface PageElement {
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
}
interface PageObserver {
  observe(target: unknown, options: object): void;
  disconnect(): void;
}
interface PageWindow {
  document: {
    addEventListener(type: string, listener: (event: { target: { closest?(selector: string): unknown } | null }) => void, capture: boolean): void;
  };
  __hoverAt?: number;
  __hoverClockArmed?: boolean;
  getComputedStyle(element: PageElement): { backgroundColor: string };
  requestAnimationFrame(callback: () => void): number;
  MutationObserver: new (callback: () => void) => PageObserver;
  __tintChangedAt?: number;
  __tintObserver?: PageObserver;
}

/** Runs in the page: decoration elements (class ced-…) under the editor whose computed background is visible. */
function readTints(editor: unknown): TintSnapshot {
  const page = globalThis as unknown as PageWindow;
  const parts: string[] = [];
  for (const element of Array.from((editor as PageElement).querySelectorAll('[class*="ced-"]'))) {
    const background = page.getComputedStyle(element).backgroundColor;
    if (!background || background === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(background)) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const classes = element.getAttribute('class') ?? '';
    parts.push(`${classes}|${background}|${Math.round(box.left)},${Math.round(box.top)},${Math.round(box.width)}`);
  }
  parts.sort();
  return { tinted: parts.length, signature: parts.join(';') };
}
