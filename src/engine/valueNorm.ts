// Value-norm attention (Kobayashi et al. 2020, "Attention is not only a weight"): ‖α_ij · f_h(x_j)‖ with
// f_h(x_j) = (x_j W_V + b_V)_h W_O^h, the part of head h's output that token j contributes. Runs in the inference
// worker: it gets the value tensors from the run and reads the output projection's weights itself, by byte range.
// ‖v W_O^h‖² = vᵀ G_h v with G_h = W_O^h W_O^hᵀ (head size²), computed once per layer and kept.
import { readWeight } from './graphWeights';
import type { LayerValueProjection, ProjectionWeight } from './valueProjection';
import type { OutputTensor } from './workerProtocol';

/** Name of the value-norm output that replaces a layer's value tensor in the worker's reply. */
export function valueNormOutputName(probs: string): string {
  return `${probs}#valueNorm`;
}

/** The projection as [in][out] float64 (in = heads · head size, merged-head order), dequantised if stored as integers. */
export function projectionMatrix(p: ProjectionWeight): { w: Float64Array; rows: number; cols: number } {
  const stored = readWeight(p.weight);
  const [d0, d1] = p.weight.dims;
  if (p.dequant) {
    const scale = readWeight(p.dequant.scale);
    const zero = p.dequant.zeroPoint ? readWeight(p.dequant.zeroPoint) : new Float64Array(scale.length);
    const axis = p.dequant.axis < 0 ? p.dequant.axis + 2 : p.dequant.axis;
    for (let k = 0; k < stored.length; k++) {
      const c = scale.length === 1 ? 0 : axis === 0 ? Math.floor(k / d1) : k % d1;
      stored[k] = (stored[k] - zero[c]) * scale[c];
    }
  }
  if (!p.transposed) return { w: stored, rows: d0, cols: d1 };
  const w = new Float64Array(stored.length);
  for (let o = 0; o < d0; o++) for (let i = 0; i < d1; i++) w[i * d0 + o] = stored[o * d1 + i];
  return { w, rows: d1, cols: d0 };
}

/** G_h = W_O^h W_O^hᵀ for every head, [head][d][d], from the [heads·d][out] projection. */
export function projectionGrams(w: Float64Array, rows: number, cols: number, heads: number): Float64Array {
  const d = rows / heads;
  const grams = new Float64Array(heads * d * d);
  for (let h = 0; h < heads; h++) {
    for (let a = 0; a < d; a++) {
      const ra = (h * d + a) * cols;
      for (let b = a; b < d; b++) {
        const rb = (h * d + b) * cols;
        let s = 0;
        for (let o = 0; o < cols; o++) s += w[ra + o] * w[rb + o];
        grams[(h * d + a) * d + b] = s;
        grams[(h * d + b) * d + a] = s;
      }
    }
  }
  return grams;
}

/** α_hij · ‖v_hj W_O^h‖ for one layer; probs [heads][N][N], values [heads][N][d]. */
export function valueNormLayer(probs: Float32Array, values: Float32Array, grams: Float64Array, heads: number, n: number, d: number): Float32Array {
  const out = new Float32Array(heads * n * n);
  const norms = new Float64Array(n);
  for (let h = 0; h < heads; h++) {
    const g = h * d * d;
    for (let j = 0; j < n; j++) {
      const v = (h * n + j) * d;
      let s = 0;
      for (let a = 0; a < d; a++) {
        let row = 0;
        for (let b = 0; b < d; b++) row += grams[g + a * d + b] * values[v + b];
        s += values[v + a] * row;
      }
      norms[j] = Math.sqrt(Math.max(0, s));
    }
    const base = h * n * n;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[base + i * n + j] = probs[base + i * n + j] * norms[j];
  }
  return out;
}

/** Gram matrices per projection weight (by file and byte offset), kept for the worker's life: one model per worker. */
const gramCache = new Map<string, { grams: Float64Array; rows: number }>();

function gramsFor(p: ProjectionWeight, heads: number): { grams: Float64Array; rows: number } {
  const key = `${p.weight.file}\u0000${p.weight.offset}\u0000${heads}`;
  let entry = gramCache.get(key);
  if (!entry) {
    const { w, rows, cols } = projectionMatrix(p);
    if (rows % heads !== 0) throw new Error(`the output projection ${p.weight.name} has ${rows} inputs, not a multiple of ${heads} heads`);
    entry = { grams: projectionGrams(w, rows, cols, heads), rows };
    gramCache.set(key, entry);
  }
  return entry;
}

/**
 * Replaces each layer's value tensor in `outputs` by that layer's value-norm attention (same shape as its attention).
 * Throws with a plain reason when shapes do not fit the [1, heads, N, d] layout.
 */
export function applyValueNorm(outputs: OutputTensor[], layers: LayerValueProjection[]): OutputTensor[] {
  const byName = new Map(outputs.map((o) => [o.name, o]));
  const replaced = new Map<string, OutputTensor>();
  for (const layer of layers) {
    const probs = byName.get(layer.probs);
    const values = byName.get(layer.values);
    if (!probs || !values) throw new Error(`value-norm needs ${layer.probs} and ${layer.values} from the same run`);
    const [, heads, n, n2] = probs.dims;
    const vd = values.dims.length === 3 ? [1, ...values.dims] : values.dims;
    if (probs.dims.length !== 4 || n !== n2 || vd.length !== 4 || vd[1] !== heads || vd[2] !== n) {
      throw new Error(`values ${layer.values} [${values.dims.join(', ')}] do not match attention [${probs.dims.join(', ')}] (expected [1, heads, N, head size])`);
    }
    const d = vd[3];
    const { grams, rows } = gramsFor(layer.projection, heads);
    if (rows !== heads * d) throw new Error(`the output projection ${layer.projection.weight.name} has ${rows} inputs, not ${heads} heads × ${d}`);
    replaced.set(layer.values, { name: valueNormOutputName(layer.probs), dims: probs.dims, data: valueNormLayer(probs.data, values.data, grams, heads, n, d) });
  }
  return outputs.map((o) => replaced.get(o.name) ?? o);
}
