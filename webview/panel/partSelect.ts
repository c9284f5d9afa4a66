// The part select of an encoder–decoder analysis: the encoder's self-attention, the decoder's, or the cross-attention
// (target tokens looking at source tokens). Hidden for models with one part.
import type { AttentionPart, MatrixView } from '../../shared/matrixView';
import type { InitMessage } from '../../shared/messages';
import { setOptions } from './panelDom';

export type PartValue = 'encoder' | AttentionPart;

export function createPartSelect(): HTMLElement & { value: string } {
  const s = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  s.dataset.testid = 'part-select';
  s.setAttribute('aria-label', 'Which attention: encoder, decoder or cross-attention');
  s.title = 'Which attention: encoder self-attention, decoder self-attention, or cross-attention (target → source)';
  s.hidden = true;
  return s;
}

/** Shows the select (with `view`'s part chosen) when the analysis has a target, hides it otherwise. */
export function fillPartSelect(select: HTMLElement & { value: string }, init: InitMessage, view: MatrixView): void {
  select.hidden = !init.target;
  if (!init.target) return;
  setOptions(
    select,
    [
      { value: 'encoder', label: 'Encoder (source → source)' },
      { value: 'decoder', label: 'Decoder (target → target)' },
      { value: 'cross', label: 'Cross-attention (target → source)' },
    ],
    partValue(view),
  );
}

export function partValue(view: MatrixView): PartValue {
  return view.part ?? 'encoder';
}

/** The part chosen in the select, to add to a view (undefined: the encoder). */
export function selectedPart(select: HTMLElement & { value: string }): AttentionPart | undefined {
  return !select.hidden && (select.value === 'decoder' || select.value === 'cross') ? select.value : undefined;
}
