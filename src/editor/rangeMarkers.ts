// Shows analysisMarks() in an editor: the analysed range in the overview ruler with a bar along its lines, and the
// truncation point as an inline note whose hover states the full length. Types are created once and reused.
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import type { AnalysisMarks } from './analysisMarks';

export class RangeMarkers extends Disposable {
  private readonly analysedType = this._register(
    vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      borderStyle: 'solid',
      borderWidth: '0 0 0 2px',
      borderColor: new vscode.ThemeColor('attentionLens.analysedRange'),
      overviewRulerColor: new vscode.ThemeColor('attentionLens.analysedRange'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }),
  );
  private readonly truncationType = this._register(
    vscode.window.createTextEditorDecorationType({
      after: {
        contentText: ` ⟂ ${vscode.l10n.t('attention stops here')}`,
        color: new vscode.ThemeColor('editorCodeLens.foreground'),
        fontStyle: 'italic',
      },
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.warningForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    }),
  );
  private marked = new Set<vscode.TextEditor>();

  show(editor: vscode.TextEditor, marks: AnalysisMarks): void {
    const doc = editor.document;
    const range = new vscode.Range(doc.positionAt(marks.analysed.start), doc.positionAt(marks.analysed.end));
    editor.setDecorations(this.analysedType, [{ range, hoverMessage: vscode.l10n.t('Analysed by Attention Lens') }]);
    if (marks.truncation) {
      const at = doc.positionAt(marks.truncation.at);
      editor.setDecorations(this.truncationType, [{ range: new vscode.Range(at, at), hoverMessage: marks.truncation.note }]);
    } else {
      editor.setDecorations(this.truncationType, []);
    }
    this.marked.add(editor);
  }

  clear(): void {
    for (const editor of this.marked) {
      try {
        editor.setDecorations(this.analysedType, []);
        editor.setDecorations(this.truncationType, []);
      } catch {
        // The editor was closed: its decorations went with it.
      }
    }
    this.marked.clear();
  }
}
