// Show Side Panel: focuses the Attention Lens view in the activity bar.
import * as vscode from 'vscode';
import { SIDE_PANEL_VIEW_ID } from '../webviews/sidePanel';
import { COMMANDS, type Command } from './command';

export function showSidePanel(): Command {
  return { id: COMMANDS.showSidePanel, run: () => vscode.commands.executeCommand(`${SIDE_PANEL_VIEW_ID}.focus`) };
}
