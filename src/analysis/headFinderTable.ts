// The head finder's table for the side panel: the engine's per-head scores plus the editor's definition score, one
// row per layer × head, every column with the line that says what it measures. Pure.
import { SCORE_DESCRIPTIONS, SCORE_NAMES, type HeadScoreRow, type ScoreName } from '../engine/headScores';
import type { HeadFinderColumn, HeadFinderMessage } from '../../shared/messages';
import { DEFINITION_DESCRIPTION } from './definitionScore';

const LABELS: Record<ScoreName | 'definitions', string> = {
  entropy: 'Entropy',
  distance: 'Distance',
  self: 'Self',
  previousToken: 'Prev. token',
  sink: 'Sink',
  punctuation: 'Punct.',
  brackets: 'Brackets',
  identifiers: 'Identifiers',
  definitions: 'Definitions',
  induction: 'Induction',
  duplicate: 'Duplicate',
};

/** Score columns in table order: the text's scores, the editor's, then the probe's. */
export const HEAD_FINDER_COLUMNS: HeadFinderColumn[] = [
  ...SCORE_NAMES.filter((n) => n !== 'induction' && n !== 'duplicate').map((name) => ({ name, label: LABELS[name], description: SCORE_DESCRIPTIONS[name] })),
  { name: 'definitions', label: LABELS.definitions, description: DEFINITION_DESCRIPTION },
  { name: 'induction', label: LABELS.induction, description: SCORE_DESCRIPTIONS.induction },
  { name: 'duplicate', label: LABELS.duplicate, description: SCORE_DESCRIPTIONS.duplicate },
];

export interface HeadFinderInput {
  analysisId: string;
  heads: HeadScoreRow[];
  /** [layer][head], or null when no definition provider answered inside the analysed text. */
  definitions: number[][] | null;
  notes: string[];
}

export function headFinderMessage({ analysisId, heads, definitions, notes }: HeadFinderInput): HeadFinderMessage {
  return {
    type: 'headFinder',
    analysisId,
    status: 'ready',
    columns: HEAD_FINDER_COLUMNS,
    rows: heads.map((row) => ({
      layer: row.layer,
      head: row.head,
      scores: HEAD_FINDER_COLUMNS.map(({ name }) =>
        name === 'definitions' ? (definitions?.[row.layer]?.[row.head] ?? null) : row.scores[name as ScoreName],
      ),
    })),
    notes,
  };
}

/** The message while scores are computed or after they failed (the table keeps its columns). */
export function headFinderStatus(analysisId: string, status: 'computing' | 'error', message?: string): HeadFinderMessage {
  return { type: 'headFinder', analysisId, status, ...(message ? { message } : {}), columns: HEAD_FINDER_COLUMNS, rows: [], notes: [] };
}
