// The side panel (activity bar → Attention Lens): model in use, layer×head thumbnails, recent analyses. It follows
// the analysis controller and the model; a click on a thumbnail opens that head in the attention panel.
import * as vscode from 'vscode';
import type { FromWebviewMessage, HeadFinderMessage, SidePanelStateMessage, ThumbnailsMessage } from '../../shared/messages';
import type { AnalysisController } from '../analysis/analysisController';
import { thumbnailsOfOverview } from '../analysis/overviewThumbnails';
import type { HeadFinderService } from '../analysis/headFinderService';
import { thumbnailsOf } from '../analysis/thumbnails';
import { Disposable } from '../common/disposable';
import { log } from '../common/log';
import { readModelSettings } from '../common/settings';
import { modelDisplayName, type ActiveModel } from '../models/activeModel';
import { modelFacts, type AttentionPanel } from './attentionPanel';
import { webviewHtml, webviewRoots } from './html';
import { receiveWebviewMessage } from './inbox';

export const SIDE_PANEL_VIEW_ID = 'attentionLens.sidePanel';

export class SidePanelProvider extends Disposable implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private thumbnails: ThumbnailsMessage | undefined;
  private perView: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: AnalysisController,
    private readonly model: ActiveModel,
    private readonly panel: AttentionPanel,
    private readonly onCommonMessage: (message: FromWebviewMessage) => unknown,
    private readonly headFinder?: HeadFinderService,
  ) {
    super();
    if (headFinder) this._register(headFinder.onDidChange((message) => this.post(message)));
    this._register(model.onDidChangeState(() => this.post(this.state())));
    this._register(panel.onDidChangeView(() => this.post(this.state())));
    this._register(
      controller.onDidChangeSession((session) => {
        this.post(this.state());
        // Thumbnails cost L·H·N² adds (tens of ms at 512 tokens): after the panel's first frame.
        setImmediate(() => {
          if (this.controller.session !== session) return;
          const r = session.result;
          this.thumbnails = 'attention' in r ? thumbnailsOf(session.id, r) : thumbnailsOfOverview(session.id, r.overview, r.model.heads);
          this.post(this.thumbnails);
        });
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    vscode.Disposable.from(...this.perView).dispose();
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.extensionUri) };
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'sidePanel', 'Attention Lens');
    this.headFinder?.activate(this.controller.session);
    this.perView = [
      view.webview.onDidReceiveMessage((raw: unknown) => receiveWebviewMessage(raw, 'side panel', (message) => this.onMessage(message), log())),
      // No retainContextWhenHidden: the webview reloads when shown again, says `ready`, and gets the last state.
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        vscode.Disposable.from(...this.perView).dispose();
        this.perView = [];
      }),
    ];
  }

  /** What the side panel shows: the loaded model (else the current analysis's), the recent list. */
  private state(): SidePanelStateMessage {
    const engine = this.model.engineIfLoaded;
    const session = this.controller.session;
    const model = engine ? modelFacts(engine.info) : session ? modelFacts(session.result.model) : null;
    return {
      type: 'sidePanelState',
      model,
      // Before a model loads, its name as the status bar says it (read when sent, so it follows the setting).
      ...(model ? {} : { configuredModel: modelDisplayName(readModelSettings().model) }),
      recent: this.controller.recent.list(),
      currentAnalysisId: session?.id ?? null,
      shownHead: 'head' in this.panel.view ? { layer: this.panel.view.layer, head: this.panel.view.head } : null,
    };
  }

  private onMessage(message: FromWebviewMessage): unknown {
    switch (message.type) {
      case 'ready':
        this.post(this.state());
        if (this.thumbnails) this.post(this.thumbnails);
        if (this.headFinder?.current) this.post(this.headFinder.current);
        return;
      case 'openHead':
        return this.panel.showView({ layer: message.layer, head: message.head });
      default:
        return this.onCommonMessage(message);
    }
  }

  private post(message: SidePanelStateMessage | ThumbnailsMessage | HeadFinderMessage): void {
    this.view?.webview.postMessage(message).then(undefined, (e) => log().debug(`Posting ${message.type} to the side panel failed: ${String(e)}`));
  }

  override dispose(): void {
    vscode.Disposable.from(...this.perView).dispose();
    super.dispose();
  }
}
