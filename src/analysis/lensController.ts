// Runs analyses and keeps the panel, side panel, editor tints and status bar showing the same one.
import { randomUUID } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ActiveModel } from '../models/activeModel';
import { Disposable } from '../common/disposable';
import { AnalysisSession, findNearest } from './analysisSession';
import { chooseTarget } from './analysisTarget';
import { EditorLink } from '../editor/editorLink';
import type { OffsetRange } from './trackedRange';
import { describeError, isAttentionLensError } from '../engine/errors';
import { log } from '../common/log';
import { describeView, type MatrixView } from '../../shared/matrixView';
import { type FromWebviewMessage, type InitMessage, type WebviewModelInfo } from '../../shared/messages';
import { RecentAnalyses } from './recentAnalyses';
import { readModelSettings, readViewSettings, type ViewSettings } from '../common/settings';
import { LensStatusBar } from '../common/statusBar';
import { ExportService } from '../export/exportService';
import { AttentionPanel, type PanelListener } from '../webviews/attentionPanel';
import { analysisIdOf, hashText, PanelRestoreStore, type PersistedAnalysis } from './restoreStore';
import { SidePanelProvider, SIDE_PANEL_VIEW_ID } from '../webviews/sidePanel';
import { thumbnailsOf } from './thumbnails';

const DEFAULT_VIEW: MatrixView = { layer: 0, aggregate: 'mean' };

