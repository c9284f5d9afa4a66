// The commands the extension registers, and what a command is. Pure: the manifest test reads COMMANDS.
export const COMMANDS = {
  showAttention: 'attentionLens.showAttention',
  selectModel: 'attentionLens.selectModel',
  showSidePanel: 'attentionLens.showSidePanel',
  clearHighlights: 'attentionLens.clearHighlights',
  rerun: 'attentionLens.rerun',
  setHubToken: 'attentionLens.setHubToken',
  clearHubToken: 'attentionLens.clearHubToken',
  exportImage: 'attentionLens.exportImage',
  exportData: 'attentionLens.exportData',
  openLog: 'attentionLens.openLog',
  compareModels: 'attentionLens.compareModels',
  openSample: 'attentionLens.openSample',
  showAttentionWithContinuation: 'attentionLens.showAttentionWithContinuation',
} as const;

export type CommandName = keyof typeof COMMANDS;

/** One palette / menu / keybinding command; each file in this folder exports the factory of one. */
export interface Command {
  id: (typeof COMMANDS)[CommandName];
  run(...args: unknown[]): unknown;
}
