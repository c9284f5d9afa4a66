// The decoder side of an encoder–decoder analysis as views: the decoder's self-attention (square, T×T, every
// aggregate the encoder has) and the cross-attention (T target queries × N source keys: heads, mean, max). Pure.
import type { AttentionResult, TargetAttention, Token } from '../engine/types';
import { keySide, querySide } from '../../shared/attentionParts';
import { viewKey, type MatrixView } from '../../shared/matrixView';
import type { AttentionViews } from './attentionViews';

/** The decoder's self-attention as a result of its own, so the square views (rollout included) serve it unchanged. */
export function decoderResultOf(result: AttentionResult & { target: TargetAttention }): AttentionResult {
  const decoder = result.model.decoder;
  return {
    ...result,
    model: { ...result.model, layers: result.target.attention.length, heads: decoder?.heads ?? result.model.heads, causal: true },
    text: result.target.text,
    tokens: result.target.tokens,
    attention: result.target.attention,
    valueNormAttention: undefined,
    headScores: undefined,
    target: undefined,
    continuation: undefined,
  };
}

/** Rows and columns of a view's matrix. */
export interface ViewShapeOf {
  queries: number;
  keys: number;
}

export class PartViews {
  private readonly cross: CrossViews;

  constructor(
    result: AttentionResult & { target: TargetAttention },
    readonly decoder: AttentionViews,
  ) {
    this.cross = new CrossViews(result.target.crossAttention, result.model.decoder?.crossHeads ?? result.model.heads, result.target.tokens.length, result.tokens.length);
  }

  fits(view: MatrixView): boolean {
    return view.part === 'cross' ? this.cross.fits(view) : this.decoder.fits(withoutPart(view));
  }

  shape(view: MatrixView): ViewShapeOf {
    const t = this.decoder.n;
    return { queries: t, keys: view.part === 'cross' ? this.cross.keys : t };
  }

  matrix(view: MatrixView): Float32Array {
    return view.part === 'cross' ? this.cross.matrix(view) : this.decoder.matrix(withoutPart(view));
  }

  matrixAsync(view: MatrixView, signal?: AbortSignal): Promise<Float32Array> {
    return view.part === 'cross' ? Promise.resolve(this.cross.matrix(view)) : this.decoder.matrixAsync(withoutPart(view), signal);
  }

  /** Query `q`'s weights: over source keys for cross-attention, over target keys for the decoder. */
  row(view: MatrixView, q: number): Float32Array {
    return view.part === 'cross' ? this.cross.row(view, q) : this.decoder.row(withoutPart(view), q);
  }
}

function withoutPart(view: MatrixView): MatrixView {
  const { part: _part, ...rest } = view;
  return rest as MatrixView;
}

/** Cross-attention, one Float32Array per decoder layer laid out [head][targetQuery][sourceKey]. */
class CrossViews {
  private readonly cached = new Map<string, Float32Array>();

  constructor(
    private readonly layers: Float32Array[],
    private readonly heads: number,
    readonly queries: number,
    readonly keys: number,
  ) {}

  fits(view: MatrixView): boolean {
    if ('aggregate' in view && view.aggregate === 'rollout') return false;
    if (view.layer === undefined || view.layer < 0 || view.layer >= this.layers.length) return false;
    return !('head' in view) || (view.head >= 0 && view.head < this.heads);
  }

  matrix(view: MatrixView): Float32Array {
    const size = this.queries * this.keys;
    const layer = this.layers[view.layer!];
    if ('head' in view) return layer.subarray(view.head * size, (view.head + 1) * size);
    const key = viewKey(view);
    const hit = this.cached.get(key);
    if (hit) return hit;
    const out = new Float32Array(size);
    if (view.aggregate === 'max') out.set(layer.subarray(0, size));
    for (let h = view.aggregate === 'max' ? 1 : 0; h < this.heads; h++) {
      const base = h * size;
      for (let i = 0; i < size; i++) {
        const v = layer[base + i];
        if (view.aggregate === 'mean') out[i] += v / this.heads;
        else if (v > out[i]) out[i] = v;
      }
    }
    this.cached.set(key, out);
    return out;
  }

  row(view: MatrixView, q: number): Float32Array {
    return this.matrix(view).subarray(q * this.keys, (q + 1) * this.keys);
  }
}

/** The tokens of a view's rows and columns: the source's, or the target's for the decoder parts. */
export function viewTokens(result: AttentionResult, view: MatrixView): { queryTokens: Token[]; keyTokens: Token[] } {
  const of = (side: 'source' | 'target') => (side === 'target' && result.target ? result.target.tokens : result.tokens);
  return { queryTokens: of(querySide(view)), keyTokens: of(keySide(view)) };
}
