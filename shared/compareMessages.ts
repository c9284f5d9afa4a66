// Compare requests and replies between the panel and the host (two heads; before/after an edit; two models). Types only.

/** Panel → host: two heads of the current analysis, side by side. */
export interface CompareHeadsRequest {
  type: 'compareHeads';
  a: { layer: number; head: number };
  b: { layer: number; head: number };
}

export interface CompareHeadsReply {
  n: number;
  a: Float32Array;
  b: Float32Array;
  /** Mean Jensen–Shannon distance over query rows (0 = identical). */
  distance: number | null;
}

/** Panel → host: this head before the last edit (the analysis the re-run replaced) and now, with every head ranked. */
export interface CompareEditRequest {
  type: 'compareEdit';
  head: { layer: number; head: number };
}

/** Panel → host: this head under the current model vs the model of "Compare With Another Model…" on the same text. */
export interface CompareModelRequest {
  type: 'compareModel';
  head: { layer: number; head: number };
}

/** The answer to compareEdit (before = the earlier text) and compareModel (before = the other model). */
export interface CompareEditReply {
  /** Label of the earlier analysis (or of the other model). */
  beforeLabel: string;
  granularity: 'token' | 'character';
  notes: string[];
  /** Matrix side: the current analysis's tokens. */
  n: number;
  after: Float32Array;
  /** The earlier attention on the current tokens (through the exact offsets); NaN where a token has no counterpart. */
  before: Float32Array;
  /** Every head by mean Jensen–Shannon distance, largest first. */
  ranking: { layer: number; head: number; distance: number | null }[];
}
