// The HTML shell both webviews load: one script and its CSS from dist/ or media/, under a strict nonce CSP.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WebviewSurface } from '../../shared/messages';

/** The codicon font vscode-elements draws button icons with (found through the link id below). */
const CODICONS = 'node_modules/@vscode/codicons/dist';

/** Folders a webview may load from: the bundles, the media folder and the codicon font, nothing else. */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return ['dist', 'media', CODICONS].map((rel) => vscode.Uri.joinPath(extensionUri, ...rel.split('/')));
}

/** Stylesheets in load order; one that is not shipped is left out. */
const STYLESHEETS = [`${CODICONS}/codicon.css`, 'media/webview.css'];

const SCRIPTS: Record<WebviewSurface, string> = { panel: 'dist/panel.js', sidePanel: 'dist/sidePanel.js' };

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, surface: WebviewSurface, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const uri = (rel: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...rel.split('/'))).toString();
  const exists = (rel: string) => fs.existsSync(path.join(extensionUri.fsPath, rel));
  const styles = [...STYLESHEETS, `dist/${SCRIPTS[surface].slice(5, -3)}.css`].filter(exists).map((rel) => {
    // vscode-elements finds the codicon font by this id.
    const id = rel.startsWith(CODICONS) ? ' id="vscode-codicon-stylesheet"' : '';
    return `<link rel="stylesheet"${id} href="${uri(rel)}">`;
  });
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeAttr(vscode.env.language || 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.join('\n')}
<title>${escapeText(title)}</title>
</head>
<body data-surface="${surface}">
<div id="app"></div>
<script type="module" nonce="${nonce}" src="${uri(SCRIPTS[surface])}"></script>
</body>
</html>`;
}

function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}
