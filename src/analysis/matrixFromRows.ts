// An N×N matrix built one row at a time, yielding to the event loop between batches so the extension host stays
// responsive (rollout rows; a long analysis's replayed rows); an aborted signal stops it.

/** Rows computed between two yields to the event loop. */
const ROWS_PER_SLICE = 16;

export async function matrixFromRows(n: number, row: (q: number) => Float32Array, signal?: AbortSignal): Promise<Float32Array> {
  const m = new Float32Array(n * n);
  for (let q = 0; q < n; q++) {
    if (q % ROWS_PER_SLICE === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw new Error('cancelled');
    }
    m.set(row(q), q * n);
  }
  return m;
}
