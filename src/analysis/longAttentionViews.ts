// The views of a long analysis (LongAttention: rows replayed on demand, no N×N held): exact rows for the editor tints
// and hover card, whole matrices only while they stay small. Pure: no `vscode`. Rollout needs every layer's full
// matrix, so a long analysis does not offer it.
import type { LongAttention } from '../engine/longAttention';
import type { MatrixView } from '../../shared/matrixView';
import { matrixFromRows } from './matrixFromRows';

/** The panel is sent whole matrices up to this many tokens (a 2,048² float32 matrix is 16 MiB). */
export const PANEL_MATRIX_TOKENS = 2048;

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
}
