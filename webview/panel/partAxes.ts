// Whose tokens the shown matrix has on each axis: the analysed (source) text for the encoder, the target text for
// the decoder's queries and keys. Every place that indexes the matrix asks here for its stride and its axes.
import { keySide, querySide, type TokenSide } from '../../shared/attentionParts';
import type { MatrixView } from '../../shared/matrixView';
import type { InitMessage, WebviewToken } from '../../shared/messages';

/** The tokens of one side of an analysis (the target's only when the analysis has one). */
export function tokensOf(init: InitMessage, side: TokenSide): WebviewToken[] {
  return side === 'target' && init.target ? init.target.tokens : init.tokens;
}

/** Rows of a view's matrix (query tokens). */
export function queryCount(init: InitMessage, view: MatrixView): number {
  return tokensOf(init, querySide(view)).length;
}

/** Columns of a view's matrix (key tokens): the stride of its rows. */
export function keyCount(init: InitMessage, view: MatrixView): number {
  return tokensOf(init, keySide(view)).length;
}

/** Views with the same axes share rows, columns and labels ("source×source", "target×source", "target×target"). */
export function axesOf(view: MatrixView): string {
  return `${querySide(view)}×${keySide(view)}`;
}

/** Layers and heads the selects offer for a view's part. */
export function partShape(init: InitMessage, view: MatrixView): { layers: number; heads: number } {
  const decoder = init.model.decoder;
  if (!view.part || !decoder) return { layers: init.model.layers, heads: init.model.heads };
  return { layers: decoder.layers, heads: view.part === 'cross' ? decoder.crossHeads : decoder.heads };
}
