// Provenance written into every data export and report: where the text came from, which model (id, revision, the
// ONNX file's sha256) and which product version produced the numbers, so a figure can be reproduced.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { AttentionResult, ModelInfo } from '../engine/types';
import type { SessionResult } from '../analysis/analysisSession';

export interface SourcePosition {
  /** 1-based, as editors show it. */
  line: number;
  /** 1-based UTF-16 column. */
  column: number;
}

export interface ExportProvenance {
  product: { name: string; version: string };
  source: {
    /** File path (or URI for unsaved/remote documents). */
    file: string;
    range: { start: SourcePosition; end: SourcePosition; startOffset: number; endOffset: number };
    /** The analysed text (the part the model saw when it was truncated). */
    text: string;
    truncated: boolean;
    /** Characters of the selection, when truncated (the text above stops short of it). */
    fullLength: number;
  };
  model: { id: string; revision: string | null; onnxFile: string; sha256: string; modelType: string; layers: number; heads: number };
}

/** Hub cache folders look like …/models--org--name/snapshots/<commit>: the id and the exact revision. */
export function hubIdentity(folder: string): { id: string; revision: string } | undefined {
  const parts = folder.split(/[\\/]+/);
  const at = parts.lastIndexOf('snapshots');
  if (at < 1 || at + 1 >= parts.length) return undefined;
  const repo = /^models--(.+)$/.exec(parts[at - 1]);
  if (!repo) return undefined;
  return { id: repo[1].split('--').join('/'), revision: parts[at + 1] };
}

const hashes = new Map<string, string>();

/** sha256 of a file, streamed (model files are hundreds of MB), remembered per path, size and modification time. */
export async function fileSha256(file: string): Promise<string> {
  const stat = await fs.promises.stat(file);
  const key = `${file}\u0000${stat.size}\u0000${stat.mtimeMs}`;
  const known = hashes.get(key);
  if (known) return known;
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  const hex = hash.digest('hex');
  hashes.set(key, hex);
  return hex;
}

/** 1-based line and column of a UTF-16 offset in `text`. */
export function positionIn(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The last line holding analysed characters (a range ending right after a line break ends on the line before). */
export function lastLineOf(p: ExportProvenance): number {
  const { end, start } = p.source.range;
  return end.column === 1 && end.line > start.line ? end.line - 1 : end.line;
}

export interface ProvenanceInput {
  result: SessionResult;
  file: string;
  /** The whole document text (for line/column), and where the analysed text starts in it. */
  documentText: string;
  startOffset: number;
  version: string;
}

export async function provenanceOf(input: ProvenanceInput): Promise<ExportProvenance> {
  const { result, file, documentText, startOffset, version } = input;
  const covered = result.text.slice(0, result.coveredRange.end);
  const endOffset = startOffset + covered.length;
  return {
    product: { name: 'Attention Lens', version },
    source: {
      file,
      range: { start: positionIn(documentText, startOffset), end: positionIn(documentText, endOffset), startOffset, endOffset },
      text: covered,
      truncated: result.truncated,
      fullLength: result.text.length,
    },
    model: await modelProvenance(result.model),
  };
}

export async function modelProvenance(model: ModelInfo): Promise<ExportProvenance['model']> {
  const hub = hubIdentity(model.folder);
  return {
    id: hub?.id ?? model.name,
    revision: hub?.revision ?? null,
    onnxFile: path.relative(model.folder, model.onnxFile).split(path.sep).join('/'),
    sha256: await fileSha256(model.onnxFile),
    modelType: model.modelType,
    layers: model.layers,
    heads: model.heads,
  };
}
