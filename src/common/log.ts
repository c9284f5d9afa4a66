// The one output channel of the extension: a LogOutputChannel, so levels and timestamps come from VS Code.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The shared log channel, created on first use. */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Attention Lens', { log: true });
  return channel;
}

/** Disposes the channel on deactivate (a new one is created if anything logs afterwards). */
export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}
