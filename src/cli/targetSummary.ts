// The part of `analyze`'s report about a target (encoder–decoder) or a generated continuation (decoder-only).
import type { AttentionResult, Token } from '../engine/types';

function shown(text: string, t: Token): string {
  return JSON.stringify(t.special || t.end === t.start ? t.text : text.slice(t.start, t.end));
}

/** Mean over heads of a [head][query][key] block with `keys` columns. */
function meanRows(layer: Float32Array, heads: number, queries: number, keys: number): Float32Array {
  const out = new Float32Array(queries * keys);
  for (let h = 0; h < heads; h++) for (let i = 0; i < queries * keys; i++) out[i] += layer[h * queries * keys + i] / heads;
  return out;
}

function strongest(row: Float32Array, k: number): { key: number; weight: number }[] {
  return Array.from(row, (weight, key) => ({ key, weight })).sort((a, b) => b.weight - a.weight || a.key - b.key).slice(0, k);
}

export function formatTargetSummary(r: AttentionResult): string[] {
  if (r.continuation) {
    return ['', `Continuation (greedy, ${r.tokens.length - r.continuation.firstToken} tokens): ${JSON.stringify(r.text.slice(r.continuation.start))}`];
  }
  const target = r.target;
  const decoder = r.model.decoder;
  if (!target || !decoder) return [];
  const t = target.tokens.length;
  const n = r.tokens.length;
  const lines = ['', `Target (${target.generated ? 'generated greedily' : 'given'}): ${JSON.stringify(target.text)}, ${t} decoder input tokens`];
  if (t === 0 || n === 0) return lines;
  const cross = meanRows(target.crossAttention[target.crossAttention.length - 1], decoder.crossHeads, t, n);
  lines.push('Source tokens each target token looks at most (cross-attention, last layer, mean of heads):');
  for (let q = 0; q < Math.min(t, 8); q++) {
    const top = strongest(cross.subarray(q * n, (q + 1) * n), 3).map((k) => `${shown(r.text, r.tokens[k.key])} ${k.weight.toFixed(3)}`);
    lines.push(`  ${shown(target.text, target.tokens[q])} → ${top.join(', ')}`);
  }
  return lines;
}
