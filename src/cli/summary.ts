// The readable report `analyze` prints when no --json file is asked for.
import { headFocus, headMatrix, meanOfHeads, topKeys } from '../engine/attention';
import type { AttentionResult, Token } from '../engine/types';
import { formatTargetSummary } from './targetSummary';

/** A token as the reader wrote it (byte-level pieces like "Ã©" are unreadable), specials by name. */
function show(r: AttentionResult, t: Token): string {
  return JSON.stringify(t.special || t.end === t.start ? t.text : r.text.slice(t.start, t.end));
}

export function formatSummary(r: AttentionResult): string {
  const m = r.model;
  const n = r.tokens.length;
  const lines = [
    `Model: ${m.name} (${m.modelType}, ${m.layers} layers × ${m.heads} heads, ${m.causal ? 'causal' : 'bidirectional'}, up to ${m.maxTokens} tokens)`,
    `Tokens: ${n}${r.truncated ? ` (text cut to characters ${r.coveredRange.start}–${r.coveredRange.end} of ${r.text.length})` : ''}`,
    `Time: tokenize ${r.timings.tokenizeMs.toFixed(1)} ms, run ${r.timings.runMs.toFixed(1)} ms`,
  ];
  if (r.memoryLimitNote) lines.push(r.memoryLimitNote);
  if (r.unknownTokensNote) lines.push(r.unknownTokensNote);
  if (n === 0) return lines.join('\n');
  lines.push('', 'Most focused head per layer (mean of each row\'s strongest weight):');
  r.attention.forEach((layer, l) => {
    let best = 0;
    let bestFocus = -1;
    for (let h = 0; h < m.heads; h++) {
      const f = headFocus(headMatrix(layer, n, h), n);
      if (f > bestFocus) [best, bestFocus] = [h, f];
    }
    lines.push(`  layer ${l}: head ${best} (focus ${bestFocus.toFixed(3)})`);
  });
  const last = meanOfHeads(r.attention[r.attention.length - 1], m.heads, n);
  const queries = r.tokens.map((t, i) => ({ t, i })).filter(({ t }) => !t.special).slice(0, 5);
  lines.push('', `Top attended tokens, last layer, mean of heads:`);
  for (const { t, i } of queries) {
    const top = topKeys(last, n, i, 3).map((k) => `${show(r, r.tokens[k.key])} ${k.weight.toFixed(3)}`);
    lines.push(`  ${show(r, t)} → ${top.join(', ')}`);
  }
  lines.push(...formatTargetSummary(r));
  return lines.join('\n');
}
