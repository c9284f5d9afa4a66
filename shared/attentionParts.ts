// Which tokens a view's rows and columns are (source or target), and the views that link the two texts of an
// encoder–decoder analysis: a target token's cross-attention row, a source token's cross-attention column. Pure.
import type { MatrixView, ViewShape } from './matrixView';

/** The analysed (editor) text, or the decoder's target text. */
export type TokenSide = 'source' | 'target';

/** Whose tokens the view's rows (queries) are. */
export function querySide(view: MatrixView): TokenSide {
  return view.part ? 'target' : 'source';
}

/** Whose tokens the view's columns (keys) are. */
export function keySide(view: MatrixView): TokenSide {
  return view.part === 'decoder' ? 'target' : 'source';
}

/**
 * The cross-attention view closest to `view`: its layer and head (or aggregate) where the decoder has them, else
 * the decoder's last layer and the mean of heads. Undefined for a model without a decoder.
 */
export function crossViewFor(view: MatrixView, shape: ViewShape): MatrixView | undefined {
  const decoder = shape.decoder;
  if (!decoder) return undefined;
  if (view.part === 'cross') return view;
  const layer = Math.min(view.layer ?? decoder.layers - 1, decoder.layers - 1);
  if ('head' in view && view.head < decoder.crossHeads) return { layer, head: view.head, part: 'cross' };
  if ('aggregate' in view && view.aggregate === 'max') return { layer, aggregate: 'max', part: 'cross' };
  return { layer, aggregate: 'mean', part: 'cross' };
}

/**
 * The source self-attention view closest to `view` (what editor tints show for a source token while the panel
 * shows a decoder part): the same layer and head where the encoder has them.
 */
export function sourceViewFor(view: MatrixView, shape: ViewShape): MatrixView {
  if (!view.part) return view;
  const layer = Math.min(view.layer ?? shape.layers - 1, shape.layers - 1);
  if ('head' in view) return view.head < shape.heads ? { layer, head: view.head } : { layer, aggregate: 'mean' };
  return view.aggregate === 'rollout' ? { aggregate: 'rollout', layer } : { layer, aggregate: view.aggregate };
}

/** The view whose keys are the source tokens (what the editor can tint): `view` itself, or its cross-attention. */
export function editorViewFor(view: MatrixView, shape: ViewShape): MatrixView {
  return keySide(view) === 'source' ? view : (crossViewFor(view, shape) ?? view);
}
