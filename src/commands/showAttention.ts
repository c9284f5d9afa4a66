// Show Attention: the selection, else the current line, else the visible text.
import * as vscode from 'vscode';
import type { AnalysisController } from '../analysis/analysisController';
import { chooseTarget } from '../analysis/analysisTarget';
import { COMMANDS, type Command } from './command';

export function showAttention(controller: AnalysisController): Command {
  return {
    id: COMMANDS.showAttention,
    run: async () => {
      const editor = vscode.window.activeTextEditor;
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
      await controller.analyze(doc.uri.toString(), target.range);
      // The selection would cover the tints: collapse it to the cursor once the analysis is shown, unless the user
      // has selected something else meanwhile.
      if (!sel.isEmpty && controller.session?.documentUri === doc.uri.toString() && editor.selection.isEqual(sel)) {
        editor.selection = new vscode.Selection(sel.active, sel.active);
      }
    },
  };
}
