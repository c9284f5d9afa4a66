// Which attention matrix is shown: one head or an aggregate of a layer, its cache key and its label. Pure.

/**
 * Which attention of an encoder–decoder model a view shows: absent = the model's own (encoder) self-attention,
 * `decoder` = the decoder's causal self-attention over the target, `cross` = target queries over source keys.
 */
export type AttentionPart = 'decoder' | 'cross';

/** One attention matrix the webview can ask for. `layer` and `head` are 0-based. */
export type MatrixView = (
  /** One head of one layer. */
  | { layer: number; head: number }
  /** Element-wise mean or max over the heads of one layer. */
  | { layer: number; aggregate: 'mean' | 'max' }
  /** Attention rollout through layers 0…layer (all layers when `layer` is omitted). */
  | { aggregate: 'rollout'; layer?: number }
) & { part?: AttentionPart };

/** The shape a view is checked against: the encoder's (or only) layers and heads, and the decoder's when there is one. */
export interface ViewShape {
  layers: number;
  heads: number;
  decoder?: { layers: number; heads: number; crossHeads: number };
}

/** True when the view's layer/head exist in a model of this shape. */
export function viewFitsModel(view: MatrixView, model: ViewShape): boolean {
  let { layers, heads } = model;
  if (view.part) {
    if (!model.decoder) return false;
    // Rollout multiplies square matrices: the cross-attention (target × source) has none.
    if (view.part === 'cross' && 'aggregate' in view && view.aggregate === 'rollout') return false;
    layers = model.decoder.layers;
    heads = view.part === 'cross' ? model.decoder.crossHeads : model.decoder.heads;
  }
  if (view.layer !== undefined && view.layer >= layers) return false;
  return !('head' in view) || view.head < heads;
}

/** A stable cache key for a view ("L3H5", "L3mean", "rollout", "rollout@L3"; "dec:…" and "cross:…" for the decoder). */
export function viewKey(view: MatrixView): string {
  const prefix = view.part ? `${view.part === 'cross' ? 'cross' : 'dec'}:` : '';
  if ('head' in view) return `${prefix}L${view.layer}H${view.head}`;
  if (view.aggregate === 'rollout') return prefix + (view.layer === undefined ? 'rollout' : `rollout@L${view.layer}`);
  return `${prefix}L${view.layer}${view.aggregate}`;
}

/** Human label for a view ("Layer 4 · Head 6", "Layer 4 · mean of heads", "Rollout"), 1-based for people. */
export function describeView(view: MatrixView): string {
  const prefix = view.part === 'cross' ? 'Cross-attention · ' : view.part === 'decoder' ? 'Decoder · ' : '';
  if ('head' in view) return `${prefix}Layer ${view.layer + 1} · Head ${view.head + 1}`;
  if (view.aggregate === 'rollout') return prefix + (view.layer === undefined ? 'Rollout' : `Rollout to layer ${view.layer + 1}`);
  return `${prefix}Layer ${view.layer + 1} · ${view.aggregate} of heads`;
}
