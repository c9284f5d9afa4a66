// The side-panel overview (activity bar → Attention Lens): model in use, layer×head thumbnails, recent analyses.
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { log } from '../log';
import { parseFromWebview, type FromWebviewMessage, type OverviewMessage, type ThumbnailsMessage } from '../protocol';
import { preview } from './attentionPanel';
import { webviewHtml, webviewRoots } from './webviewHtml';

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
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'sidebar', 'Attention Lens');
    this.perView = [
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseFromWebview(raw);
        if (!message) {
          log().warn(`Ignored a malformed message from the side panel: ${preview(raw)}`);
          return;
        }
        if (message.type === 'ready') {
          this.replay();
          return;
        }
        Promise.resolve()
          .then(() => this.onMessage(message))
          .catch((e) => log().error(`Handling "${message.type}" from the side panel failed: ${String(e)}`));
      }),
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
    this.view?.webview.postMessage(message).then(undefined, (e) => log().debug(`Posting ${message.type} to the side panel failed: ${String(e)}`));
  }

  override dispose(): void {
    vscode.Disposable.from(...this.perView).dispose();
    super.dispose();
  }
}
