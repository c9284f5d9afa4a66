// Entry point: wires the model, the controller, commands, the panel serializer and settings; nothing else.
import * as vscode from 'vscode';
import { ActiveModel } from './models/activeModel';
import { registerCommands } from './commands/registerCommands';
import { LensController } from './analysis/lensController';
import { disposeLog, log } from './common/log';
import { HubTokenStore } from './models/hubTokenStore';
import { MODEL_SETTINGS, SECTION } from './common/settings';
import { PANEL_VIEW_TYPE } from './webviews/attentionPanel';

/** Settings writes often come in pairs (model + variant): reload the model once, after the last one. */
const MODEL_SETTINGS_DEBOUNCE_MS = 150;

let activeModel: ActiveModel | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const channel = log();
  const tokens = new HubTokenStore(context.secrets);
  activeModel = new ActiveModel(tokens);
  const controller = new LensController(context, activeModel);
  context.subscriptions.push(channel, activeModel, controller, ...registerCommands(controller, tokens));

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) =>
        controller.restorePanel(panel, state).catch((e) => log().error(`Restoring the attention panel failed: ${String(e)}`)),
    }),
  );

  let modelChange: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    { dispose: () => clearTimeout(modelChange) },
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (MODEL_SETTINGS.some((key) => e.affectsConfiguration(`${SECTION}.${key}`))) {
        clearTimeout(modelChange);
        modelChange = setTimeout(() => controller.onModelSettingsChanged(), MODEL_SETTINGS_DEBOUNCE_MS);
      }
      if (['hideSpecialTokens', 'colorScale', 'topTokensInHover'].some((key) => e.affectsConfiguration(`${SECTION}.${key}`))) {
        controller.onViewSettingsChanged();
      }
    }),
  );
  log().info(`Attention Lens ${context.extension.packageJSON.version ?? ''} activated.`);
}

export async function deactivate(): Promise<void> {
  // The engine's worker thread must end with the host, after onnxruntime returns from a run in flight (ending it
  // mid-run aborts the process); context.subscriptions disposes the rest.
  const model = activeModel;
  activeModel = undefined;
  await model?.close();
  disposeLog();
}
