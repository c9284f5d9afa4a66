// Saves exports through the user's save dialog, which starts next to the analysed file with a name made from the
// file and the view: the figure (PNG painted by the panel, SVG written here), the data (CSV/JSON of the view or of
// everything, with provenance) and the offline HTML report. Nothing is written without the user picking the file.
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { viewTokens } from '../analysis/partViews';
import type { AnalysisSession, SessionResult } from '../analysis/analysisSession';
import type { AttentionResult } from '../engine/types';
import type { GroupedViews } from '../analysis/groupedViews';
import { AttentionLensError } from '../engine/errors';
import { log } from '../common/log';
import { checkFigureSpec, type FigureSpec } from '../../shared/figure';
import { GRANULARITY_LABELS, type Granularity } from '../../shared/granularity';
import { describeView, type MatrixView } from '../../shared/matrixView';
import { MAX_IMAGE_DATA_URL_LENGTH } from '../../shared/messages';
import { writeFileAtomically, type Write } from './atomicFile';
import { viewAxes, viewCsv, viewJson, writeAllCsv, writeAllJson, type ExportContent, type ExportScope } from './dataExports';
import { lastLineOf, provenanceOf, type ExportProvenance } from './exportMetadata';
import { defaultExportFolder, exportFileName } from './exportNames';
import { reportHtml } from './htmlReport';
import { reportDataOf } from './reportData';
import { figureSvg } from './svgFigure';

const PNG_PREFIX = 'data:image/png;base64,';

/** What every export needs: the analysis, its grouped views, and what is on screen. */
export interface ExportSubject {
  session: AnalysisSession;
  grouped: GroupedViews;
  view: MatrixView;
  granularity: Granularity;
}

export class ExportService {
  constructor(
    /** The extension's folder: dist/report.js is inlined into HTML reports. */
    private readonly extensionUri: vscode.Uri,
    private readonly version: string,
  ) {}

