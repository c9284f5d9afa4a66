// What a reloaded window needs to bring the panel's analysis back: kept in workspaceState (never in the user's files).
import { createHash } from 'crypto';
import type * as vscode from 'vscode';

const KEY = 'attentionLens.panelAnalyses';
const KEPT = 10;

export interface PersistedAnalysis {
  id: string;
  uri: string;
  start: number;
  end: number;
  /** sha256 of the analysed text: a re-run only happens when the document still holds the same text there. */
  textHash: string;
  label: string;
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Reads the analysis id out of the webview's saved state (untrusted: anything else is ignored). */
export function analysisIdOf(state: unknown): string | undefined {
  const id = typeof state === 'object' && state !== null ? (state as { analysisId?: unknown }).analysisId : undefined;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}

export class PanelRestoreStore {
  constructor(private readonly memento: vscode.Memento) {}

  get(id: string): PersistedAnalysis | undefined {
    return this.all().find((a) => a.id === id);
  }

  async remember(entry: PersistedAnalysis): Promise<void> {
    const rest = this.all().filter((a) => a.id !== entry.id);
    await this.memento.update(KEY, [entry, ...rest].slice(0, KEPT));
  }

  private all(): PersistedAnalysis[] {
    const v = this.memento.get<unknown>(KEY);
    return Array.isArray(v) ? (v.filter((a) => typeof a?.id === 'string' && typeof a?.uri === 'string') as PersistedAnalysis[]) : [];
  }
}
