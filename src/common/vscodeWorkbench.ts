// The Workbench services (src/analysis/workbench.ts) as VS Code provides them.
import * as path from 'path';
import * as vscode from 'vscode';
import type { AnalysedDocument, Workbench } from '../analysis/workbench';
import { DEFAULT_TARGET_TOKENS, targetRequestOf } from '../analysis/decoderRequest';
import type { OffsetRange } from '../analysis/trackedRange';
import { describeError, isAttentionLensError } from '../engine/errors';
import { log } from './log';
import { readModelSettings } from './settings';

export const vscodeWorkbench: Workbench = {
  get log() {
    return log();
  },
  t: (message, ...args) => vscode.l10n.t(message, ...args),
  info: (message) => void vscode.window.showInformationMessage(message),
  warn: (message) => void vscode.window.showWarningMessage(message),
  reportError: (e, what) => void reportError(e, what),
  openDocument: async (uri) => {
    const doc = await openTextDocument(uri);
    return doc && analysedDocument(doc);
  },
  revealRange: async (uri, range) => {
    const doc = await openTextDocument(uri);
    if (!doc) return;
    const editor = await vscode.window.showTextDocument(doc, { preserveFocus: false, preview: false });
    const start = doc.positionAt(range.start);
    editor.selection = new vscode.Selection(start, start);
    editor.revealRange(new vscode.Range(start, doc.positionAt(range.end)), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  },
  isOpenInTab,
  onDidShowInTab: (uri, listener) => {
    const check = () => isOpenInTab(uri) && listener();
    return vscode.Disposable.from(vscode.window.tabGroups.onDidChangeTabs(check), vscode.window.tabGroups.onDidChangeTabGroups(check));
  },
  withProgress: (title, abort, task) =>
    Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, cancel) => {
        const sub = cancel.onCancellationRequested(() => abort.abort());
        return task().finally(() => sub.dispose());
      }),
    ),
  maxTokens: () => readModelSettings().maxTokens,
  askTarget: async (modelName) => {
    const answer = await vscode.window.showInputBox({
      title: vscode.l10n.t('Target text for {0}', modelName),
      prompt: vscode.l10n.t('{0} is an encoder–decoder model: type the text its decoder reads (e.g. a translation), or press Enter to let it generate up to {1} tokens.', modelName, DEFAULT_TARGET_TOKENS),
      placeHolder: vscode.l10n.t('Generate (press Enter)'),
      ignoreFocusOut: true,
    });
    return answer === undefined ? undefined : targetRequestOf(answer);
  },
};

export function analysedDocument(doc: vscode.TextDocument): AnalysedDocument {
  return {
    uri: doc.uri.toString(),
    fileName: path.basename(doc.uri.path) || doc.uri.toString(),
    getText: (r?: OffsetRange) => (r ? doc.getText(new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end))) : doc.getText()),
  };
}

/** The open document with this URI, else opened from disk; undefined when it is gone. */
export async function openTextDocument(uri: string): Promise<vscode.TextDocument | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  if (open) return open;
  try {
    return await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  } catch {
    return undefined;
  }
}

/** Shows one line with actions; the details (code, file, stack) go to the log. */
export async function reportError(e: unknown, what: string): Promise<void> {
  const message = describeError(e);
  const details = isAttentionLensError(e) ? ` [${e.code}${e.file ? ` ${e.file}` : ''}]` : e instanceof Error && e.stack ? `\n${e.stack}` : '';
  log().error(`${what}: ${message}${details}`);
  const selectModel = vscode.l10n.t('Select Model…');
  const openLog = vscode.l10n.t('Open Log');
  const choice = await vscode.window.showErrorMessage(`${what}: ${message}`, selectModel, openLog);
  if (choice === selectModel) await vscode.commands.executeCommand('attentionLens.selectModel');
  else if (choice === openLog) log().show(true);
}

function isOpenInTab(uri: string): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri));
}
