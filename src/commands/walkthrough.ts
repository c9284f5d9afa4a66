// The Getting Started walkthrough's host side: the sample it opens, and the context key that checks off the step no
// command marks done (hovering a heatmap cell). VS Code ticks the other steps off by their completion events.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { bundledSampleFile } from '../models/bundled';

export const HOVERED_CELL_CONTEXT = 'attentionLens.walkthrough.hoveredCell';

let hoveredCellNoted = false;

/** The panel reported a hovered token: tick the walkthrough's hover step once per window. */
export function noteHeatmapHover(): void {
  if (hoveredCellNoted) return;
  hoveredCellNoted = true;
  void vscode.commands.executeCommand('setContext', HOVERED_CELL_CONTEXT, true);
}

/** Opens the bundled sample as an untitled Python document, all of it selected, so nothing writes into the extension. */
export async function openSample(): Promise<vscode.TextEditor> {
  const content = await fs.promises.readFile(bundledSampleFile(), 'utf8');
  const document = await vscode.workspace.openTextDocument({ language: 'python', content });
  const editor = await vscode.window.showTextDocument(document);
  const end = document.lineAt(document.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(new vscode.Position(0, 0), end);
  return editor;
}
