// Set / Clear Hugging Face Token: kept in the OS keychain (SecretStorage), never in settings.
import * as vscode from 'vscode';
import type { HubTokenStore } from '../models/hubTokenStore';
import { COMMANDS, type Command } from './command';

export function setHubToken(tokens: HubTokenStore): Command {
  return {
    id: COMMANDS.setHubToken,
    run: async () => {
      if (await tokens.prompt()) void vscode.window.showInformationMessage(vscode.l10n.t('Hugging Face token saved in the OS keychain.'));
    },
  };
}

export function clearHubToken(tokens: HubTokenStore): Command {
  return {
    id: COMMANDS.clearHubToken,
    run: async () => {
      await tokens.clear();
      void vscode.window.showInformationMessage(vscode.l10n.t('Hugging Face token removed.'));
    },
  };
}
