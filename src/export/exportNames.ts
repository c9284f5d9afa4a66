// Default names and folders for exports: "fibonacci_lines3-10_layer4-head6_words.png" next to the analysed file,
// never "…-n-int---int-…" in the workspace root. Pure.
import * as path from 'path';
import type { Granularity } from '../../shared/granularity';
import type { MatrixView } from '../../shared/matrixView';

export interface ExportNameParts {
  /** Base name of the analysed file ("fibonacci.py"), or an untitled document's title. */
  fileName: string;
  /** 1-based first and last line of the analysed range. */
  startLine: number;
  endLine: number;
  /** The view shown, or 'all' for every layer and head. */
  view: MatrixView | 'all';
  granularity: Granularity;
}

/** A file-name-safe slug: letters and digits of any script, '.', '_' and '-'; other runs become one '-'. */
export function slug(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

/** "layer4-head6", "layer4-mean", "rollout-to-layer3", "all-heads": 1-based, as the panel labels them. */
export function viewSlug(view: MatrixView | 'all'): string {
  if (view === 'all') return 'all-heads';
  if ('head' in view) return `layer${view.layer + 1}-head${view.head + 1}`;
  if (view.aggregate === 'rollout') return view.layer === undefined ? 'rollout' : `rollout-to-layer${view.layer + 1}`;
  return `layer${view.layer + 1}-${view.aggregate}`;
}

export function exportFileName(parts: ExportNameParts, extension: string): string {
  const stem = slug(parts.fileName.replace(/\.[^.]+$/, '')).slice(0, 60) || 'attention';
  const lines = parts.startLine === parts.endLine ? `line${parts.startLine}` : `lines${parts.startLine}-${parts.endLine}`;
  const pieces = [stem, lines, viewSlug(parts.view)];
  if (parts.granularity !== 'tokens') pieces.push(parts.granularity);
  return `${pieces.join('_')}.${extension}`;
}

/**
 * Where the save dialog starts: the analysed file's own folder when it is a local file, else the first workspace
 * folder, else the home folder.
 */
export function defaultExportFolder(document: { scheme: string; fsPath: string }, workspaceFolder: string | undefined, home: string): string {
  if (document.scheme === 'file' && document.fsPath) return path.dirname(document.fsPath);
  return workspaceFolder ?? home;
}
