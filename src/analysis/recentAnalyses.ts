// This window's analyses for the side panel: labels for all, results kept only for the newest few (memory).
import type { AnalysisSession } from './analysisSession';
import type { RecentAnalysis } from '../../shared/messages';
import { resultBytes } from './longSelection';

const LISTED = 10;
const KEPT_WITH_RESULTS = 3;
/** Older analyses keep their results only while all kept results stay within this (the newest is always kept). */
export const KEPT_RESULT_BYTES = 512 * 1024 * 1024;

export interface RecentEntry {
  info: RecentAnalysis;
  documentUri: string;
  range: { start: number; end: number };
  session: AnalysisSession | undefined;
}

export class RecentAnalyses {
  private entries: RecentEntry[] = [];

  add(session: AnalysisSession): void {
    this.entries = this.entries.filter((e) => e.info.analysisId !== session.id);
    this.entries.unshift({
      info: {
        analysisId: session.id,
        label: session.label,
        modelName: session.result.model.name,
        tokenCount: session.result.tokens.length,
        createdAt: session.createdAt,
      },
      documentUri: session.documentUri,
      range: session.range,
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
  }

  get(id: string): RecentEntry | undefined {
    return this.entries.find((e) => e.info.analysisId === id);
  }

  list(): RecentAnalysis[] {
    return this.entries.map((e) => e.info);
  }
}
