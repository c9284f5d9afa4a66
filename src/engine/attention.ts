// Pure math over attention stored as Float32Array [head][query][key] (row-major). No I/O, no `vscode`.

/** The N×N matrix of one head, as a view (no copy) into the layer's array. */
export function headMatrix(layer: Float32Array, n: number, head: number): Float32Array {
  return layer.subarray(head * n * n, (head + 1) * n * n);
}

/** Element-wise mean over heads: the layer's average attention. */
export function meanOfHeads(layer: Float32Array, heads: number, n: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let h = 0; h < heads; h++) {
    const base = h * n * n;
    for (let i = 0; i < n * n; i++) out[i] += layer[base + i];
  }
  for (let i = 0; i < n * n; i++) out[i] /= heads;
  return out;
}

/** Element-wise max over heads: where any head looks. */
export function maxOfHeads(layer: Float32Array, heads: number, n: number): Float32Array {
  const out = new Float32Array(n * n);
  out.set(layer.subarray(0, n * n));
  for (let h = 1; h < heads; h++) {
    const base = h * n * n;
    for (let i = 0; i < n * n; i++) if (layer[base + i] > out[i]) out[i] = layer[base + i];
  }
  return out;
}

/**
 * One layer's step of attention rollout (Abnar & Zuidema 2020): the head-mean mixed with the identity for the
 * residual path, rows renormalised. Rollout to layer L multiplies the steps of layers L…0.
 */
export function rolloutStep(layer: Float32Array, heads: number, n: number): Float32Array {
  const a = meanOfHeads(layer, heads, n);
  for (let q = 0; q < n; q++) {
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const v = 0.5 * a[q * n + k] + (q === k ? 0.5 : 0);
      a[q * n + k] = v;
      sum += v;
    }
    if (sum > 0) for (let k = 0; k < n; k++) a[q * n + k] /= sum;
  }
  return a;
}

/** The `k` keys a query attends to most, strongest first. */
export function topKeys(matrix: Float32Array, n: number, query: number, k: number): { key: number; weight: number }[] {
  const row = Array.from(matrix.subarray(query * n, (query + 1) * n), (weight, key) => ({ key, weight }));
  row.sort((a, b) => b.weight - a.weight || a.key - b.key);
  return row.slice(0, Math.max(0, k));
}

/** Mean over queries of the strongest weight in the row: 1 = every query looks at one key, 1/N = uniform. */
export function headFocus(matrix: Float32Array, n: number, queries?: number[]): number {
  const qs = queries ?? Array.from({ length: n }, (_, i) => i);
  if (qs.length === 0) return 0;
  let sum = 0;
  for (const q of qs) {
    let max = 0;
    for (let k = 0; k < n; k++) if (matrix[q * n + k] > max) max = matrix[q * n + k];
    sum += max;
  }
  return sum / qs.length;
}

/** Mean Shannon entropy (nats) of the query rows: low = focused, ln N = uniform. */
export function headEntropy(matrix: Float32Array, n: number): number {
  let total = 0;
  for (let q = 0; q < n; q++) {
    let h = 0;
    for (let k = 0; k < n; k++) {
      const p = matrix[q * n + k];
      if (p > 0) h -= p * Math.log(p);
    }
    total += h;
  }
  return n ? total / n : 0;
}

/** Share of queries (among `queries`, default 1…N-1) whose strongest key is the token just before them. */
export function previousTokenScore(matrix: Float32Array, n: number, queries?: number[]): number {
  const qs = queries ?? Array.from({ length: Math.max(0, n - 1) }, (_, i) => i + 1);
  if (qs.length === 0) return 0;
  let hits = 0;
  for (const q of qs) if (q > 0 && argmaxRow(matrix, n, q) === q - 1) hits++;
  return hits / qs.length;
}

/** Index of the strongest key in a query's row (lowest index on ties). */
export function argmaxRow(matrix: Float32Array, n: number, query: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let k = 0; k < n; k++) {
    const v = matrix[query * n + k];
    if (v > bestValue) {
      bestValue = v;
      best = k;
    }
  }
  return best;
}
