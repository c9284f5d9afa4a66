// Exact attention rows from a layer's queries and keys: scores = q·Kᵀ, then the graph's own scale and mask steps,
// then softmax, in double precision. Costs heads·N·d per row; nothing of size N² is ever held.
import type { ScoreChain } from './queryKeyReplay';

export interface Tensor {
  dims: number[];
  data: Float32Array;
}

/**
 * The keys: the MatMul's own input [1, heads or 1, d, N], or grouped-query keys before the graph repeats them
 * [1, kv heads, N, d], query head h reading key head floor(h / (heads / kv)) ('blocked', transformers' repeat_kv) or
 * h mod kv ('interleaved').
 */
export type KeyTensor = { layout: 'transposed'; tensor: Tensor } | { layout: 'grouped'; tensor: Tensor; mapping: 'blocked' | 'interleaved' };

/** How a mask step is replayed: no effect (all ones attention mask, bidirectional) or causal (key > query masked). */
export type MaskChoice = 'none' | 'causal';

/** A tensor broadcast against [1, heads, Nq, Nk]: value at (head, query, key). */
function broadcastReader(t: Tensor): (h: number, q: number, k: number) => number {
  const dims = [1, 1, 1, 1, ...t.dims].slice(-4);
  const strides = [0, 0, 0, 0];
  let s = 1;
  for (let a = 3; a >= 0; a--) {
    strides[a] = dims[a] === 1 ? 0 : s;
    s *= dims[a];
  }
  const [, sh, sq, sk] = strides;
  return (h, q, k) => t.data[h * sh + q * sq + k * sk];
}

/** The replay of one layer's attention. */
export class LayerReplay {
  readonly heads: number;
  readonly n: number;
  readonly headDim: number;
  private readonly keyHeadOf: (head: number) => number;
  private readonly scales: ({ kind: 'Mul' | 'Div'; at: (h: number, q: number, k: number) => number; constant?: number } | { mask: MaskChoice; fill?: (h: number, q: number, k: number) => number })[] = [];

  constructor(
    chain: ScoreChain,
    private readonly query: Tensor,
    private readonly keys: KeyTensor,
    operands: Map<string, Tensor>,
    masks: MaskChoice[],
  ) {
    const [, heads, n, d] = query.dims;
    this.heads = heads;
    this.n = n;
    this.headDim = d;
    const keyHeads = keys.tensor.dims[1];
    const group = heads / keyHeads;
    this.keyHeadOf = keys.layout === 'transposed' ? (h) => (keyHeads === 1 ? 0 : h) : keys.mapping === 'blocked' ? (h) => Math.floor(h / group) : (h) => h % keyHeads;
    let m = 0;
    for (const step of chain.steps) {
      if (step.op === 'scale') {
        const operand = operands.get(step.operand) as Tensor;
        this.scales.push({ kind: step.kind, at: broadcastReader(operand), constant: operand.data.length === 1 ? operand.data[0] : undefined });
      }
      else if (step.op === 'addMask') this.scales.push({ mask: masks[m++] });
      else if (step.op === 'whereMask') this.scales.push({ mask: masks[m++], fill: broadcastReader(operands.get(step.fill) as Tensor) });
    }
  }

  /** Why these tensors cannot be replayed as [1,H,N,d] · [1,H|1,d,N] (or grouped [1,kv,N,d]), or undefined. */
  static shapeProblem(query: Tensor, keys: KeyTensor, n: number): string | undefined {
    const [b, h, nq, d] = query.dims;
    if (query.dims.length !== 4 || b !== 1 || nq !== n) return `queries have shape [${query.dims.join(', ')}], not [1, heads, ${n}, d]`;
    const dims = keys.tensor.dims;
    if (keys.layout === 'grouped') {
      const [kb, kv, kn, kd] = dims;
      if (dims.length !== 4 || kb !== 1 || kn !== n || kd !== d || h % kv !== 0) return `grouped keys have shape [${dims.join(', ')}], not [1, kv heads dividing ${h}, ${n}, ${d}]`;
      return undefined;
    }
    const [kb, kh, kd, kn] = dims;
    if (dims.length !== 4 || kb !== 1 || kd !== d || kn !== n || (kh !== h && kh !== 1)) return `keys have shape [${dims.join(', ')}], not [1, ${h}, ${d}, ${n}]`;
    return undefined;
  }

  /** Number of mask steps (each replayed as 'none' or 'causal'). */
  static maskSteps(chain: ScoreChain): number {
    return chain.steps.filter((s) => s.op === 'addMask' || s.op === 'whereMask').length;
  }

  /** The exact attention of `query` (a token index) over every key, in head `head`. */
  row(head: number, query: number, out = new Float32Array(this.n)): Float32Array {
    const { n, headDim: d } = this;
    const scores = new Float64Array(n);
    const qBase = (head * n + query) * d;
    const kBase = this.keyHeadOf(head) * d * n;
    const keys = this.keys.tensor.data;
    if (this.keys.layout === 'transposed') {
      for (let j = 0; j < d; j++) {
        const a = this.query.data[qBase + j];
        if (a === 0) continue;
        const kr = kBase + j * n;
        for (let k = 0; k < n; k++) scores[k] += a * keys[kr + k];
      }
    } else {
      const q = new Float64Array(this.query.data.subarray(qBase, qBase + d));
      for (let k = 0; k < n; k++) {
        const kr = kBase + k * d;
        let acc = 0;
        for (let j = 0; j < d; j++) acc += q[j] * keys[kr + j];
        scores[k] = acc;
      }
    }
    for (const s of this.scales) {
      if ('kind' in s && s.constant !== undefined) {
        const c = s.constant;
        if (s.kind === 'Mul') for (let k = 0; k < n; k++) scores[k] *= c;
        else for (let k = 0; k < n; k++) scores[k] /= c;
      } else if ('kind' in s) {
        for (let k = 0; k < n; k++) scores[k] = s.kind === 'Mul' ? scores[k] * s.at(head, query, k) : scores[k] / s.at(head, query, k);
      } else if (s.mask === 'causal') {
        for (let k = query + 1; k < n; k++) scores[k] = s.fill ? s.fill(head, query, k) : -Infinity;
      }
    }
    let max = -Infinity;
    for (let k = 0; k < n; k++) if (scores[k] > max) max = scores[k];
    let sum = 0;
    for (let k = 0; k < n; k++) sum += scores[k] = Math.exp(scores[k] - max);
    for (let k = 0; k < n; k++) out[k] = scores[k] / sum;
    return out;
  }
}

/** Largest |replay − expected| over every row of every head; `expected` is [heads][N][N] (the probe's attention). */
export function replayError(layer: LayerReplay, expected: Float32Array): number {
  const { heads, n } = layer;
  let worst = 0;
  const row = new Float32Array(n);
  for (let h = 0; h < heads; h++) {
    for (let q = 0; q < n; q++) {
      layer.row(h, q, row);
      for (let k = 0; k < n; k++) {
        const diff = Math.abs(row[k] - expected[(h * n + q) * n + k]);
        if (Number.isNaN(diff)) return Infinity;
        if (diff > worst) worst = diff;
      }
    }
  }
  return worst;
}

/** Every combination of mask choices for `steps` mask steps, 'none' first. */
export function maskChoices(steps: number): MaskChoice[][] {
  let out: MaskChoice[][] = [[]];
  for (let i = 0; i < steps; i++) out = out.flatMap((c) => [[...c, 'none' as MaskChoice], [...c, 'causal' as MaskChoice]]);
  return out;
}
