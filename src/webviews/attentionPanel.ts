// The attention panel's host side: the single owner of the view shown (layer/head/aggregate), answers the
// webview's requests, replays the analysis when the webview (re)loads, and follows the analysis controller.
// Pure of `vscode`: the webview panel itself comes in through `OpenPanelWebview` (see panelWebview.ts).
import { describeView, type MatrixView } from '../../shared/matrixView';
import { Messenger } from '../../shared/messenger';
import { LongAttentionViews } from '../analysis/longAttentionViews';
import type { FromWebviewMessage, HostRequest, HostRequests, InitMessage, ModelFacts, PanelRequests, Reading, ToWebviewMessage } from '../../shared/messages';
import { mergeMatrix, type Granularity } from '../../shared/granularity';
import type { ExportSubject } from '../export/exportService';
import { panelResultIsValid } from '../../shared/parseMessage';
import type { AnalysisController } from '../analysis/analysisController';
import type { AnalysisSession } from '../analysis/analysisSession';
import type { Workbench } from '../analysis/workbench';
import { Disposable } from '../common/disposable';
import { Emitter } from '../common/emitter';
import type { DisplaySettings } from '../common/settings';
import { describeError } from '../engine/errors';
import type { LensViews } from '../analysis/lensViews';
import { receiveWebviewMessage } from './inbox';
import { targetFacts } from './targetFacts';

export const PANEL_VIEW_TYPE = 'attentionLens.panel';
export const DEFAULT_VIEW: MatrixView = { layer: 0, aggregate: 'mean' };

/** One open webview panel, as the host uses it. */
export interface PanelWebview {
  post(message: ToWebviewMessage): void;
  reveal(): void;
  setTitle(title: string): void;
  dispose(): void;
}

/** What an open webview panel reports back. */
export interface PanelWebviewEvents {
  message(raw: unknown): void;
  /** Hidden (its page is unloaded; it says `ready` again when shown) or shown. */
  visibility(visible: boolean): void;
  disposed(): void;
}

/** Opens (or adopts) a webview panel wired to `events`. */
export type OpenPanelWebview = (events: PanelWebviewEvents) => PanelWebview;

/** Saves exports through the user's save dialog (src/export/exportService.ts). */
export interface Exporter {
  savePng(subject: ExportSubject, dataUrl: string): Promise<string | null>;
  saveSvg(subject: ExportSubject, figure: unknown): Promise<string | null>;
  saveData(subject: ExportSubject, format: 'csv' | 'json', scope: 'view' | 'all'): Promise<string | null>;
  saveReport(subject: ExportSubject): Promise<string | null>;
}

/** Editor tints for hovered and pinned rows/columns and dragged spans (src/editor/editorLink.ts). */
export interface EditorTints {
  hover(query: number | null, view: MatrixView, reading?: Reading): void;
  pin(query: number | null, view: MatrixView, reading?: Reading): void;
  span(span: number[] | null, view: MatrixView, reading: Reading): void;
}

export interface AttentionPanelDeps {
  controller: AnalysisController;
  workbench: Workbench;
  exporter: Exporter;
  tints: EditorTints;
  displaySettings(): DisplaySettings;
  /** Messages both webviews may send (rerun, selectModel, openAnalysis, log). */
  onCommonMessage(message: FromWebviewMessage): unknown;
  /** The exported figure's first title lines for an analysis: file and range, model and revision. */
  figureTitle?(session: AnalysisSession): string[];
  /** Value-norm matrices and comparisons (the lens tools); absent: the panel offers neither. */
  lens?: Pick<LensViews, 'features' | 'valueNormMatrix' | 'compare'>;
}

