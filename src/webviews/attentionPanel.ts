// The attention panel beside the editor: HTML under a strict CSP, validated messages in, typed messages out.
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { log } from '../common/log';
import type { FromWebviewMessage, ToWebviewMessage } from '../../shared/messages';
import { webviewHtml, webviewRoots } from './html';
import { receiveWebviewMessage } from './inbox';

export const PANEL_VIEW_TYPE = 'attentionLens.panel';

export interface PanelListener {
  onPanelMessage(message: FromWebviewMessage, panel: AttentionPanel): void | Promise<void>;
  onPanelClosed(panel: AttentionPanel): void;
}

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: webviewRoots(extensionUri), enableFindWidget: false };
}

export class AttentionPanel extends Disposable {
  /** Creates a panel beside the active editor without taking focus from it. */
  static create(extensionUri: vscode.Uri, listener: PanelListener): AttentionPanel {
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      vscode.l10n.t('Attention'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      panelOptions(extensionUri),
    );
    return new AttentionPanel(panel, extensionUri, listener);
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    listener: PanelListener,
  ) {
    super();
    panel.webview.options = panelOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'panel', 'Attention');
    this._register(
      panel.webview.onDidReceiveMessage((raw: unknown) => receiveWebviewMessage(raw, 'attention panel', (m) => listener.onPanelMessage(m, this), log())),
    );
    this._register(
      panel.onDidDispose(() => {
        listener.onPanelClosed(this);
        this.dispose();
      }),
    );
  }

  get visible(): boolean {
    return !this.isDisposed && this.panel.visible;
  }

  /** Posts a message; one sent while the webview is hidden is dropped (it re-sends `ready` when shown again). */
  post(message: ToWebviewMessage): void {
    if (this.isDisposed) return;
    this.panel.webview.postMessage(message).then(undefined, (e) => log().debug(`Posting ${message.type} failed: ${String(e)}`));
  }

  reveal(): void {
    if (!this.isDisposed) this.panel.reveal(undefined, true);
  }

  setTitle(title: string): void {
    if (!this.isDisposed) this.panel.title = title;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.panel.dispose();
  }
}
