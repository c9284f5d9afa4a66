// The attention panel's VS Code webview: HTML under a strict CSP, created beside the editor or adopted after a
// window reload, and reported to its host (attentionPanel.ts) as a PanelWebview.
import * as vscode from 'vscode';
import { log } from '../common/log';
import type { OpenPanelWebview, PanelWebview } from './attentionPanel';
import { PANEL_VIEW_TYPE } from './attentionPanel';
import { webviewHtml, webviewRoots } from './html';

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: webviewRoots(extensionUri), enableFindWidget: false };
}

/** Opens a new panel beside the active editor without taking focus from it. */
export function createPanelWebview(extensionUri: vscode.Uri): OpenPanelWebview {
  return (events) => {
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      vscode.l10n.t('Attention'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      panelOptions(extensionUri),
    );
    return adoptPanelWebview(panel, extensionUri)(events);
  };
}

/** Takes a panel VS Code restored after a reload (or one just created) and loads the panel bundle into it. */
export function adoptPanelWebview(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): OpenPanelWebview {
  return (events) => {
    let disposed = false;
    panel.webview.options = panelOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'panel', 'Attention');
    const subscriptions = [
      panel.webview.onDidReceiveMessage((raw: unknown) => events.message(raw)),
      // No retainContextWhenHidden: a hidden panel's page is unloaded; it says `ready` again when shown.
      panel.onDidChangeViewState((e) => events.visibility(e.webviewPanel.visible)),
      panel.onDidDispose(() => {
        disposed = true;
        vscode.Disposable.from(...subscriptions).dispose();
        events.disposed();
      }),
    ];
    const webview: PanelWebview = {
      post: (message) => {
        if (disposed) return;
        panel.webview.postMessage(message).then(undefined, (e) => log().debug(`Posting ${message.type} failed: ${String(e)}`));
      },
      reveal: () => !disposed && panel.reveal(undefined, true),
      setTitle: (title) => {
        if (!disposed) panel.title = title;
      },
      dispose: () => {
        if (!disposed) panel.dispose();
      },
    };
    return webview;
  };
}