export class AttentionPanel extends Disposable {
  private webview: PanelWebview | undefined;
  private messenger: Messenger<PanelRequests, HostRequests> | undefined;
  private _view: MatrixView = DEFAULT_VIEW;
  /** The granularity the panel last asked for (exports from the command palette use it). */
  private _granularity: Granularity = 'tokens';
  private readonly _onDidChangeView = this._register(new Emitter<MatrixView>());
  /** The panel shows another layer/head/aggregate. */
  readonly onDidChangeView = this._onDidChangeView.event;
  private readonly _onDidClose = this._register(new Emitter<void>());
  /** The user closed the panel. */
  readonly onDidClose = this._onDidClose.event;

  constructor(
    private readonly openWebview: OpenPanelWebview,
    private readonly deps: AttentionPanelDeps,
  ) {
    super();
    const { controller } = deps;
    this._register(controller.onDidChangeSession((session) => this.onSession(session)));
    this._register(controller.onDidChangeState((state) => {
      if (state.kind === 'running') this.open().reveal();
      else if (state.kind === 'restorePending') this.webview?.setTitle(deps.workbench.t('Attention: {0}', state.label));
      this.webview?.post({ type: 'status', status: controller.status });
    }));
  }

  /** The view shown (what exports, editor tints and the hover card use). */
  get view(): MatrixView {
    return this._view;
  }

  get granularity(): Granularity {
    return this._granularity;
  }

  /** What an export of the current analysis covers: the view and granularity on screen. */
  exportSubject(): ExportSubject | undefined {
    const session = this.deps.controller.session;
    return session ? { session, grouped: session.grouped, view: this._view, granularity: granularityFor(this._view, this._granularity) } : undefined;
  }

  get isOpen(): boolean {
    return this.webview !== undefined;
  }

  /**
   * Takes over a webview panel that VS Code brings back after a window reload, with the view its webview saved
   * (what the panel showed before the reload; the host's own view did not survive it).
   */
  adopt(open: OpenPanelWebview, savedView: MatrixView | undefined): void {
    this.close();
    if (savedView) this.setView(savedView);
    this.attach(open);
  }

  /** Opens the panel if needed and brings it to the front without taking focus. */
  reveal(): void {
    this.open().reveal();
  }

  /** Shows this layer/head (a side-panel thumbnail was clicked). */
  showView(view: MatrixView): void {
    const session = this.deps.controller.session;
    if (!session || !session.views.fits(view)) return;
    this.setView(view);
    const webview = this.open();
    webview.reveal();
    webview.post({ type: 'showView', view });
  }

  /** The editor cursor or mouse is on this token (null: on none). */
  focusQuery(query: number | null): void {
    this.webview?.post({ type: 'focusQuery', query });
  }

  settingsChanged(): void {
    const { hideSpecialTokens, colorScale } = this.deps.displaySettings();
    this.webview?.post({ type: 'settings', hideSpecialTokens, colorScale });
  }

  /** Export Heatmap: asks the webview for its PNG (waiting for it to load if hidden) and saves it. */
  async exportImage(): Promise<string | null> {
    const session = this.deps.controller.session;
    if (!session || !this.messenger) {
      this.deps.workbench.info(this.deps.workbench.t('Open the attention panel first (Show Attention), then export its heatmap.'));
      return null;
    }
    const messenger = this.messenger;
    this.reveal();
    const { dataUrl } = await messenger.request({ type: 'renderPng' }, this.deps.workbench.t('Export Heatmap'));
    return this.deps.exporter.savePng(this.exportSubject()!, dataUrl);
  }

  private open(): PanelWebview {
    return this.webview ?? this.attach(this.openWebview);
  }

  private attach(open: OpenPanelWebview): PanelWebview {
    const messenger = new Messenger<PanelRequests, HostRequests>({
      post: (envelope) => webview.post(envelope as ToWebviewMessage),
      answer: (request) => this.answer(request as HostRequest),
      resultIsValid: panelResultIsValid,
      describeError,
      ready: false,
      peer: 'the attention panel',
    });
    const webview: PanelWebview = open({
      message: (raw) => {
        if (this.webview === webview) void receiveWebviewMessage(raw, 'attention panel', (m) => this.onMessage(m), this.deps.workbench.log);
      },
      visibility: (visible) => {
        if (!visible && this.webview === webview) messenger.setReady(false);
      },
      disposed: () => {
        if (this.webview !== webview) return;
        this.detach();
        this.deps.controller.cancel();
        this._onDidClose.fire();
      },
    });
    this.webview = webview;
    this.messenger = messenger;
    const session = this.deps.controller.session;
    if (session) webview.setTitle(this.deps.workbench.t('Attention: {0}', session.label));
    return webview;
  }

