// Entry point: constructs the owners (model, analysis controller, panel, side panel, editor link, status bar),
// wires their events, registers commands, the panel serializer and settings listeners; nothing else.
import * as path from 'path';
import * as vscode from 'vscode';
import { JsonFileMemento } from './analysis/jsonFileMemento';
import { AnalysisController } from './analysis/analysisController';
import { analysisIdOf, PanelRestoreStore, savedViewOf } from './analysis/restoreStore';
import { registerCommands } from './commands/register';
import { disposeLog, log } from './common/log';
import { MODEL_SETTINGS, readDisplaySettings, SECTION } from './common/settings';
import { LensStatusBar } from './common/statusBar';
import { openTextDocument, vscodeWorkbench as workbench } from './common/vscodeWorkbench';
import { EditorLink } from './editor/editorLink';
import { ExportService } from './export/exportService';
import { figureTitleOf } from './export/figureTitle';
import { tintColorsFor } from './editor/themeTints';
import type { AnalysisSession } from './analysis/analysisSession';
import { ActiveModel } from './models/activeModel';
import { HubTokenStore } from './models/hubTokenStore';
import { ModelSwitch } from './models/modelSwitch';
import { AttentionPanel, PANEL_VIEW_TYPE } from './webviews/attentionPanel';
import { commonMessageHandler } from './webviews/commonMessages';
import { adoptPanelWebview, createPanelWebview } from './webviews/panelWebview';
import { SidePanelProvider, SIDE_PANEL_VIEW_ID } from './webviews/sidePanel';
import { Lens } from './webviews/lensWiring';

/** Settings writes often come in pairs (model + variant): reload the model once, after the last one. */
const MODEL_SETTINGS_DEBOUNCE_MS = 150;

let activeModel: ActiveModel | undefined;

/** Title lines of exported figures: the analysed file, its lines, and the model. */
function figureTitle(session: AnalysisSession): string[] {
  const uri = vscode.Uri.parse(session.documentUri);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === session.documentUri);
  return figureTitleOf(uri.path, doc?.getText(), session.range.start, session.result);
}

export function activate(context: vscode.ExtensionContext): void {
  const subscribe = <T extends vscode.Disposable | { dispose(): unknown }>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  subscribe(log());
  const tokens = new HubTokenStore(context.secrets);
  const model = subscribe((activeModel = new ActiveModel(tokens)));
  const storageFolder = (context.storageUri ?? context.globalStorageUri).fsPath;
  const restoreStore = new PanelRestoreStore(storageFolder);
  const controller = subscribe(new AnalysisController(model, workbench, restoreStore, new JsonFileMemento(path.join(storageFolder, 'recent-analyses.json'))));
  const exporter = new ExportService(context.extensionUri, String(context.extension.packageJSON.version ?? '0.0.0'));
  let displaySettings = readDisplaySettings();
  const selectModel = () => vscode.commands.executeCommand('attentionLens.selectModel');
  const lens = subscribe(new Lens(context.extensionUri, model, controller, workbench));
  const onCommonMessage = commonMessageHandler(controller, selectModel, log(), lens.openGuide);
  // The editor link and the panel report to each other: tints follow the panel's view, the panel the cursor.
  let panel: AttentionPanel | undefined;
  const editorLink = subscribe(
    new EditorLink(() => displaySettings, {
      focusQuery: (query) => panel?.focusQuery(query),
      staleChanged: (session) => controller.staleChanged(session),
    }, () => tintColorsFor(context.extension.packageJSON, vscode.window.activeColorTheme.kind)),
  );
  panel = subscribe(
    new AttentionPanel(createPanelWebview(context.extensionUri), { controller, workbench, exporter, tints: editorLink, displaySettings: () => displaySettings, onCommonMessage, figureTitle, lens: lens.views }),
  );
  const attentionPanel = panel;
  subscribe(attentionPanel.onDidChangeView((view) => editorLink.setView(view)));
  subscribe(attentionPanel.onDidClose(() => editorLink.clear()));
  subscribe(
    controller.onDidChangeSession((session) => {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === session.documentUri);
      editorLink.bind(session, open);
      if (!open) void openTextDocument(session.documentUri).then((doc) => controller.session === session && editorLink.bind(session, doc));
    }),
  );
  subscribe(controller.onDidChangeSession(() => void setContext(controller)));
  subscribe(controller.onDidChangeState(() => void setContext(controller)));
  const sidePanel = subscribe(new SidePanelProvider(context.extensionUri, controller, model, attentionPanel, onCommonMessage, lens.headFinder));
  subscribe(vscode.window.registerWebviewViewProvider(SIDE_PANEL_VIEW_ID, sidePanel));
  subscribe(new LensStatusBar(model, controller));
  const modelSwitch = new ModelSwitch(model, controller, () => attentionPanel.isOpen, workbench);
  context.subscriptions.push(...registerCommands({ controller, panel: attentionPanel, editorLink, exporter, modelSwitch, tokens, workbench, lens: lens.views }));
  void setContext(controller);

  subscribe(
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel, state) => {
        attentionPanel.adopt(adoptPanelWebview(webviewPanel, context.extensionUri), savedViewOf(state));
        await controller.restore(analysisIdOf(state)).catch((e) => log().error(`Restoring the attention panel failed: ${String(e)}`));
      },
    }),
  );

  let modelChange: NodeJS.Timeout | undefined;
  subscribe({ dispose: () => clearTimeout(modelChange) });
  subscribe(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (MODEL_SETTINGS.some((key) => e.affectsConfiguration(`${SECTION}.${key}`))) {
        clearTimeout(modelChange);
        modelChange = setTimeout(() => modelSwitch.settingsChanged(), MODEL_SETTINGS_DEBOUNCE_MS);
      }
      if (['hideSpecialTokens', 'colorScale', 'topTokensInHover'].some((key) => e.affectsConfiguration(`${SECTION}.${key}`))) {
        displaySettings = readDisplaySettings();
        attentionPanel.settingsChanged();
        editorLink.repaint();
      }
    }),
  );
  log().info(`Attention Lens ${context.extension.packageJSON.version ?? ''} activated.`);
}

/** `when` clauses of the menus: is there an analysis, and is it stale. */
async function setContext(controller: AnalysisController): Promise<void> {
  await vscode.commands.executeCommand('setContext', 'attentionLens.hasAnalysis', !!controller.session);
  await vscode.commands.executeCommand('setContext', 'attentionLens.stale', !!controller.session?.stale);
}

export async function deactivate(): Promise<void> {
  // The engine's worker thread must end with the host, after onnxruntime returns from a run in flight (ending it
  // mid-run aborts the process); context.subscriptions disposes the rest.
  const model = activeModel;
  activeModel = undefined;
  await model?.close();
  disposeLog();
}