export class LensController extends Disposable implements PanelListener {
  private panel: AttentionPanel | undefined;
  private session: AnalysisSession | undefined;
  /** A restored panel whose analysis could not be re-run automatically (waits for its Re-run button). */
  private restorePending: PersistedAnalysis | undefined;
  private running: AbortController | undefined;
  /** The model picker is writing settings: its change is handled once it returns. */
  private picking = false;
  /** The range of the last analysis that failed, so a model switch picked from the error message retries it. */
  private lastFailed: { uri: string; range: OffsetRange } | undefined;
  /** Export Heatmap was asked for while the panel was hidden: send the request once it is loaded again. */
  private exportAfterReady = false;
  private viewSettings: ViewSettings = readViewSettings();
  private readonly recent = new RecentAnalyses();
  private readonly restoreStore: PanelRestoreStore;
  private readonly status = this._register(new LensStatusBar());
  private readonly editorLink: EditorLink;
  private readonly sidePanel: SidePanelProvider;
  private readonly exporter: ExportService;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly model: ActiveModel,
  ) {
    super();
    this.restoreStore = new PanelRestoreStore((context.storageUri ?? context.globalStorageUri).fsPath);
    this.exporter = new ExportService(context.extensionUri, String(context.extension.packageJSON.version ?? '0.0.0'));
    this.editorLink = this._register(
      new EditorLink(() => this.viewSettings, {
        focusQuery: (query) => this.panel?.post({ type: 'focusQuery', query }),
        staleChanged: (session) => this.onStaleChanged(session),
      }),
    );
    this.sidePanel = this._register(new SidePanelProvider(context.extensionUri, (m) => this.onSidePanelMessage(m)));
    this._register(vscode.window.registerWebviewViewProvider(SIDE_PANEL_VIEW_ID, this.sidePanel));
    this._register(
      model.onDidChangeState((state) => {
        this.status.setModel(model.displayName);
        if (state.kind === 'loading') this.status.setState({ kind: 'loading', detail: state.detail });
        else if (state.kind === 'error') this.status.setState({ kind: 'error', message: state.message });
        else if (state.kind === 'ready') this.status.setState(this.session?.stale ? { kind: 'stale' } : { kind: 'ready' });
        else this.status.setState({ kind: 'idle' });
        this.publishOverview();
      }),
    );
    this.status.setModel(model.displayName);
    void this.setContext();
  }

  // ---- commands -------------------------------------------------------------------------------------------------

  /** Show Attention: the selection, else the current line, else the visible text. */
  async showAttention(editor = vscode.window.activeTextEditor): Promise<void> {
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a file and select some text, then run Show Attention.'));
      return;
    }
    const doc = editor.document;
    const sel = editor.selection;
    const line = doc.lineAt(sel.active.line);
    const visible = editor.visibleRanges[0] ?? line.range;
    const target = chooseTarget(
      { start: doc.offsetAt(sel.start), end: doc.offsetAt(sel.end) },
      { start: doc.offsetAt(line.range.start), end: doc.offsetAt(line.range.end), text: line.text },
      { start: doc.offsetAt(visible.start), end: doc.offsetAt(visible.end) },
      doc.getText(visible),
    );
    if (!target) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no text here to analyse. Select some text first.'));
      return;
    }
    if (target.reason !== 'selection') {
      void vscode.window.showInformationMessage(
        target.reason === 'line'
          ? vscode.l10n.t('Nothing selected: analysing line {0}.', sel.active.line + 1)
          : vscode.l10n.t('Nothing selected: analysing the visible text.'),
      );
    }
    await this.run(doc, target.range);
  }

  /** Re-run: the same range of the same document (moved and stretched by the edits since), with the current model. */
  async rerun(): Promise<void> {
    const pending = this.restorePending;
    if (!this.session && pending) return this.rerunRestored(pending);
    const target = this.lastFailed ?? (this.session && { uri: this.session.documentUri, range: this.session.range });
    if (!target) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No analysis to re-run yet. Select text and run Show Attention.'));
      return;
    }
    const doc = await this.openDocument(target.uri);
    if (!doc) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The analysed document is no longer available. Select text and run Show Attention again.'));
      return;
    }
    await this.run(doc, target.range);
  }

  clearHighlights(): void {
    this.editorLink.clear();
    this.panel?.post({ type: 'focusQuery', query: null });
  }

  async showSidePanel(): Promise<void> {
    await vscode.commands.executeCommand(`${SIDE_PANEL_VIEW_ID}.focus`);
  }

  async exportImage(): Promise<void> {
    if (!this.session || !this.panel) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open the attention panel first (Show Attention), then export its heatmap.'));
      return;
    }
    // The heatmap lives in the webview: it answers with an exportImage request carrying its PNG. A hidden panel
    // reloads when revealed and would drop the request, so it is sent after its `ready` instead.
    if (this.panel.visible) this.panel.post({ type: 'exportRequest', format: 'png' });
    else this.exportAfterReady = true;
    this.panel.reveal();
  }

  async exportData(): Promise<void> {
    const session = this.session;
    if (!session) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No analysis to export yet. Select text and run Show Attention.'));
      return;
    }
    const view = this.editorLink.currentView;
    const pick = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('CSV: the current matrix'), description: describeView(view), format: 'csv' as const },
        { label: vscode.l10n.t('JSON: the whole analysis'), description: vscode.l10n.t('tokens and every layer and head, as the CLI writes it'), format: 'json' as const },
      ],
      { title: vscode.l10n.t('Export Attention Data') },
    );
    if (!pick) return;
    await this.exportSafely(() => this.exporter.saveData({ session, grouped: session.grouped, view, granularity: 'tokens' }, pick.format, pick.format === 'json' ? 'all' : 'view'));
  }

  // ---- settings -------------------------------------------------------------------------------------------------

  /**
   * Runs the model picker. Its settings writes (model, then variant) are handled once, after the last one, and the
   * picked model is loaded right away even with no analysis open, so a download starts when people expect it.
   */
  async pickModel(pick: () => Promise<boolean>): Promise<void> {
    this.picking = true;
    let picked = false;
    try {
      picked = await pick();
    } finally {
      this.picking = false;
    }
    if (picked) this.onModelSettingsChanged(true);
  }

  /**
   * The model settings changed: drop the engine and re-run the open analysis (or the last failed one) with the new
   * model; `preload` loads it even when there is nothing to re-run. Ignored while the picker is writing settings.
   */
  onModelSettingsChanged(preload = false): void {
    if (this.picking || this.model.matchesSettings()) return;
    this.model.unload();
    this.status.setModel(this.model.displayName);
    this.publishOverview();
    // Also after a failed analysis: picking another model from the error message should just work.
    if (this.panel && (this.session || this.lastFailed)) void this.rerun();
    else if (preload) this.model.engine().catch((e) => this.reportError(e, vscode.l10n.t('Attention Lens could not load the model')));
  }

  onViewSettingsChanged(): void {
    this.viewSettings = readViewSettings();
    this.panel?.post({ type: 'settings', hideSpecial: this.viewSettings.hideSpecial, colorScale: this.viewSettings.colorScale });
    this.editorLink.repaint();
  }

  // ---- panel ----------------------------------------------------------------------------------------------------

  /** The serializer hands back a panel from before a window reload. */
  async restorePanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.panel?.dispose();
    this.panel = new AttentionPanel(webviewPanel, this.context.extensionUri, this);
    const id = analysisIdOf(state);
    const persisted = id ? this.restoreStore.get(id) : undefined;
    log().info(`Restoring the attention panel: ${persisted ? `analysis of ${persisted.label}` : 'no analysis to bring back'}.`);
    if (!persisted) {
      this.restorePending = undefined;
      return;
    }
    this.panel.setTitle(vscode.l10n.t('Attention: {0}', persisted.label));
    const stillOpen = vscode.window.tabGroups.all.some((g) =>
      g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === persisted.uri),
    );
    this.restorePending = persisted;
    if (stillOpen) await this.rerunRestored(persisted);
  }

  async onPanelMessage(message: FromWebviewMessage, panel: AttentionPanel): Promise<void> {
    const session = this.session;
    switch (message.type) {
      case 'ready':
        return this.replay(panel);
      case 'requestMatrix': {
        const { requestId, view } = message;
        if (!session || !session.views.fits(view)) {
          panel.post({ type: 'matrixResult', requestId, error: session ? vscode.l10n.t('{0} does not exist in this model.', describeView(view)) : vscode.l10n.t('No analysis is loaded.') });
          return;
        }
        try {
          const matrix = await session.views.matrixAsync(view);
          // slice(): a head is a view into the whole layer; send its own N×N buffer, never the tensor behind it.
          panel.post({ type: 'matrixResult', requestId, view, n: session.views.n, data: matrix.slice() });
        } catch (e) {
          panel.post({ type: 'matrixResult', requestId, error: describeError(e) });
        }
        return;
      }
      case 'hoverToken':
        return this.editorLink.hover(message.query, message.view);
      case 'pinToken':
        return this.editorLink.pin(message.query, message.view);
      case 'viewChanged':
        return this.editorLink.setView(message.view);
      case 'exportImage': {
        const { requestId, dataUrl } = message;
        if (!session) return;
        const view = this.editorLink.currentView;
        const result = await this.exportSafely(() => this.exporter.savePng({ session, grouped: session.grouped, view, granularity: 'tokens' }, dataUrl));
        panel.post(result.ok ? { type: 'exportResult', requestId, savedTo: result.value } : { type: 'exportResult', requestId, error: result.error });
        return;
      }
      case 'exportData': {
        const { requestId, format, view } = message;
        if (!session || !session.views.fits(view)) {
          panel.post({ type: 'exportResult', requestId, error: vscode.l10n.t('No analysis is loaded.') });
          return;
        }
        const result = await this.exportSafely(() => this.exporter.saveData({ session, grouped: session.grouped, view, granularity: 'tokens' }, format, format === 'json' ? 'all' : 'view'));
        panel.post(result.ok ? { type: 'exportResult', requestId, savedTo: result.value } : { type: 'exportResult', requestId, error: result.error });
        return;
      }
      default:
        return this.onCommonMessage(message);
    }
  }

  onPanelClosed(panel: AttentionPanel): void {
    if (this.panel !== panel) return;
    this.panel = undefined;
    this.running?.abort();
    this.editorLink.clear();
  }

  // ---- internals ------------------------------------------------------------------------------------------------

  private async onSidePanelMessage(message: FromWebviewMessage): Promise<void> {
    if (message.type === 'openHead') {
      const view: MatrixView = { layer: message.layer, head: message.head };
      if (!this.session || !this.session.views.fits(view)) return;
      const panel = this.ensurePanel();
      panel.reveal();
      panel.post({ type: 'showView', view });
      this.editorLink.setView(view);
      return;
    }
    return this.onCommonMessage(message);
  }

  /** Messages both webviews may send. */
  private async onCommonMessage(message: FromWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'rerun':
        return this.rerun();
      case 'selectModel':
        await vscode.commands.executeCommand('attentionLens.selectModel');
        return;
      case 'openAnalysis':
        return this.openRecent(message.analysisId);
      case 'log':
        log()[message.level](`webview: ${message.message}`);
        return;
      default:
        log().debug(`Ignored "${message.type}" from a webview that does not use it.`);
    }
  }

  private async openRecent(id: string): Promise<void> {
    const entry = this.recent.get(id);
    if (!entry) return;
    const doc = await this.openDocument(entry.documentUri);
    const kept = entry.session;
    // Edits since it was shown went untracked: find its text again before painting anything on it.
    const at = kept && doc ? findNearest(doc.getText(), kept.result.text, kept.range.start) : undefined;
    if (kept && doc && at !== undefined) {
      kept.relocate(at);
      this.setSession(kept, doc);
      this.ensurePanel().reveal();
      return;
    }
    if (!doc) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} is no longer available.', entry.info.label));
      return;
    }
    await this.run(doc, entry.session?.range ?? entry.range);
  }

  private async rerunRestored(persisted: PersistedAnalysis): Promise<void> {
    const doc = await this.openDocument(persisted.uri);
    const range = { start: persisted.start, end: persisted.end };
    if (!doc || range.end > doc.getText().length || hashText(this.textOf(doc, range)) !== persisted.textHash) {
      this.restorePending = undefined;
      this.panel?.post({ type: 'state', state: 'error', message: vscode.l10n.t('The text analysed before the reload has changed. Select it and run Show Attention again.') });
      return;
    }
    await this.run(doc, range, persisted.id);
  }

  private async run(document: vscode.TextDocument, range: OffsetRange, reuseId?: string): Promise<void> {
    this.running?.abort();
    const abort = new AbortController();
    this.running = abort;
    const text = this.textOf(document, range);
    const panel = this.ensurePanel();
    panel.reveal();
    try {
      const loaded = this.model.engineIfLoaded;
      panel.post({ type: 'state', state: loaded ? 'running' : 'loading' });
      const engine = await this.model.engine();
      if (abort.signal.aborted) return;
      panel.post({ type: 'state', state: 'running' });
      this.status.setState({ kind: 'running' });
      const { maxTokens } = readModelSettings();
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Attention Lens: running {0}…', engine.info.name), cancellable: true },
        (_progress, cancel) => {
          const sub = cancel.onCancellationRequested(() => abort.abort());
          return engine.analyze(text, { signal: abort.signal, maxTokens }).finally(() => sub.dispose());
        },
      );
      if (abort.signal.aborted) return;
      const t = result.timings;
      log().info(`Analysed ${result.tokens.length} tokens of ${path.basename(document.uri.path)} with ${engine.info.name}: tokenize ${t.tokenizeMs.toFixed(1)} ms, run ${t.runMs.toFixed(1)} ms, total ${t.totalMs.toFixed(1)} ms${result.truncated ? ' (truncated)' : ''}`);
      const session = new AnalysisSession(reuseId ?? randomUUID(), document.uri.toString(), range, result, labelFor(document, text));
      this.restorePending = undefined;
      this.lastFailed = undefined;
      this.setSession(session, document);
      if (result.truncated) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('The text is longer than {0} tokens: only the first part was analysed (see attentionLens.maxTokens).', result.tokens.length),
        );
      }
    } catch (e) {
      // Superseded by a newer run (another Show Attention, a model switch): that run owns the panel now.
      if (this.running !== abort) return;
      if (abort.signal.aborted || (isAttentionLensError(e) && e.code === 'CANCELLED')) {
        log().info('Analysis cancelled.');
        this.panel?.post({ type: 'state', state: 'error', message: vscode.l10n.t('Cancelled. Run Show Attention again when ready.') });
        this.status.setState(this.model.engineIfLoaded ? { kind: 'ready' } : { kind: 'idle' });
        return;
      }
      this.lastFailed = { uri: document.uri.toString(), range };
      this.panel?.post({ type: 'state', state: 'error', message: describeError(e) });
      void this.reportError(e, vscode.l10n.t('Attention Lens could not analyse the text'));
    } finally {
      if (this.running === abort) this.running = undefined;
    }
  }

  private setSession(session: AnalysisSession, document: vscode.TextDocument): void {
    const previousView = this.editorLink.currentView;
    this.session = session;
    this.recent.add(session);
    const view = session.views.fits(previousView) ? previousView : DEFAULT_VIEW;
    this.editorLink.bind(session, document, view);
    this.status.setModel(session.result.model.name);
    this.status.setState(session.stale ? { kind: 'stale' } : { kind: 'ready' });
    const panel = this.ensurePanel();
    panel.setTitle(vscode.l10n.t('Attention: {0}', session.label));
    panel.post(this.initMessage(session));
    this.publishOverview();
    // Thumbnails cost L·H·N² adds (tens of ms at 512 tokens): after the panel's first frame.
    setImmediate(() => this.session === session && this.sidePanel.setThumbnails(thumbnailsOf(session.id, session.result)));
    void this.setContext();
    try {
      this.restoreStore.remember({
        id: session.id,
        uri: session.documentUri,
        start: session.range.start,
        end: session.range.end,
        textHash: hashText(session.result.text),
        label: session.label,
      });
    } catch (e) {
      log().warn(`Could not remember the analysis for a window reload: ${describeError(e)}`);
    }
  }

  private initMessage(session: AnalysisSession): InitMessage {
    const { result } = session;
    return {
      type: 'init',
      analysisId: session.id,
      model: webviewModel(result.model),
      text: result.text.slice(0, result.coveredRange.end),
      tokens: result.tokens.map(({ text, start, end, special }) => ({ text, start, end, special })),
      n: result.tokens.length,
      hideSpecial: this.viewSettings.hideSpecial,
      colorScale: this.viewSettings.colorScale,
      stale: session.stale,
      view: this.editorLink.currentView,
      truncated: result.truncated,
    };
  }

  /** A (re)loaded panel webview said `ready`: give it everything it shows. */
  private replay(panel: AttentionPanel): void {
    if (this.session) {
      panel.post(this.initMessage(this.session));
      if (this.exportAfterReady) panel.post({ type: 'exportRequest', format: 'png' });
      this.exportAfterReady = false;
      return;
    }
    if (this.restorePending) {
      panel.post({ type: 'state', state: 'error', message: vscode.l10n.t('This analysis ended with the last window. Re-run it to see it again.') });
      panel.post({ type: 'stale', stale: true });
      return;
    }
    if (!this.running) panel.post({ type: 'state', state: 'error', message: vscode.l10n.t('No analysis yet: select text in an editor and run Show Attention.') });
  }

  private ensurePanel(): AttentionPanel {
    this.panel ??= AttentionPanel.create(this.context.extensionUri, this);
    return this.panel;
  }

  private onStaleChanged(session: AnalysisSession): void {
    if (session !== this.session) return;
    this.panel?.post({ type: 'stale', stale: session.stale });
    this.status.setState(session.stale ? { kind: 'stale' } : { kind: 'ready' });
    void this.setContext();
  }

  private publishOverview(): void {
    const engine = this.model.engineIfLoaded;
    this.sidePanel.setOverview({
      type: 'overview',
      model: engine ? webviewModel(engine.info) : this.session ? webviewModel(this.session.result.model) : null,
      recent: this.recent.list(),
      currentAnalysisId: this.session?.id ?? null,
    });
  }

  private async setContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'attentionLens.hasAnalysis', !!this.session);
    await vscode.commands.executeCommand('setContext', 'attentionLens.stale', !!this.session?.stale);
  }

  private textOf(doc: vscode.TextDocument, r: OffsetRange): string {
    return doc.getText(new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)));
  }

  private async openDocument(uri: string): Promise<vscode.TextDocument | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (open) return open;
    try {
      return await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    } catch {
      return undefined;
    }
  }

  private async exportSafely<T>(save: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
    try {
      return { ok: true, value: await save() };
    } catch (e) {
      void this.reportError(e, vscode.l10n.t('Export failed'));
      return { ok: false, error: describeError(e) };
    }
  }

  /** Shows one line with actions; the details (code, file, stack) go to the log. */
  async reportError(e: unknown, what: string): Promise<void> {
    const message = describeError(e);
    const details = isAttentionLensError(e) ? ` [${e.code}${e.file ? ` ${e.file}` : ''}]` : e instanceof Error && e.stack ? `\n${e.stack}` : '';
    log().error(`${what}: ${message}${details}`);
    this.status.setState({ kind: 'error', message });
    const selectModel = vscode.l10n.t('Select Model…');
    const openLog = vscode.l10n.t('Open Log');
    const choice = await vscode.window.showErrorMessage(`${what}: ${message}`, selectModel, openLog);
    if (choice === selectModel) await vscode.commands.executeCommand('attentionLens.selectModel');
    else if (choice === openLog) log().show(true);
  }
}

function webviewModel(info: { name: string; layers: number; heads: number; causal: boolean }): WebviewModelInfo {
  return { name: info.name, layers: info.layers, heads: info.heads, causal: info.causal };
}

/** "main.ts: the quick brown…" for the panel title and the recent list. */
function labelFor(doc: vscode.TextDocument, text: string): string {
  const words = text.replace(/\s+/g, ' ').trim();
  const start = words.length > 32 ? `${words.slice(0, 32)}…` : words;
  return `${path.basename(doc.uri.path) || doc.uri.toString()}: ${start}`;
}
