// Per-head statistics over an analysis: how focused each head is, and how well it matches known patterns
// (previous token, matching brackets). Pure math, shared by the CLI demo and whatever ranks heads.
import { argmaxRow, headFocus, headMatrix, previousTokenScore } from './attention';
import type { AttentionResult, Token } from './types';

const OPENERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Closing bracket token → its opening bracket token, for properly nested (), [], {} tokens. */
export function bracketPairs(tokens: Token[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    if (t.special) return;
    if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(i);
    else if (t.text in OPENERS) {
      const open = stack[stack.length - 1];
      if (open !== undefined && tokens[open].text === OPENERS[t.text]) pairs.set(i, stack.pop() as number);
      else stack.length = 0; // mismatched: brackets inside strings or a cut selection; stop trusting the stack
    }
  });
  return pairs;
}

/** Share of closing brackets whose strongest key is their opening bracket. */
export function bracketScore(matrix: Float32Array, n: number, pairs: Map<number, number>): number {
  if (pairs.size === 0) return 0;
  let hits = 0;
  for (const [close, open] of pairs) if (argmaxRow(matrix, n, close) === open) hits++;
  return hits / pairs.size;
}

/** Queries whose token and previous token are both real text (specials excluded on both sides). */
export function previousTokenQueries(tokens: Token[]): number[] {
  return tokens.map((_, i) => i).filter((i) => i > 0 && !tokens[i].special && !tokens[i - 1].special);
}

export interface HeadScores {
  layer: number;
  head: number;
  focus: number;
  previousToken: number;
  brackets: number;
}

/** Focus, previous-token and bracket scores of every head. */
export function scoreHeads(r: AttentionResult): HeadScores[] {
  const n = r.tokens.length;
  const real = r.tokens.map((_, i) => i).filter((i) => !r.tokens[i].special);
  const prevQueries = previousTokenQueries(r.tokens);
  const pairs = bracketPairs(r.tokens);
  const scores: HeadScores[] = [];
  r.attention.forEach((layer, l) => {
    for (let h = 0; h < r.model.heads; h++) {
      const m = headMatrix(layer, n, h);
      scores.push({ layer: l, head: h, focus: headFocus(m, n, real), previousToken: previousTokenScore(m, n, prevQueries), brackets: bracketScore(m, n, pairs) });
    }
  });
  return scores;
}
