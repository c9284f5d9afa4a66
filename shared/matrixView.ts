// Which attention matrix is shown: one head or an aggregate of a layer, its cache key and its label. Pure.

/** One attention matrix the webview can ask for. `layer` and `head` are 0-based. */
export type MatrixView =
  /** One head of one layer. */
  | { layer: number; head: number }
  /** Element-wise mean or max over the heads of one layer. */
  | { layer: number; aggregate: 'mean' | 'max' }
  /** Attention rollout through layers 0…layer (all layers when `layer` is omitted). */
  | { aggregate: 'rollout'; layer?: number };


/** True when the view's layer/head exist in a model of this shape. */
export function viewFitsModel(view: MatrixView, model: { layers: number; heads: number }): boolean {
  if (view.layer !== undefined && view.layer >= model.layers) return false;
  return !('head' in view) || view.head < model.heads;
}

/** A stable cache key for a view ("L3H5", "L3mean", "rollout", "rollout@L3"). */
export function viewKey(view: MatrixView): string {
  if ('head' in view) return `L${view.layer}H${view.head}`;
  if (view.aggregate === 'rollout') return view.layer === undefined ? 'rollout' : `rollout@L${view.layer}`;
  return `L${view.layer}${view.aggregate}`;
}

/** Human label for a view ("Layer 4 · Head 6", "Layer 4 · mean of heads", "Rollout"), 1-based for people. */
export function describeView(view: MatrixView): string {
  if ('head' in view) return `Layer ${view.layer + 1} · Head ${view.head + 1}`;
  if (view.aggregate === 'rollout') return view.layer === undefined ? 'Rollout' : `Rollout to layer ${view.layer + 1}`;
  return `Layer ${view.layer + 1} · ${view.aggregate} of heads`;
}
