// Attention sinks (Xiao et al. 2023): keys that take the strongest weight of more than half of all query rows.
// Shared: the engine's head scores and the panel's sink markers use the same rule. Pure.

/** Keys that are the strongest key of more than half of the N rows of a row-major N×N matrix (none below 3 tokens). */
export function sinkColumns(matrix: Float32Array, n: number): number[] {
  if (n < 3) return [];
  const votes = new Uint32Array(n);
  for (let q = 0; q < n; q++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let k = 0, i = q * n; k < n; k++, i++) {
      if (matrix[i] > bestValue) {
        bestValue = matrix[i];
        best = k;
      }
    }
    votes[best]++;
  }
  const sinks: number[] = [];
  votes.forEach((v, k) => {
    if (v > n / 2) sinks.push(k);
  });
  return sinks;
}
