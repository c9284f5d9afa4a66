// This window's analyses for the side panel: one entry per file + range + model (a re-run replaces its entry), kept
// across reloads through an injected Memento-shaped store, results held in memory only for the newest few.
import type { AnalysisSession } from './analysisSession';
import type { RecentAnalysis } from '../../shared/messages';
import { resultBytes } from './longSelection';

const LISTED = 10;
const KEPT_WITH_RESULTS = 3;
/** Older analyses keep their results only while all kept results stay within this (the newest is always kept). */
export const KEPT_RESULT_BYTES = 512 * 1024 * 1024;

const STORE_KEY = 'attentionLens.recentAnalyses';

/** The part of vscode.Memento this needs (workspaceState, or a file-backed stand-in). */
export interface RecentStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void> | void;
}

export interface RecentEntry {
  info: RecentAnalysis;
  documentUri: string;
  range: { start: number; end: number };
  /** Identifies the model (name, variant, file): the same text under another model is another entry. */
  modelKey: string;
  /** The analysis itself while it is still held in memory; undefined after a reload or once pushed out. */
  session: AnalysisSession | undefined;
}

type StoredEntry = Omit<RecentEntry, 'session'>;

export class RecentAnalyses {
  private entries: RecentEntry[];

  constructor(
    private readonly store?: RecentStore,
    /** A write to the store failed: the list still works in this window, the next one will not see these entries. */
    private readonly onStoreError: (e: unknown) => void = () => undefined,
  ) {
    const stored = store?.get(STORE_KEY);
    this.entries = Array.isArray(stored) ? stored.filter(isStoredEntry).slice(0, LISTED).map((e) => ({ ...e, session: undefined })) : [];
  }

  /** Adds (or moves to the top) the entry of this analysis, replacing any for the same file, range and model. */
  add(session: AnalysisSession): void {
    const { documentUri } = session;
    const modelKey = modelKeyOf(session.result.model);
    const range = { ...session.range };
    this.entries = this.entries.filter(
      (e) => e.info.analysisId !== session.id && !(e.documentUri === documentUri && e.modelKey === modelKey && e.range.start === range.start && e.range.end === range.end),
    );
    this.entries.unshift({
      info: {
        analysisId: session.id,
        label: session.label,
        modelName: session.result.model.name,
        tokenCount: session.result.tokens.length,
        createdAt: session.createdAt,
      },
      documentUri,
      range,
      modelKey,
      session,
    });
    this.entries.length = Math.min(this.entries.length, LISTED);
    // Attention tensors are large (bert-base at 512 tokens: 150 MB): drop all but the newest few, within a byte bound.
    let kept = 0;
    this.entries.forEach((e, i) => {
      if (!e.session) return;
      const bytes = resultBytes(e.session.result);
      if (i === 0 || (i < KEPT_WITH_RESULTS && kept + bytes <= KEPT_RESULT_BYTES)) kept += bytes;
      else e.session = undefined;
    });
    this.persist();
  }

  get(id: string): RecentEntry | undefined {
    return this.entries.find((e) => e.info.analysisId === id);
  }

  /** The analysis of this file, range and model if it is still in memory (show it again instead of re-running). */
  cached(documentUri: string, range: { start: number; end: number }, modelKey: string): AnalysisSession | undefined {
    return this.entries.find(
      (e) => e.session && e.documentUri === documentUri && e.modelKey === modelKey && e.range.start === range.start && e.range.end === range.end,
    )?.session;
  }

  /** Entries newest first; `cached` says which show at once without running the model. */
  list(): (RecentAnalysis & { cached: boolean })[] {
    return this.entries.map((e) => ({ ...e.info, cached: !!e.session }));
  }

  private persist(): void {
    if (!this.store) return;
    const stored: StoredEntry[] = this.entries.map(({ info, documentUri, range, modelKey }) => ({ info, documentUri, range, modelKey }));
    try {
      void Promise.resolve(this.store.update(STORE_KEY, stored)).catch(this.onStoreError);
    } catch (e) {
      this.onStoreError(e);
    }
  }
}

/** What makes two runs "the same model": its name and the ONNX file used (a variant is another file). */
export function modelKeyOf(model: { name: string; onnxFile: string }): string {
  return `${model.name}\u0000${model.onnxFile}`;
}

function isStoredEntry(v: unknown): v is StoredEntry {
  const e = v as Partial<StoredEntry> | null;
  const info = e?.info as Partial<RecentAnalysis> | undefined;
  return (
    !!e &&
    typeof e.documentUri === 'string' &&
    typeof e.modelKey === 'string' &&
    !!e.range &&
    Number.isInteger(e.range.start) &&
    Number.isInteger(e.range.end) &&
    !!info &&
    typeof info.analysisId === 'string' &&
    typeof info.label === 'string' &&
    typeof info.modelName === 'string' &&
    Number.isInteger(info.tokenCount) &&
    typeof info.createdAt === 'number'
  );
}