  private detach(): void {
    this.messenger?.cancelAll('the panel was closed');
    this.webview = undefined;
    this.messenger = undefined;
  }

  private close(): void {
    const webview = this.webview;
    this.detach();
    webview?.dispose();
  }

  private setView(view: MatrixView): void {
    this._view = view;
    this._onDidChangeView.fire(view);
  }

  private onSession(session: AnalysisSession): void {
    if (!session.views.fits(this._view)) this.setView(DEFAULT_VIEW);
    const webview = this.open();
    webview.reveal();
    webview.setTitle(this.deps.workbench.t('Attention: {0}', session.label));
    webview.post(this.initMessage(session));
    if (this.deps.lens) webview.post(this.deps.lens.features(session));
  }

  private async onMessage(message: FromWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.replay();
      case 'request':
      case 'reply':
        return this.messenger?.receive(message);
      case 'hoverQuery':
        return this.deps.tints.hover(message.query, message.view, message.reading);
      case 'pinQuery':
        return this.deps.tints.pin(message.query, message.view, message.reading);
      case 'querySpan':
        return this.deps.tints.span(message.span, message.view, message.reading);
      case 'viewChanged':
        return this.setView(message.view);
      default:
        await this.deps.onCommonMessage(message);
    }
  }

  /** The webview's requests; a throw becomes its error reply. */
  private async answer(request: HostRequest): Promise<unknown> {
    const { controller, workbench, exporter } = this.deps;
    const session = controller.session;
    const t = (m: string, ...args: string[]) => workbench.t(m, ...args);
    if (!session) throw new Error(t('No analysis is loaded.'));
    if (request.type === 'compareHeads' || request.type === 'compareEdit' || request.type === 'compareModel') {
      if (!this.deps.lens) throw new Error(t('Comparisons are not available here.'));
      return this.deps.lens.compare(session, request);
    }
    if (request.type === 'requestGroups') {
      this._granularity = request.granularity;
      const groups = session.grouped.groups(request.granularity).map(({ text, start, end, special }) => ({ text, start, end, special }));
      return { granularity: request.granularity, groups };
    }
    if (!session.views.fits(request.view)) throw new Error(t('{0} does not exist in this model.', describeView(request.view)));
    if (request.type === 'requestOverview' || request.type === 'requestTile') {
      // Only a long analysis is drawn from an overview and tiles; a whole-matrix one sends its matrix.
      const views = session.views;
      if (!(views instanceof LongAttentionViews)) throw new Error(t('This analysis sends whole matrices; ask for the matrix instead.'));
      return request.type === 'requestOverview' ? views.overview(request.view) : views.tile(request.view, request.queries, request.keys);
    }
    const subject: ExportSubject = { session, grouped: session.grouped, view: request.view, granularity: granularityFor(request.view, request.granularity) };
    if (request.type === 'exportImage') {
      return { savedTo: await this.exportSafely(() => (request.format === 'png' ? exporter.savePng(subject, request.dataUrl) : exporter.saveSvg(subject, request.figure))) };
    }
    if (request.type === 'exportData') {
      const { format, scope } = request;
      return { savedTo: await this.exportSafely(() => (format === 'html' ? exporter.saveReport(subject) : exporter.saveData(subject, format, scope))) };
    }
    this._granularity = request.granularity;
    if (request.view.part) {
      // Decoder and cross-attention rows are target tokens, which have no editor lines or words to group by: these
      // parts stay at tokens (the reply says so and the panel labels them as tokens).
      if (request.weighting === 'value-norm') throw new Error(t('Value-norm attention is computed for the encoder only; switch the weighting back to attention weights.'));
      const matrix = await session.views.matrixAsync(request.view);
      const { queries, keys } = session.views.shape(request.view);
      // slice(): a head is a view into the whole layer; send its own buffer, never the tensor behind it.
      return { view: request.view, granularity: 'tokens', n: keys, data: matrix.slice(), ...(queries !== keys ? { queries } : {}) };
    }
    const n = request.granularity === 'tokens' ? session.views.n : session.grouped.groups(request.granularity).length;
    if (request.weighting === 'value-norm') {
      if (!this.deps.lens) throw new Error(t('Value-norm attention is not available here.'));
      const valueNorm = await this.deps.lens.valueNormMatrix(session, request.view);
      // Value-norm weights merge by the same rule (sum to a group, mean from a group).
      const merged = request.granularity === 'tokens' ? valueNorm : mergeMatrix(valueNorm, session.views.n, session.grouped.groups(request.granularity));
      return { view: request.view, granularity: request.granularity, n, data: merged };
    }
    const matrix = await session.grouped.matrix(request.view, request.granularity);
    // slice(): a head is a view into the whole layer; send its own buffer, never the tensor behind it.
    return { view: request.view, granularity: request.granularity, n, data: matrix.slice() };
  }

  /** Export failures also reach the user as an error message with actions (the panel shows the reason too). */
  private async exportSafely(save: () => Promise<string | null>): Promise<string | null> {
    try {
      return await save();
    } catch (e) {
      this.deps.workbench.reportError(e, this.deps.workbench.t('Export failed'));
      throw e;
    }
  }

  /** A (re)loaded webview said `ready`: give it everything it shows. */
  private replay(): void {
    const webview = this.webview;
    if (!webview) return;
    const { controller, workbench } = this.deps;
    const session = controller.session;
    const state = controller.state;
    if (session) webview.post(this.initMessage(session));
    if (session && this.deps.lens) webview.post(this.deps.lens.features(session));
    if (session || state.kind !== 'idle') webview.post({ type: 'status', status: controller.status });
    else webview.post({ type: 'status', status: { kind: 'error', message: workbench.t('No analysis yet: select text in an editor and run Show Attention.') } });
    this.messenger?.setReady(true);
  }

  private initMessage(session: AnalysisSession): InitMessage {
    const { result } = session;
    const { hideSpecialTokens, colorScale } = this.deps.displaySettings();
    return {
      type: 'init',
      analysisId: session.id,
      model: modelFacts(result.model),
      text: result.text.slice(0, result.coveredRange.end),
      tokens: result.tokens.map(({ text, start, end, special }) => ({ text, start, end, special })),
      n: result.tokens.length,
      hideSpecialTokens,
      colorScale,
      stale: session.stale,
      view: this._view,
      truncated: result.truncated,
      figureTitle: this.deps.figureTitle?.(session) ?? [session.label, result.model.name],
      selectedLength: result.text.length,
      ...('attention' in result ? targetFacts(result) : {}),
      ...('memoryLimitNote' in result && result.memoryLimitNote ? { memoryLimitNote: result.memoryLimitNote } : {}),
      ...('unknownTokensNote' in result && result.unknownTokensNote ? { unknownTokensNote: result.unknownTokensNote } : {}),
    };
  }

  override dispose(): void {
    this.close();
    super.dispose();
  }
}

/** The model facts the webviews show (never the model's folder or files). */
export function modelFacts({ name, layers, heads, causal, decoder }: ModelFacts): ModelFacts {
  return { name, layers, heads, causal, ...(decoder ? { decoder: { layers: decoder.layers, heads: decoder.heads, crossHeads: decoder.crossHeads } } : {}) };
}

/** Granularity groups the source text only: decoder and cross-attention views stay at tokens. */
export function granularityFor(view: MatrixView, granularity: Granularity): Granularity {
  return view.part ? 'tokens' : granularity;
}
