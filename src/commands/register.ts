// Builds every command from the owners it drives and registers it; a failing command reaches the user as an
// error message with actions, never as an unhandled rejection in the extension host.
import * as vscode from 'vscode';
import type { AnalysisController } from '../analysis/analysisController';
import type { Workbench } from '../analysis/workbench';
import type { EditorLink } from '../editor/editorLink';
import type { ExportService } from '../export/exportService';
import type { HubTokenStore } from '../models/hubTokenStore';
import type { ModelSwitch } from '../models/modelSwitch';
import type { AttentionPanel } from '../webviews/attentionPanel';
import type { LensViews } from '../analysis/lensViews';
import { clearHighlights } from './clearHighlights';
import { compareModels } from './compareModels';
import { COMMANDS, type Command, type CommandName } from './command';
import { exportData } from './exportData';
import { exportImage } from './exportImage';
import { clearHubToken, setHubToken } from './hubToken';
import { openLog } from './openLog';
import { openSample } from './walkthrough';
import { rerun } from './rerun';
import { selectModel } from './selectModel';
import { showAttention } from './showAttention';
import { showAttentionWithContinuation } from './showContinuation';
import { showSidePanel } from './showSidePanel';

export interface CommandOwners {
  controller: AnalysisController;
  panel: AttentionPanel;
  editorLink: EditorLink;
  exporter: ExportService;
  modelSwitch: ModelSwitch;
  tokens: HubTokenStore;
  workbench: Workbench;
  lens: LensViews;
}

export function registerCommands(o: CommandOwners): vscode.Disposable[] {
  // Keyed by name: the compiler refuses a command of COMMANDS that has no factory here.
  const commands: Record<CommandName, Command> = {
    showAttention: showAttention(o.controller),
    selectModel: selectModel(o.modelSwitch, o.tokens),
    showSidePanel: showSidePanel(),
    clearHighlights: clearHighlights(o.editorLink, o.panel),
    rerun: rerun(o.controller),
    setHubToken: setHubToken(o.tokens),
    clearHubToken: clearHubToken(o.tokens),
    exportImage: exportImage(o.panel),
    exportData: exportData(o.panel, o.exporter, o.workbench),
    openLog: openLog(),
    compareModels: compareModels(o.controller, o.lens, o.panel, o.workbench),
    openSample: { id: COMMANDS.openSample, run: () => openSample() },
    showAttentionWithContinuation: showAttentionWithContinuation(o.controller),
  };
  return Object.values(commands).map(({ id, run }) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (e) {
        o.workbench.reportError(e, o.workbench.t('Attention Lens: {0} failed', id.replace('attentionLens.', '')));
      }
    }),
  );
}
