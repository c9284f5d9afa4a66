// The palette / menu / keybinding commands. Each one is a thin call into the controller; none can throw at the host.
import * as vscode from 'vscode';
import type { LensController } from '../analysis/lensController';
import { log } from '../common/log';
import type { HubTokenStore } from '../models/hubTokenStore';
import { pickModel } from '../models/modelPicker';

export function registerCommands(controller: LensController, tokens: HubTokenStore): vscode.Disposable[] {
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'attentionLens.showAttention': () => controller.showAttention(),
    'attentionLens.selectModel': () => controller.pickModel(() => pickModel(tokens)),
    'attentionLens.showSidePanel': () => controller.showSidePanel(),
    'attentionLens.clearHighlights': () => controller.clearHighlights(),
    'attentionLens.rerun': () => controller.rerun(),
    'attentionLens.exportImage': () => controller.exportImage(),
    'attentionLens.exportData': () => controller.exportData(),
    'attentionLens.openLog': () => log().show(),
    'attentionLens.setHubToken': async () => {
      if (await tokens.prompt()) void vscode.window.showInformationMessage(vscode.l10n.t('Hugging Face token saved in the OS keychain.'));
    },
    'attentionLens.clearHubToken': async () => {
      await tokens.clear();
      void vscode.window.showInformationMessage(vscode.l10n.t('Hugging Face token removed.'));
    },
  };
  return Object.entries(commands).map(([id, run]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (e) {
        await controller.reportError(e, vscode.l10n.t('Attention Lens: {0} failed', id.replace('attentionLens.', '')));
      }
    }),
  );
}
