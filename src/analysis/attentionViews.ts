// One attention view (a head, a head aggregate, or rollout) of an analysis: whole matrices for the webview, single
// rows for the editor tints. Pure: no `vscode`. Rows are computed directly so a hover never builds an N×N matrix.
import { headMatrix, maxOfHeads, meanOfHeads, rolloutStep } from '../engine/attention';
import type { AttentionResult } from '../engine/types';
import { viewKey, type MatrixView } from '../../shared/matrixView';
import { decoderResultOf, PartViews, type ViewShapeOf } from './partViews';

const CACHED_MATRICES = 8;
/** Rollout rows computed between two yields to the event loop. */
const ROWS_PER_SLICE = 16;

export class AttentionViews {
  readonly n: number;
  private readonly heads: number;
  private readonly matrices = new Map<string, Float32Array>();
  /** Per layer: head mean mixed half-and-half with the identity and row-normalised (the rollout step). */
  private rolloutSteps: Float32Array[] | undefined;
  /** Encoder–decoder with a target: the decoder and cross-attention views (`part`). */
  private readonly parts: PartViews | undefined;

  constructor(private readonly result: AttentionResult) {
    this.n = result.tokens.length;
    this.heads = result.model.heads;
    const withTarget = result.target ? (result as AttentionResult & { target: NonNullable<AttentionResult['target']> }) : undefined;
    this.parts = withTarget && new PartViews(withTarget, new AttentionViews(decoderResultOf(withTarget)));
  }

  /** Rows (queries) and columns (keys) of a view's matrix: N×N, or T×T / T×N for the decoder parts. */
  shape(view: MatrixView): ViewShapeOf {
    return view.part && this.parts ? this.parts.shape(view) : { queries: this.n, keys: this.n };
  }

  /** True when the view's layer/head exist in this analysis. */
  fits(view: MatrixView): boolean {
    if (view.part) return this.parts?.fits(view) ?? false;
    const layers = this.result.attention.length;
    if (view.layer !== undefined && (view.layer < 0 || view.layer >= layers)) return false;
    return !('head' in view) || (view.head >= 0 && view.head < this.heads);
  }

  /** The N×N matrix [query][key] of a view (cached; heads are views into the result, not copies). */
  matrix(view: MatrixView): Float32Array {
    if (view.part) return this.partViews().matrix(view);
    const { n } = this;
    if ('head' in view) return headMatrix(this.result.attention[view.layer], n, view.head);
    const key = viewKey(view);
    const cached = this.matrices.get(key);
    if (cached) {
      this.matrices.delete(key);
      this.matrices.set(key, cached);
      return cached;
    }
    let m: Float32Array;
    if (view.aggregate === 'rollout') {
      m = new Float32Array(n * n);
      for (let q = 0; q < n; q++) m.set(this.row(view, q), q * n);
    } else {
      const layer = this.result.attention[view.layer];
      m = view.aggregate === 'mean' ? meanOfHeads(layer, this.heads, n) : maxOfHeads(layer, this.heads, n);
    }
    return this.remember(key, m);
  }

  /**
   * Like matrix(), but rollout (L·N³ work, about a second at N = 512) yields to the event loop between row batches
   * so the extension host stays responsive; an aborted signal stops it.
   */
  async matrixAsync(view: MatrixView, signal?: AbortSignal): Promise<Float32Array> {
    if (view.part) return this.partViews().matrixAsync(view, signal);
    if (!('aggregate' in view) || view.aggregate !== 'rollout' || this.matrices.has(viewKey(view))) return this.matrix(view);
    const { n } = this;
    const m = new Float32Array(n * n);
    for (let q = 0; q < n; q++) {
      if (q % ROWS_PER_SLICE === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (signal?.aborted) throw new Error('cancelled');
      }
      m.set(this.row(view, q), q * n);
    }
    return this.remember(viewKey(view), m);
  }

  private partViews(): PartViews {
    if (!this.parts) throw new Error('This analysis has no decoder: it was not run with a target text.');
    return this.parts;
  }

  private remember(key: string, m: Float32Array): Float32Array {
    this.matrices.set(key, m);
    if (this.matrices.size > CACHED_MATRICES) this.matrices.delete(this.matrices.keys().next().value!);
    return m;
  }

  /** The weights query `q` gives every key under a view (length N). */
  row(view: MatrixView, q: number): Float32Array {
    if (view.part) return this.partViews().row(view, q);
    const { n, heads } = this;
    const cached = this.matrices.get(viewKey(view));
    if (cached) return cached.subarray(q * n, (q + 1) * n);
    if ('head' in view) return headMatrix(this.result.attention[view.layer], n, view.head).subarray(q * n, (q + 1) * n);
    if (view.aggregate === 'rollout') return this.rolloutRow(view.layer ?? this.result.attention.length - 1, q);
    const layer = this.result.attention[view.layer];
    const out = new Float32Array(n);
    for (let h = 0; h < heads; h++) {
      const base = h * n * n + q * n;
      for (let k = 0; k < n; k++) {
        const v = layer[base + k];
        if (view.aggregate === 'mean') out[k] += v / heads;
        else if (h === 0 || v > out[k]) out[k] = v;
      }
    }
    return out;
  }

  /** Row q of step[upto]·…·step[0] as vector×matrix products: L·N² work instead of L·N³. */
  private rolloutRow(upto: number, q: number): Float32Array {
    const { n } = this;
    const steps = this.steps();
    let v = Float64Array.from(steps[upto].subarray(q * n, (q + 1) * n));
    for (let l = upto - 1; l >= 0; l--) {
      const next = new Float64Array(n);
      const step = steps[l];
      for (let m = 0; m < n; m++) {
        const w = v[m];
        if (w === 0) continue;
        const base = m * n;
        for (let k = 0; k < n; k++) next[k] += w * step[base + k];
      }
      v = next;
    }
    return Float32Array.from(v);
  }

  private steps(): Float32Array[] {
    if (this.rolloutSteps) return this.rolloutSteps;
    const { n, heads } = this;
    this.rolloutSteps = this.result.attention.map((layer) => rolloutStep(layer, heads, n));
    return this.rolloutSteps;
  }
}
