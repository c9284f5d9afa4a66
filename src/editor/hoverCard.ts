// The hover card's table of most-attended tokens. Pure: returns markdown text, no `vscode`.
import { formatWeight } from '../../shared/formatWeight';
import type { Token } from '../engine/types';

export interface AttendedToken {
  key: number;
  weight: number;
}

/** The `k` keys with the largest weights in `row`, strongest first, skipping special tokens when asked. */
export function topAttended(row: ArrayLike<number>, tokens: readonly Pick<Token, 'special'>[], k: number, hideSpecialTokens: boolean): AttendedToken[] {
  const keys: AttendedToken[] = [];
  for (let key = 0; key < tokens.length; key++) if (!(hideSpecialTokens && tokens[key].special)) keys.push({ key, weight: row[key] });
  keys.sort((a, b) => b.weight - a.weight || a.key - b.key);
  return keys.slice(0, Math.max(0, k));
}

/** Token text safe inside a markdown table cell (code span without backticks or pipes, visible whitespace). */
export function tokenCell(text: string): string {
  const visible = text.replace(/\n/g, '⏎').replace(/\t/g, '⇥').replace(/\|/g, '¦').replace(/`/g, 'ˋ');
  return visible.trim() === '' ? '`␣`' : `\`${visible}\``;
}

export function hoverMarkdown(viewLabel: string, tokens: readonly Pick<Token, 'text' | 'special'>[], query: number, top: readonly AttendedToken[], attendedBy = false): string {
  const lines = [
    `**Attention Lens** · ${viewLabel}`,
    '',
    `${tokenCell(tokens[query].text)} (#${query}) ${attendedBy ? 'is attended most by' : 'attends most to'}:`,
    '',
    '| Token | # | Weight |',
    '|---|--:|--:|',
    ...top.map((t) => `| ${tokenCell(tokens[t.key].text)} | ${t.key} | ${formatWeight(t.weight)} |`),
  ];
  return lines.join('\n');
}
