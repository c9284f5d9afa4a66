// Saves what the panel shows: the heatmap PNG, the current matrix as CSV, or the analysis as the CLI's JSON.
// Always through a save dialog: nothing is ever written into the user's folders without them picking the file.
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { viewTokens } from '../analysis/partViews';
import { writeResultJson } from '../cli/writeResultJson';
import type { AnalysisSession } from '../analysis/analysisSession';
import { AttentionLensError } from '../engine/errors';
import { log } from '../common/log';
import { describeView, type MatrixView } from '../../shared/matrixView';
import { matrixCsv, safeFileStem } from './exportFormats';

const PNG_PREFIX = 'data:image/png;base64,';

export class ExportService {
  /** Returns the saved path, or null when the user closed the dialog. */
  async saveImage(dataUrl: string, label: string): Promise<string | null> {
    const bytes = Buffer.from(dataUrl.slice(PNG_PREFIX.length), 'base64');
    // A PNG starts with \x89PNG; anything else from the webview is refused rather than written.
    if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x89504e47) {
      throw new AttentionLensError('BAD_ARGUMENT', 'The panel sent an image that is not a PNG.', 'Export again; if it keeps failing, see the log.');
    }
    const uri = await this.ask(label, 'png', vscode.l10n.t('PNG image'));
    if (!uri) return null;
    await vscode.workspace.fs.writeFile(uri, bytes);
    return this.saved(uri);
  }

  async saveData(session: AnalysisSession, format: 'csv' | 'json', view: MatrixView): Promise<string | null> {
    if (format === 'csv') {
      const uri = await this.ask(`${session.label} ${describeView(view)}`, 'csv', vscode.l10n.t('CSV (comma-separated values)'));
      if (!uri) return null;
      const matrix = await session.views.matrixAsync(view);
      const { queryTokens, keyTokens } = viewTokens(session.result, view);
      await vscode.workspace.fs.writeFile(uri, Buffer.from(matrixCsv(queryTokens, matrix, keyTokens), 'utf8'));
      return this.saved(uri);
    }
    const uri = await this.ask(session.label, 'json', vscode.l10n.t('JSON'));
    if (!uri) return null;
    if (uri.scheme !== 'file') {
      throw new AttentionLensError('BAD_ARGUMENT', `Cannot stream JSON to ${uri.toString()}.`, 'Save it to a local file.');
    }
    if (!('attention' in session.result)) {
      throw new AttentionLensError('BAD_ARGUMENT', `This analysis of ${session.result.tokens.length} tokens holds no whole attention matrices to export.`, 'Export CSV of one view (up to 2,048 tokens), or write one token\'s exact rows with the CLI: attention-lens analyze --text-file <file> --query <token index> --json <out.json>.');
    }
    // Streamed row by row (the full tensor can be hundreds of MB as text), in exactly the CLI's --json format.
    await writeResultJson(session.result, uri.fsPath);
    return this.saved(uri);
  }

  private async ask(label: string, ext: string, kind: string): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    return vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Attention'),
      defaultUri: vscode.Uri.joinPath(folder, `${safeFileStem(label)}.${ext}`),
      filters: { [kind]: [ext] },
      saveLabel: vscode.l10n.t('Export'),
    });
  }

  private saved(uri: vscode.Uri): string {
    const where = uri.scheme === 'file' ? uri.fsPath : uri.toString();
    log().info(`Exported ${where}`);
    const reveal = vscode.l10n.t('Reveal');
    void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}', path.basename(uri.path)), reveal).then((c) => {
      if (c === reveal) void vscode.commands.executeCommand('revealFileInOS', uri);
    });
    return where;
  }
}