  /** A PNG the panel painted from the figure layout. Returns the saved path, or null when the dialog was closed. */
  async savePng(subject: ExportSubject, dataUrl: string): Promise<string | null> {
    if (!dataUrl.startsWith(PNG_PREFIX) || dataUrl.length > MAX_IMAGE_DATA_URL_LENGTH) {
      throw new AttentionLensError('BAD_ARGUMENT', 'The panel sent an image that is not a PNG.', 'Export again; if it keeps failing, see the log.');
    }
    const bytes = Buffer.from(dataUrl.slice(PNG_PREFIX.length), 'base64');
    // A PNG starts with \x89PNG; anything else from the webview is refused rather than written.
    if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x89504e47) {
      throw new AttentionLensError('BAD_ARGUMENT', 'The panel sent an image that is not a PNG.', 'Export again; if it keeps failing, see the log.');
    }
    const uri = await this.ask(subject, subject.view, 'png', vscode.l10n.t('PNG image'));
    if (!uri) return null;
    await vscode.workspace.fs.writeFile(uri, bytes);
    return this.saved(uri);
  }

  /** The same figure as SVG, written here from the panel's figure spec (checked: it comes from the webview). */
  async saveSvg(subject: ExportSubject, figure: unknown): Promise<string | null> {
    const spec = checkFigureSpec(figure, MAX_IMAGE_DATA_URL_LENGTH);
    if (typeof spec === 'string') throw new AttentionLensError('BAD_ARGUMENT', `The panel sent a figure that cannot be saved: ${spec}.`, 'Export again; if it keeps failing, see the log.');
    const uri = await this.ask(subject, subject.view, 'svg', vscode.l10n.t('SVG image'));
    if (!uri) return null;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(figureSvg(spec as FigureSpec), 'utf8'));
    return this.saved(uri);
  }

  /** CSV or JSON of the current view or of every layer and head, at the chosen granularity, with provenance. */
  async saveData(subject: ExportSubject, format: 'csv' | 'json', scope: ExportScope): Promise<string | null> {
    if (scope === 'all') wholeTensorsOf(subject.session.result);
    const content = await this.content(subject);
    const uri = await this.ask(subject, scope === 'all' ? 'all' : subject.view, format, format === 'csv' ? vscode.l10n.t('CSV (comma-separated values)') : 'JSON', content.provenance);
    if (!uri) return null;
    const { result } = subject.session;
    const label = describeView(subject.view);
    await this.write(uri, async (write) => {
      if (scope === 'all') {
        const whole = wholeTensorsOf(result);
        return format === 'csv' ? writeAllCsv(write, content, whole) : writeAllJson(write, content, whole);
      }
      const matrix = await subject.grouped.matrix(subject.view, subject.granularity);
      // Decoder and cross-attention (tokens only): rows are target tokens, columns target or source tokens.
      const axes = subject.view.part ? viewAxes(viewTokens(result, subject.view)) : undefined;
      await write(format === 'csv' ? viewCsv(content, label, matrix, axes) : viewJson(content, result, label, matrix, axes));
    });
    return this.saved(uri);
  }

  /** The offline HTML report: every layer × head at the chosen granularity, one file, no network. */
  async saveReport(subject: ExportSubject): Promise<string | null> {
    const whole = wholeTensorsOf(subject.session.result);
    const content = await this.content(subject);
    const uri = await this.ask(subject, 'all', 'html', vscode.l10n.t('HTML report'), content.provenance);
    if (!uri) return null;
    const script = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, 'dist', 'report.js'))).toString('utf8');
    const data = reportDataOf(whole, content.provenance, subject.granularity, content.groups, titleLines(content.provenance, `All layers and heads · ${GRANULARITY_LABELS[subject.granularity]}`));
    await this.write(uri, (write) => write(reportHtml(data, script)));
    return this.saved(uri);
  }

  private async content(subject: ExportSubject): Promise<ExportContent> {
    const provenance = await this.provenance(subject.session);
    return { provenance, granularity: subject.granularity, groups: subject.grouped.groups(subject.granularity) };
  }

  async provenance(session: AnalysisSession): Promise<ExportProvenance> {
    const uri = vscode.Uri.parse(session.documentUri);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === session.documentUri);
    const documentText = open?.getText() ?? session.result.text;
    const startOffset = open ? session.range.start : 0;
    return provenanceOf({ result: session.result, file: uri.scheme === 'file' ? uri.fsPath : uri.toString(), documentText, startOffset, version: this.version });
  }

  private async ask(subject: ExportSubject, view: MatrixView | 'all', ext: string, kind: string, known?: ExportProvenance): Promise<vscode.Uri | undefined> {
    const provenance = known ?? (await this.provenance(subject.session));
    const doc = vscode.Uri.parse(subject.session.documentUri);
    const folder = defaultExportFolder({ scheme: doc.scheme, fsPath: doc.scheme === 'file' ? doc.fsPath : '' }, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, os.homedir());
    const name = exportFileName(
      { fileName: path.basename(doc.path) || 'untitled', startLine: provenance.source.range.start.line, endLine: lastLineOf(provenance), view, granularity: subject.granularity },
      ext,
    );
    return vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Attention'),
      defaultUri: vscode.Uri.file(path.join(folder, name)),
      filters: { [kind]: [ext] },
      saveLabel: vscode.l10n.t('Export'),
    });
  }

  private async write(uri: vscode.Uri, produce: (write: Write) => Promise<void> | void): Promise<void> {
    if (uri.scheme === 'file') return writeFileAtomically(uri.fsPath, produce);
    // Remote file systems get the whole text at once (no streaming through workspace.fs).
    const parts: string[] = [];
    await produce((s) => void parts.push(s));
    await vscode.workspace.fs.writeFile(uri, Buffer.from(parts.join(''), 'utf8'));
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

/** Figure and report titles: "fibonacci.py, lines 3–10", "org/model @ rev", then the view line. */
export function titleLines(p: ExportProvenance, viewLine: string): string[] {
  const { start } = p.source.range;
  const last = lastLineOf(p);
  const file = path.basename(p.source.file);
  const lines = start.line === last ? `line ${start.line}` : `lines ${start.line}–${last}`;
  const model = p.model.revision ? `${p.model.id} @ ${p.model.revision.slice(0, 12)}` : p.model.id;
  return [`${file}, ${lines}${p.source.truncated ? ' (truncated)' : ''}`, model, viewLine];
}

/** Every layer and head at once needs the whole matrices; a long analysis keeps only what recomputes rows. */
function wholeTensorsOf(result: SessionResult): AttentionResult {
  if ('attention' in result) return result;
  throw new AttentionLensError(
    'BAD_ARGUMENT',
    `This analysis of ${result.tokens.length} tokens keeps no whole attention matrices, so every layer and head cannot be exported at once.`,
    'Export the current view (CSV or JSON), or write one token\'s exact rows with the CLI: attention-lens analyze --text-file <file> --query <token index> --json <out.json>.',
  );
}
