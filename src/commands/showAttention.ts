// Show Attention: the selection, else the current line, else the visible text.
import * as vscode from 'vscode';
import type { AnalysisController } from '../analysis/analysisController';
import { chooseTarget } from '../analysis/analysisTarget';
import type { OffsetRange } from '../analysis/trackedRange';
import { COMMANDS, type Command } from './command';

export function showAttention(controller: AnalysisController): Command {
  return {
    id: COMMANDS.showAttention,
    run: async () => {
      const editor = vscode.window.activeTextEditor;
      const sel = editor?.selection;
      const target = editorTarget();
      if (!target) return;
      await controller.analyze(target.uri, target.range);
      // The selection would cover the tints: collapse it to the cursor once the analysis is shown, unless the user
      // has selected something else meanwhile.
      if (editor && sel && !sel.isEmpty && controller.session?.documentUri === target.uri && editor.selection.isEqual(sel)) {
        editor.selection = new vscode.Selection(sel.active, sel.active);
      }
    },
  };
}

/** The text Show Attention analyses in the active editor, saying why when it is not the selection; undefined: none. */
export function editorTarget(): { uri: string; range: OffsetRange } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a file and select some text, then run Show Attention.'));
    return undefined;
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
    return undefined;
  }
  if (target.reason !== 'selection') {
    void vscode.window.showInformationMessage(
      target.reason === 'line'
        ? vscode.l10n.t('Nothing selected: analysing line {0}.', sel.active.line + 1)
        : vscode.l10n.t('Nothing selected: analysing the visible text.'),
    );
  }
  return { uri: doc.uri.toString(), range: target.range };
}
