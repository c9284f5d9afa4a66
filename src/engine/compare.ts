// Compares the attention of two analyses (two models or variants on one text; one model on a text before and after an
// edit): per layer × head, the mean Jensen–Shannon distance between the two attention rows of each query. Same text
// and tokens → token by token; otherwise character by character through the exact offsets, over the characters both
// cover (an edit's own characters drop out). Pure math; no I/O.
import { headMatrix } from './attention';
import type { AttentionResult, Token } from './types';

export type Granularity = 'token' | 'character';

export interface HeadDistance {
  layer: number;
  head: number;
  /** Mean over query rows of the Jensen–Shannon distance (base 2, in [0, 1]; 0 = identical); null if no row compares. */
  distance: number | null;
}

export interface Comparison {
  granularity: Granularity;
  heads: HeadDistance[];
  /** Plain sentences about what could not be compared one to one (layer/head counts, text covered). */
  notes: string[];
}

/** A run of characters that lies in token `a` of the first analysis and token `b` of the second. */
export interface Piece {
  start: number;
  end: number;
  a: number;
  b: number;
}

/** True when both analyses cut the text into the same tokens at the same offsets. */
export function sameTokens(a: Token[], b: Token[]): boolean {
  return a.length === b.length && a.every((t, i) => t.start === b[i].start && t.end === b[i].end && t.special === b[i].special && t.text === b[i].text);
}

/** Character → token index for the non-special tokens (−1 where none covers the character). */
function charOwners(tokens: Token[], length: number): Int32Array {
  const owner = new Int32Array(length).fill(-1);
  tokens.forEach((t, i) => {
    if (!t.special) for (let c = t.start; c < t.end && c < length; c++) owner[c] = i;
  });
  return owner;
}

/**
 * Where each character of text `a` is in text `b`: the same place before an edit, shifted by the edit's length after it,
 * nowhere inside it (the longest common prefix and suffix; −1 for edited characters). Identity when the texts match.
 */
export function unchangedCharacters(a: string, b: string): { map: Int32Array; edit?: { start: number; endA: number; endB: number } } {
  const map = new Int32Array(a.length).fill(-1);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  for (let c = 0; c < prefix; c++) map[c] = c;
  for (let c = a.length - suffix; c < a.length; c++) map[c] = c + b.length - a.length;
  return { map, edit: a === b ? undefined : { start: prefix, endA: a.length - suffix, endB: b.length - suffix } };
}

/**
 * The common refinement of two tokenizations: maximal runs of (text `a`) characters owned by one token of each.
 * With two texts, `bText` is the other one and characters are matched through unchangedCharacters().
 */
export function commonPieces(text: string, a: Token[], b: Token[], bText = text): Piece[] {
  const ownerA = charOwners(a, text.length);
  const ownerB = charOwners(b, bText.length);
  const { map } = unchangedCharacters(text, bText);
  const pieces: Piece[] = [];
  for (let c = 0; c < text.length; c++) {
    const tb = map[c] < 0 ? -1 : ownerB[map[c]];
    if (ownerA[c] < 0 || tb < 0) continue;
    const last = pieces[pieces.length - 1];
    if (last && last.end === c && last.a === ownerA[c] && last.b === tb && map[c] - map[c - 1] === 1) last.end++;
    else pieces.push({ start: c, end: c + 1, a: ownerA[c], b: tb });
  }
  return pieces;
}

/** Jensen–Shannon divergence term of one cell, base 2 (summed over cells and square-rooted into the distance). */
function jsTerm(p: number, q: number): number {
  const m = (p + q) / 2;
  let s = 0;
  if (p > 0) s += p * Math.log2(p / m);
  if (q > 0) s += q * Math.log2(q / m);
  return s / 2;
}

