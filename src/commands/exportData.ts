// Export Attention Data: the panel's current matrix as CSV, or the whole analysis as the CLI's JSON.
import * as vscode from 'vscode';
import type { AnalysisController } from '../analysis/analysisController';
import type { Workbench } from '../analysis/workbench';
import type { ExportService } from '../export/exportService';
import type { AttentionPanel } from '../webviews/attentionPanel';
import { describeView } from '../../shared/matrixView';
import { COMMANDS, type Command } from './command';

export function exportData(controller: AnalysisController, panel: AttentionPanel, exporter: ExportService, workbench: Workbench): Command {
  return {
    id: COMMANDS.exportData,
    run: async () => {
      const session = controller.session;
      if (!session) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No analysis to export yet. Select text and run Show Attention.'));
        return;
      }
      const view = panel.view;
      const pick = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('CSV: the current matrix'), description: describeView(view), format: 'csv' as const },
          { label: vscode.l10n.t('JSON: the whole analysis'), description: vscode.l10n.t('tokens and every layer and head, as the CLI writes it'), format: 'json' as const },
        ],
        { title: vscode.l10n.t('Export Attention Data') },
      );
      if (!pick) return;
      try {
        await exporter.saveData(session, pick.format, view);
      } catch (e) {
        workbench.reportError(e, workbench.t('Export failed'));
      }
    },
  };
}
