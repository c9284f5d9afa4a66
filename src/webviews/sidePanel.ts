// The side-panel overview (activity bar → Attention Lens): model in use, layer×head thumbnails, recent analyses.
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { log } from '../common/log';
import { readModelSettings } from '../common/settings';
import { modelDisplayName } from '../models/activeModel';
import type { FromWebviewMessage, OverviewMessage, ThumbnailsMessage } from '../../shared/messages';
import { webviewHtml, webviewRoots } from './html';
import { receiveWebviewMessage } from './inbox';

export const SIDE_PANEL_VIEW_ID = 'attentionLens.sidePanel';

export class SidePanelProvider extends Disposable implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private overview: OverviewMessage = { type: 'overview', model: null, recent: [], currentAnalysisId: null };
  private thumbnails: ThumbnailsMessage | undefined;
  private perView: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onMessage: (message: FromWebviewMessage) => void | Promise<void>,
  ) {
    super();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    vscode.Disposable.from(...this.perView).dispose();
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.extensionUri) };
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'sidePanel', 'Attention Lens');
    this.perView = [
      view.webview.onDidReceiveMessage((raw: unknown) =>
        receiveWebviewMessage(raw, 'side panel', (message) => (message.type === 'ready' ? this.replay() : this.onMessage(message)), log()),
      ),
      // No retainContextWhenHidden: the webview reloads when shown again, says `ready`, and gets the last state.
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        vscode.Disposable.from(...this.perView).dispose();
        this.perView = [];
      }),
    ];
  }

  setOverview(overview: OverviewMessage): void {
    this.overview = overview;
    this.post(overview);
  }

  setThumbnails(thumbnails: ThumbnailsMessage | undefined): void {
    this.thumbnails = thumbnails;
    if (thumbnails) this.post(thumbnails);
  }

  /** True when the view is showing, so thumbnails are worth computing now. */
  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  private replay(): void {
    this.post(this.overview);
    if (this.thumbnails) this.post(this.thumbnails);
  }

  private post(message: OverviewMessage | ThumbnailsMessage): void {
    // The name of the configured model is read when sent, so it matches the status bar even before any load.
    if (message.type === 'overview' && !message.model) message = { ...message, configuredModel: modelDisplayName(readModelSettings().model) };
    this.view?.webview.postMessage(message).then(undefined, (e) => log().debug(`Posting ${message.type} to the side panel failed: ${String(e)}`));
  }

  override dispose(): void {
    vscode.Disposable.from(...this.perView).dispose();
    super.dispose();
  }
}
