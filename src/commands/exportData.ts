// Export Attention Data: CSV or JSON of the view on screen or of every layer and head, or the offline HTML report;
// always at the panel's granularity and with provenance.
import * as vscode from 'vscode';
import type { Workbench } from '../analysis/workbench';
import type { ExportService } from '../export/exportService';
import type { AttentionPanel } from '../webviews/attentionPanel';
import { GRANULARITY_LABELS } from '../../shared/granularity';
import { describeView } from '../../shared/matrixView';
import { COMMANDS, type Command } from './command';

export function exportData(panel: AttentionPanel, exporter: ExportService, workbench: Workbench): Command {
  return {
    id: COMMANDS.exportData,
    run: async () => {
      const subject = panel.exportSubject();
      if (!subject) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No analysis to export yet. Select text and run Show Attention.'));
        return;
      }
      const on = `${describeView(subject.view)} · ${GRANULARITY_LABELS[subject.granularity]}`;
      const all = `${vscode.l10n.t('every layer and head')} · ${GRANULARITY_LABELS[subject.granularity]}`;
      const pick = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('CSV: the current view'), description: on, format: 'csv' as const, scope: 'view' as const },
          { label: vscode.l10n.t('CSV: everything'), description: all, format: 'csv' as const, scope: 'all' as const },
          { label: vscode.l10n.t('JSON: the current view'), description: on, format: 'json' as const, scope: 'view' as const },
          { label: vscode.l10n.t('JSON: everything'), description: all, format: 'json' as const, scope: 'all' as const },
          { label: vscode.l10n.t('HTML report (offline, interactive)'), description: all, format: 'html' as const, scope: 'all' as const },
        ],
        { title: vscode.l10n.t('Export Attention Data') },
      );
      if (!pick) return;
      try {
        if (pick.format === 'html') await exporter.saveReport(subject);
        else await exporter.saveData(subject, pick.format, pick.scope);
      } catch (e) {
        workbench.reportError(e, workbench.t('Export failed'));
      }
    },
  };
}
