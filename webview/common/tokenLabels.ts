// Which tokens are shown and how their text reads on an axis. Pure, unit-tested.
import type { WebviewToken } from '../../shared/messages';

/** Indices of the tokens to show: all, or all but the special ones when `hideSpecialTokens` (never empty if any exist). */
export function visibleIndices(tokens: readonly WebviewToken[], hideSpecialTokens: boolean): number[] {
  const all = tokens.map((_, i) => i);
  if (!hideSpecialTokens) return all;
  const shown = all.filter((i) => !tokens[i].special);
  // A text of only special tokens still shows something rather than an empty chart.
  return shown.length > 0 ? shown : all;
}

const MAX_LABEL = 16;

/** Axis text for a token piece: byte-level/sentencepiece space markers and control characters made visible. */
export function tokenLabel(piece: string): string {
  let s = piece
    .replace(/^[\u0120\u2581]/, '␣')
    .replace(/[\u010a\n]/g, '⏎')
    .replace(/\r/g, '')
    .replace(/[\u0109\t]/g, '⇥')
    .replace(/[\u0120\u2581]/g, ' ');
  if (s.length === 0) s = '∅';
  return s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s;
}

/** Axis labels, one per visible token, in order. */
export function axisLabels(tokens: readonly WebviewToken[], indices: readonly number[]): string[] {
  return indices.map((i) => tokenLabel(tokens[i].text));
}

/** Weights read the same in the panel as in the editor's hover card. */
export { formatWeight } from '../../shared/formatWeight';
