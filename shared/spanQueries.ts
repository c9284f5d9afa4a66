// Rows, columns and spans of an attention matrix: what a token or a span attends to (its row; a span's rows
// averaged) and what attends to it (its column; a span's columns summed). The same merge rule as granularity.ts, so
// a span that is exactly one group gives that group's merged row or column. Pure: no vscode, no DOM.

/** "attendsTo": the query's row (where it looks). "attendedBy": the key's column (who looks at it). */
export type QueryDirection = 'attendsTo' | 'attendedBy';

/** Reads row q of an N×N matrix; lets callers compute rows lazily (rollout) instead of building the matrix. */
export type RowReader = (q: number) => ArrayLike<number>;

/** A length-N vector: the mean of the rows of `queries` (what the span attends to). Empty span → all zeros. */
export function attendsTo(readRow: RowReader, n: number, queries: readonly number[]): Float32Array {
  const acc = new Float64Array(n);
  for (const q of queries) {
    const row = readRow(q);
    for (let k = 0; k < n; k++) acc[k] += row[k];
  }
  const out = new Float32Array(n);
  if (queries.length > 0) for (let k = 0; k < n; k++) out[k] = acc[k] / queries.length;
  return out;
}

/** A length-N vector: for every query q, the sum of m[q][k] over the span's keys (how much q attends to the span). */
export function attendedBy(matrix: ArrayLike<number>, n: number, keys: readonly number[]): Float32Array {
  const out = new Float32Array(n);
  for (let q = 0; q < n; q++) {
    const base = q * n;
    let sum = 0;
    for (const k of keys) sum += matrix[base + k];
    out[q] = sum;
  }
  return out;
}

/** The query vector for either direction over a matrix held whole. */
export function spanVector(matrix: ArrayLike<number>, n: number, span: readonly number[], direction: QueryDirection): Float32Array {
  if (direction === 'attendedBy') return attendedBy(matrix, n, span);
  return attendsTo((q) => subarrayOf(matrix, q * n, n), n, span);
}

/**
 * Token indices whose text overlaps [start, end) (offsets into the analysed text). Special tokens and empty pieces
 * have no text and are never in a span. A collapsed range (start === end) picks the token that holds it.
 */
export function tokensInSpan(tokens: readonly { start: number; end: number; special: boolean }[], start: number, end: number): number[] {
  const hits: number[] = [];
  tokens.forEach((t, i) => {
    if (t.special || t.end <= t.start) return;
    const inside = start === end ? t.start <= start && start < t.end : t.start < end && start < t.end;
    if (inside) hits.push(i);
  });
  return hits;
}

/** Sorted unique indices from a drag along an axis between two cells (either order), clamped to 0…n-1. */
export function axisSpan(from: number, to: number, n: number): number[] {
  const a = Math.max(0, Math.min(n - 1, Math.min(from, to)));
  const b = Math.max(0, Math.min(n - 1, Math.max(from, to)));
  const out: number[] = [];
  for (let i = a; i <= b; i++) out.push(i);
  return out;
}

/** The largest value of a vector (for normalising colours: an attended-by column is not bounded by 1). */
export function maxOf(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  return m;
}

function subarrayOf(matrix: ArrayLike<number>, start: number, length: number): ArrayLike<number> {
  const typed = matrix as Float32Array;
  if (typeof typed.subarray === 'function') return typed.subarray(start, start + length);
  return Array.from({ length }, (_, i) => matrix[start + i]);
}
