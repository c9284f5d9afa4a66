// Paints a PaintPlan into an editor: one decoration type per tint bucket plus one outline, created once and reused.
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { TINT_BUCKETS, type PaintPlan } from './weightBuckets';
import type { OffsetRange } from '../analysis/trackedRange';

export class TintDecorations extends Disposable {
  private readonly bucketTypes: vscode.TextEditorDecorationType[] = [];
  private readonly outlineType: vscode.TextEditorDecorationType;
  private painted = new Set<vscode.TextEditor>();

  constructor() {
    super();
    for (let b = 0; b < TINT_BUCKETS; b++) {
      // One contributed colour per level (attentionLens.tint1…8, rising opacity): themes can restyle every level.
      this.bucketTypes.push(
        this._register(
          vscode.window.createTextEditorDecorationType({
            backgroundColor: new vscode.ThemeColor(`attentionLens.tint${b + 1}`),
            rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
          }),
        ),
      );
    }
    this.outlineType = this._register(
      vscode.window.createTextEditorDecorationType({
        border: '1px solid',
        borderColor: new vscode.ThemeColor('attentionLens.queryOutline'),
        borderRadius: '2px',
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }),
    );
  }

  /** Replaces whatever this painted in `editor` with `plan`; `toRange` turns offsets into the editor's positions. */
  paint(editor: vscode.TextEditor, plan: PaintPlan, toRange: (r: OffsetRange) => vscode.Range): void {
    for (let b = 0; b < this.bucketTypes.length; b++) editor.setDecorations(this.bucketTypes[b], plan.buckets[b].map(toRange));
    editor.setDecorations(this.outlineType, plan.outline ? [toRange(plan.outline)] : []);
    this.painted.add(editor);
  }

  /** Removes every tint this painted, in every editor. */
  clear(): void {
    for (const editor of this.painted) {
      try {
        for (const t of this.bucketTypes) editor.setDecorations(t, []);
        editor.setDecorations(this.outlineType, []);
      } catch {
        // The editor was closed: its decorations went with it.
      }
    }
    this.painted.clear();
  }
}
