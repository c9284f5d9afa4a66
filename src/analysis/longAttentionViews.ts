// The views of a long analysis (LongAttention: rows replayed on demand, no N×N held): exact rows for the editor tints
// and hover card, whole matrices only while they stay small. Pure: no `vscode`. Rollout needs every layer's full
// matrix, so a long analysis does not offer it.
import type { LongAttention } from '../engine/longAttention';
import type { MatrixView } from '../../shared/matrixView';
import { PANEL_MATRIX_TOKENS, TILE_MAX_SIDE, type OverviewReply, type TileReply, type TokenRange } from '../../shared/longMessages';
import { matrixFromRows } from './matrixFromRows';

export { PANEL_MATRIX_TOKENS };

export class LongAttentionViews {
  readonly n: number;

  constructor(private readonly result: LongAttention) {
    this.n = result.tokens.length;
  }

  /** True when the layer/head exist; rollout never does here (it multiplies every layer's full matrix). */
  fits(view: MatrixView): boolean {
    // No decoder parts: the long path analyses one text (a target or continuation is refused before it runs).
    if (view.part) return false;
    if (!('head' in view) && view.aggregate === 'rollout') return false;
    const { layers, heads } = this.result.model;
    if (view.layer === undefined || view.layer < 0 || view.layer >= layers) return false;
    return !('head' in view) || (view.head >= 0 && view.head < heads);
  }

  /** Queries × keys of a view: always N × N here (no decoder parts). */
  shape(_view: MatrixView): { queries: number; keys: number } {
    return { queries: this.n, keys: this.n };
  }

  /** The exact weights query `q` gives every key under a head, or the mean/max of the layer's heads (length N). */
  row(view: MatrixView, q: number): Float32Array {
    if (!this.fits(view) || view.layer === undefined) throw new RangeError('rollout is not available for a long analysis');
    if ('head' in view) return this.result.row(view.layer, view.head, q);
    const heads = this.result.model.heads;
    const out = new Float32Array(this.n);
    for (let h = 0; h < heads; h++) {
      const row = this.result.row(view.layer, h, q);
      for (let k = 0; k < this.n; k++) {
        if (view.aggregate === 'mean') out[k] += row[k] / heads;
        else if (h === 0 || row[k] > out[k]) out[k] = row[k];
      }
    }
    return out;
  }

  /** The N×N matrix of a view, replayed row by row (yielding), while N ≤ PANEL_MATRIX_TOKENS. */
  async matrixAsync(view: MatrixView, signal?: AbortSignal): Promise<Float32Array> {
    const { n } = this;
    if (n > PANEL_MATRIX_TOKENS) {
      throw new Error(`This analysis has ${n.toLocaleString('en-US')} tokens; whole matrices are drawn and exported up to ${PANEL_MATRIX_TOKENS.toLocaleString('en-US')}. Hover or click a token in the editor for its exact attention row, or select less text.`);
    }
    return matrixFromRows(n, (q) => this.row(view, q), signal);
  }

  /** The max-pooled overview of a view: a head's own cells, the max of heads (exact: max commutes), or their mean. */
  overview(view: MatrixView): OverviewReply {
    const layer = this.checked(view);
    const { tile, cells, layers } = this.result.overview;
    const size = cells * cells;
    const all = layers[layer];
    if ('head' in view) return { view, n: this.n, tile, cells, pooling: 'max', data: all.slice(view.head * size, (view.head + 1) * size) };
    const heads = this.result.model.heads;
    const data = new Float32Array(size);
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < size; i++) {
        const v = all[h * size + i];
        if (view.aggregate === 'mean') data[i] += v / heads;
        else if (h === 0 || v > data[i]) data[i] = v;
      }
    }
    return { view, n: this.n, tile, cells, pooling: view.aggregate === 'mean' ? 'mean-of-max' : 'max', data };
  }

  /** Exact weights of queries × keys (each side at most TILE_MAX_SIDE): the zoomed window of the panel. */
  tile(view: MatrixView, queries: TokenRange, keys: TokenRange): TileReply {
    const layer = this.checked(view);
    const inside = (r: TokenRange) => Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.start < r.end && r.end <= this.n && r.end - r.start <= TILE_MAX_SIDE;
    if (!inside(queries) || !inside(keys)) {
      throw new RangeError(`A tile must lie within tokens 0–${this.n} and span at most ${TILE_MAX_SIDE} tokens a side; zoom in further.`);
    }
    if ('head' in view) return { view, queries, keys, data: this.result.tile(layer, view.head, queries, keys) };
    const width = keys.end - keys.start;
    const data = new Float32Array((queries.end - queries.start) * width);
    for (let q = queries.start; q < queries.end; q++) data.set(this.row(view, q).subarray(keys.start, keys.end), (q - queries.start) * width);
    return { view, queries, keys, data };
  }

  private checked(view: MatrixView): number {
    if (!this.fits(view) || view.layer === undefined) throw new RangeError('rollout is not available for a long analysis');
    return view.layer;
  }
}
