// Per-head statistics of one analysis: what each layer × head does on the analysed text, every score with one line
// that says what it measures. Pure math over attention stored [head][query][key]; no I/O, so the extension can run it
// next to the attention (engine side) and send the webview only the rows.
import { argmaxRow, headMatrix } from './attention';
import type { Token } from './types';

export type ScoreName =
  | 'entropy' | 'distance' | 'self' | 'previousToken' | 'sink' | 'punctuation' | 'brackets' | 'identifiers' | 'induction' | 'duplicate';

/** One line per score, as the CLI table and the head finder show it. */
export const SCORE_DESCRIPTIONS: Record<ScoreName, string> = {
  entropy: 'mean entropy of a query\'s attention row, in nats: 0 = one key takes everything, ln(keys) = uniform',
  distance: 'mean attention distance: how many tokens away the attended keys are, weighted by attention',
  self: 'share of queries whose strongest key is the query token itself',
  previousToken: 'share of queries whose strongest key is the token just before (specials excluded on both sides)',
  sink: 'share of attention that goes to the first token and special tokens ([CLS], [SEP], <s>, …)',
  punctuation: 'share of attention that goes to punctuation tokens',
  brackets: 'share of closing ), ], } whose strongest key is the matching opening bracket',
  identifiers: 'share of repeated identifiers whose strongest key is an earlier occurrence of the same identifier',
  induction: 'probe: share of tokens in a repeated random sequence whose strongest key is the token after their previous occurrence',
  duplicate: 'probe: share of tokens in a repeated random sequence whose strongest key is their previous occurrence',
};

/** The order of the scores in tables and JSON. */
export const SCORE_NAMES = Object.keys(SCORE_DESCRIPTIONS) as ScoreName[];

export interface HeadScoreRow {
  layer: number;
  head: number;
  /** `null` where a score does not apply (no bracket pairs in the text; the probe on an encoder). */
  scores: Record<ScoreName, number | null>;
  /** Attention sinks of this head: keys that are the strongest key of more than half of all queries. */
  sinkTokens: number[];
}

/** Per-head results of the repeated-random-tokens probe ([layer][head]), with how it was run. */
export interface RepeatProbeScores {
  /** Length of the random sequence; the model saw it twice in a row. */
  length: number;
  samples: number;
  induction: number[][];
  duplicate: number[][];
}

export interface HeadScoreInput {
  text: string;
  tokens: Token[];
  /** One Float32Array per layer, heads·N·N, [head][query][key]. */
  attention: Float32Array[];
  heads: number;
}

const OPENERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
/** Tokenizer word markers (WordPiece `##`, byte-level BPE `Ġ`, SentencePiece `▁`) are not part of the text. */
const PIECE_MARKERS = /^(##|Ġ|▁)+/;
const PUNCTUATION = /^[\p{P}\p{S}]+$/u;
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
/** Words that repeat because the language says so, not because the code refers back to something. */
const KEYWORDS = new Set(
  ('and as assert async await break case catch class const continue def del do elif else except export extends false False finally ' +
    'for from function global if import in is lambda let new None nonlocal not null of or pass raise return static super switch ' +
    'this throw true True try type typeof undefined var void while with yield').split(' '),
);

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

/** Keys that are the strongest key of more than half of all query rows: attention sinks (Xiao et al. 2023). */
export { sinkColumns } from '../../shared/sinkColumns';

/** True for a token whose text (markers stripped) is only punctuation or symbols. */
export function isPunctuation(token: Token): boolean {
  const text = token.text.replace(PIECE_MARKERS, '');
  return !token.special && text.length > 0 && PUNCTUATION.test(text);
}

/**
 * Repeated identifiers: for each later occurrence of an identifier in the text, its first token (the query) and the
 * tokens of every earlier occurrence (the hits). Identifiers come from the text itself, mapped to tokens through the
 * exact offsets, so it works the same for WordPiece and byte-level BPE.
 */
export function repeatedIdentifiers(text: string, tokens: Token[]): { query: number; earlier: Set<number> }[] {
  const tokensIn = (start: number, end: number) =>
    tokens.map((t, i) => i).filter((i) => !tokens[i].special && tokens[i].start < end && tokens[i].end > start);
  const seen = new Map<string, Set<number>>();
  const out: { query: number; earlier: Set<number> }[] = [];
  for (const m of text.matchAll(IDENTIFIER)) {
    if (m[0].length < 2 || KEYWORDS.has(m[0])) continue;
    const covering = tokensIn(m.index as number, (m.index as number) + m[0].length);
    if (covering.length === 0) continue; // cut off by the token limit
    const earlier = seen.get(m[0]);
    if (earlier && !earlier.has(covering[0])) out.push({ query: covering[0], earlier: new Set(earlier) });
    seen.set(m[0], new Set([...(earlier ?? []), ...covering]));
  }
  return out;
}

/** Mean over `queries` of a row statistic. */
function meanOver(queries: number[], f: (q: number) => number): number {
  let sum = 0;
  for (const q of queries) sum += f(q);
  return queries.length ? sum / queries.length : 0;
}

function shareOfArgmax(matrix: Float32Array, n: number, queries: number[], hit: (q: number, key: number) => boolean): number {
  return meanOver(queries, (q) => (hit(q, argmaxRow(matrix, n, q)) ? 1 : 0));
}

/** Per-row statistics of one head in a single pass over the matrix (bert-base at 512 tokens is 38M cells). */
function rowStatistics(m: Float32Array, n: number, sinkKey: Uint8Array, punctuationKey: Uint8Array) {
  const argmax = new Int32Array(n);
  const entropy = new Float64Array(n);
  const distance = new Float64Array(n);
  const sink = new Float64Array(n);
  const punctuation = new Float64Array(n);
  for (let q = 0; q < n; q++) {
    let best = 0;
    let bestValue = -Infinity;
    let e = 0;
    let d = 0;
    let s = 0;
    let p = 0;
    for (let k = 0, i = q * n; k < n; k++, i++) {
      const w = m[i];
      if (w > bestValue) {
        best = k;
        bestValue = w;
      }
      if (w > 0) e -= w * Math.log(w);
      d += w * (q > k ? q - k : k - q);
      if (sinkKey[k]) s += w;
      if (punctuationKey[k]) p += w;
    }
    argmax[q] = best;
    entropy[q] = e;
    distance[q] = d;
    sink[q] = s;
    punctuation[q] = p;
  }
  return { argmax, entropy, distance, sink, punctuation };
}

/** Every score of every head on the analysed text; `probe` fills induction/duplicate (causal models only). */
export function scoreHeads(input: HeadScoreInput, probe?: RepeatProbeScores): HeadScoreRow[] {
  const { tokens, heads } = input;
  const n = tokens.length;
  const real = tokens.map((_, i) => i).filter((i) => !tokens[i].special);
  const queries = real.length ? real : tokens.map((_, i) => i);
  const prevQueries = previousTokenQueries(tokens);
  const pairs = [...bracketPairs(tokens)];
  const identifiers = repeatedIdentifiers(input.text, tokens);
  const sinkKey = Uint8Array.from(tokens, (t, i) => (i === 0 || t.special ? 1 : 0));
  const punctuationKey = Uint8Array.from(tokens, (t) => (isPunctuation(t) ? 1 : 0));
  const hasPunctuation = punctuationKey.some((x) => x === 1);
  const share = <T>(items: T[], hit: (item: T) => boolean) => (items.length ? items.filter(hit).length / items.length : null);
  const rows: HeadScoreRow[] = [];
  input.attention.forEach((layer, l) => {
    for (let h = 0; h < heads; h++) {
      const r = rowStatistics(headMatrix(layer, n, h), n, sinkKey, punctuationKey);
      const votes = new Uint32Array(n);
      r.argmax.forEach((k) => votes[k]++);
      const scores: Record<ScoreName, number | null> = {
        entropy: meanOver(queries, (q) => r.entropy[q]),
        distance: meanOver(queries, (q) => r.distance[q]),
        self: meanOver(queries, (q) => (r.argmax[q] === q ? 1 : 0)),
        previousToken: share(prevQueries, (q) => r.argmax[q] === q - 1),
        sink: meanOver(queries, (q) => r.sink[q]),
        punctuation: hasPunctuation ? meanOver(queries, (q) => r.punctuation[q]) : null,
        brackets: share(pairs, ([close, open]) => r.argmax[close] === open),
        identifiers: share(identifiers, (id) => id.earlier.has(r.argmax[id.query])),
        induction: probe ? probe.induction[l][h] : null,
        duplicate: probe ? probe.duplicate[l][h] : null,
      };
      const sinkTokens = n < 3 ? [] : [...votes.keys()].filter((k) => votes[k] > n / 2);
      rows.push({ layer: l, head: h, scores, sinkTokens });
    }
  });
  return rows;
}

/**
 * Induction and duplicate-token scores of one probe run over `n` tokens: `prefix` tokens (a BOS, if the model has one),
 * a random sequence of `length` tokens, the same sequence again, then any trailing specials. Argmax shares over the
 * second copy, [layer][head].
 */
export function repeatProbeScores(attention: Float32Array[], heads: number, n: number, prefix: number, length: number): { induction: number[][]; duplicate: number[][] } {
  if (prefix + 2 * length > n) throw new RangeError(`a probe of ${prefix} + 2 × ${length} tokens does not fit in ${n}`);
  const second = Array.from({ length }, (_, t) => prefix + length + t);
  const perHead = (hit: (q: number, k: number) => boolean, queries: number[]) =>
    attention.map((layer) => Array.from({ length: heads }, (_, h) => shareOfArgmax(headMatrix(layer, n, h), n, queries, hit)));
  return {
    // The first token of the second copy has no "token after its previous occurrence" it could already see.
    induction: perHead((q, k) => k === q - length + 1, second.slice(1)),
    duplicate: perHead((q, k) => k === q - length, second),
  };
}
