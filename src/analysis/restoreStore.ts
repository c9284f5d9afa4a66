// What a reloaded window needs to bring the panel's analysis back. Kept in a small JSON file in the extension's own
// storage folder (never in the user's files): written at once, unlike workspaceState, which a browser reload
// (code-server) can drop before it is flushed.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { MatrixView } from '../../shared/matrixView';
import { parseMatrixView } from '../../shared/parseMessage';
import { parseDecoderRequest, type DecoderRequest } from './decoderRequest';

const FILE = 'panel-analyses.json';
const KEPT = 10;

export interface PersistedAnalysis {
  id: string;
  uri: string;
  start: number;
  end: number;
  /** sha256 of the analysed text: a re-run only happens when the document still holds the same text there. */
  textHash: string;
  label: string;
  /** The target or continuation the decoder read, so a restored analysis reads the same. */
  decoder?: DecoderRequest;
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Reads the analysis id out of the webview's saved state (untrusted: anything else is ignored). */
export function analysisIdOf(state: unknown): string | undefined {
  const id = typeof state === 'object' && state !== null ? (state as { analysisId?: unknown }).analysisId : undefined;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}

/** Reads the view the panel showed out of the webview's saved state (untrusted: validated like any message). */
export function savedViewOf(state: unknown): MatrixView | undefined {
  return typeof state === 'object' && state !== null ? parseMatrixView((state as { view?: unknown }).view) : undefined;
}

export class PanelRestoreStore {
  private readonly file: string;

  constructor(storageFolder: string) {
    this.file = path.join(storageFolder, FILE);
  }

  get(id: string): PersistedAnalysis | undefined {
    return this.all().find((a) => a.id === id);
  }

  /** Remembers an analysis (newest first, at most KEPT). Failing to write only costs the restore after a reload. */
  remember(entry: PersistedAnalysis): void {
    const entries = [entry, ...this.all().filter((a) => a.id !== entry.id)].slice(0, KEPT);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(entries));
  }

  private all(): PersistedAnalysis[] {
    try {
      const v: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return Array.isArray(v) ? v.filter(isPersistedAnalysis).map(({ decoder, ...rest }) => withDecoder(rest, parseDecoderRequest(decoder))) : [];
    } catch {
      return [];
    }
  }
}

function withDecoder(entry: PersistedAnalysis, decoder: DecoderRequest | undefined): PersistedAnalysis {
  return decoder ? { ...entry, decoder } : entry;
}

function isPersistedAnalysis(a: unknown): a is PersistedAnalysis {
  const r = a as Partial<PersistedAnalysis> | null;
  return (
    !!r &&
    typeof r.id === 'string' &&
    typeof r.uri === 'string' &&
    Number.isInteger(r.start) &&
    Number.isInteger(r.end) &&
    typeof r.textHash === 'string' &&
    typeof r.label === 'string'
  );
}