/** Mean JS distance over the rows of two N×N matrices over the same tokens. */
export function tokenRowsDistance(ma: Float32Array, mb: Float32Array, n: number): number | null {
  if (n === 0) return null;
  let total = 0;
  for (let q = 0; q < n; q++) {
    let js = 0;
    for (let k = 0; k < n; k++) js += jsTerm(ma[q * n + k], mb[q * n + k]);
    total += Math.sqrt(Math.max(0, js));
  }
  return total / n;
}

/**
 * Mean JS distance over query characters, each model's key weights spread evenly over its token's characters and
 * renormalised over the characters both cover (attention to special tokens has no characters and drops out).
 */
export function characterRowsDistance(ma: Float32Array, na: number, mb: Float32Array, nb: number, pieces: Piece[], charsA: number[], charsB: number[]): number | null {
  let total = 0;
  let weight = 0;
  const pa = new Float64Array(pieces.length);
  const pb = new Float64Array(pieces.length);
  for (const q of pieces) {
    let za = 0;
    let zb = 0;
    pieces.forEach((k, i) => {
      pa[i] = ma[q.a * na + k.a] / charsA[k.a];
      pb[i] = mb[q.b * nb + k.b] / charsB[k.b];
      za += pa[i] * (k.end - k.start);
      zb += pb[i] * (k.end - k.start);
    });
    if (za <= 0 || zb <= 0) continue; // a query whose attention went only to specials: nothing to compare
    let js = 0;
    pieces.forEach((k, i) => (js += (k.end - k.start) * jsTerm(pa[i] / za, pb[i] / zb)));
    total += (q.end - q.start) * Math.sqrt(Math.max(0, js));
    weight += q.end - q.start;
  }
  return weight ? total / weight : null;
}

/** Per-head distances between two analyses of the same text. */
export function compareAttention(a: AttentionResult, b: AttentionResult): Comparison {
  const notes: string[] = [];
  const layers = Math.min(a.attention.length, b.attention.length);
  const heads = Math.min(a.model.heads, b.model.heads);
  if (a.attention.length !== b.attention.length || a.model.heads !== b.model.heads) {
    notes.push(`${a.model.name} has ${a.attention.length} layers × ${a.model.heads} heads and ${b.model.name} ${b.attention.length} × ${b.model.heads}: compared layers 0–${layers - 1} and heads 0–${heads - 1} by index, where both have them.`);
  }
  const token = a.text === b.text && sameTokens(a.tokens, b.tokens);
  const pieces = token ? [] : commonPieces(a.text, a.tokens, b.tokens, b.text);
  /** Characters each token owns: its key weight is spread evenly over them. */
  const count = (tokens: Token[]) => {
    const chars = tokens.map(() => 0);
    for (const t of charOwners(tokens, Math.max(a.text.length, b.text.length))) if (t >= 0) chars[t]++;
    return chars;
  };
  const charsA = token ? [] : count(a.tokens);
  const charsB = token ? [] : count(b.tokens);
  const edit = unchangedCharacters(a.text, b.text).edit;
  if (edit) {
    notes.push(`The texts differ: characters ${edit.start}–${edit.endA} of the first became ${edit.start}–${edit.endB} of the second; compared the unchanged characters around the edit.`);
  }
  if (!token) {
    const covered = pieces.reduce((s, p) => s + p.end - p.start, 0);
    const why = edit ? 'The texts differ' : `The tokenizers differ (${a.tokens.length} vs ${b.tokens.length} tokens)`;
    notes.push(`${why}: compared character by character over the ${covered} characters both cover; attention to special tokens is left out.`);
  }
  const out: HeadDistance[] = [];
  const na = a.tokens.length;
  const nb = b.tokens.length;
  for (let l = 0; l < layers; l++) {
    for (let h = 0; h < heads; h++) {
      const ma = headMatrix(a.attention[l], na, h);
      const mb = headMatrix(b.attention[l], nb, h);
      const distance = token ? tokenRowsDistance(ma, mb, na) : characterRowsDistance(ma, na, mb, nb, pieces, charsA, charsB);
      out.push({ layer: l, head: h, distance });
    }
  }
  return { granularity: token ? 'token' : 'character', heads: out, notes };
}
