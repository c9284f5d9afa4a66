// Attention rollout (Abnar & Zuidema 2020) as whole-matrix products in float64, written apart from the engine's
// row-by-row code so the tests compare two independent computations.
export function rolloutReference(layers: Float32Array[], heads: number, n: number, uptoLayer = layers.length - 1): Float64Array {
  let acc: Float64Array | null = null;
  for (let l = 0; l <= uptoLayer; l++) {
    const a = new Float64Array(n * n);
    for (let q = 0; q < n; q++) {
      let sum = 0;
      for (let k = 0; k < n; k++) {
        let mean = 0;
        for (let h = 0; h < heads; h++) mean += layers[l][h * n * n + q * n + k];
        const v = 0.5 * (mean / heads) + (q === k ? 0.5 : 0);
        a[q * n + k] = v;
        sum += v;
      }
      if (sum > 0) for (let k = 0; k < n; k++) a[q * n + k] /= sum;
    }
    if (!acc) {
      acc = a;
      continue;
    }
    const next = new Float64Array(n * n);
    for (let q = 0; q < n; q++)
      for (let m = 0; m < n; m++) for (let k = 0; k < n; k++) next[q * n + k] += a[q * n + m] * acc[m * n + k];
    acc = next;
  }
  return acc ?? new Float64Array(n * n);
}
