// Requests of the panel for an analysis too long for whole matrices: a max-pooled overview of one view (at most
// 256×256 cells) and exact tiles of the window the user zoomed into. Neither ever sends N² values.
import type { MatrixView } from './matrixView';

/** Whole matrices reach the panel up to this many tokens (a 2,048² float32 matrix is 16 MiB); above, overview + tiles. */
export const PANEL_MATRIX_TOKENS = 2048;

/** The largest side of an exact tile the host sends (a 512×512 float32 tile is 1 MiB). */
export const TILE_MAX_SIDE = 512;

/** A half-open run of token indices [start, end). */
export interface TokenRange {
  start: number;
  end: number;
}

/** Panel → host: the max-pooled overview of one view of a long analysis. */
export interface OverviewRequest {
  type: 'requestOverview';
  view: MatrixView;
}

export interface OverviewReply {
  view: MatrixView;
  /** Tokens in the analysis. */
  n: number;
  /** Tokens per cell side. */
  tile: number;
  /** Cells per side: ceil(n / tile); data is cells × cells, row-major. */
  cells: number;
  /** 'max': each cell the largest weight of its tile×tile tokens (a head, or the max of heads: max commutes);
   *  'mean-of-max': the mean over heads of each head's pooled cell (an upper bound of the mean's max). */
  pooling: 'max' | 'mean-of-max';
  data: Float32Array;
}

/** Panel → host: the exact weights of queries × keys (each side at most TILE_MAX_SIDE tokens). */
export interface TileRequest {
  type: 'requestTile';
  view: MatrixView;
  queries: TokenRange;
  keys: TokenRange;
}

export interface TileReply {
  view: MatrixView;
  queries: TokenRange;
  keys: TokenRange;
  /** (queries.end − queries.start) × (keys.end − keys.start), row-major. */
  data: Float32Array;
}

/** A well-formed range, or undefined (bounds against N and TILE_MAX_SIDE are the host's: it answers why). */
export function parseTokenRange(raw: unknown): TokenRange | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { start, end } = raw as Record<string, unknown>;
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  return ok(start) && ok(end) && start < end ? { start, end } : undefined;
}
