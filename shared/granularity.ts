// Groups tokens into words, identifiers or lines by their exact UTF-16 offsets, and merges an attention matrix to
// those groups. Merge rule (Clark et al. 2019, "What does BERT look at?"): attention TO a group is the SUM over its
// tokens (the weights a query spreads over the pieces of a word add up), attention FROM a group is the MEAN over its
// tokens (each piece is one query; averaging keeps every merged row summing to 1). Pure: no vscode, no DOM.

export type Granularity = 'tokens' | 'words' | 'identifiers' | 'lines';

export const GRANULARITIES: readonly Granularity[] = ['tokens', 'words', 'identifiers', 'lines'];

/** What grouping needs of a token: its UTF-16 range in the analysed text and whether it is special. */
export interface GroupableToken {
  text: string;
  start: number;
  end: number;
  special: boolean;
}

/** One row/column of a merged view: a run of consecutive tokens. */
export interface TokenGroup {
  /** UTF-16 range in the analysed text covered by the group's tokens (start === end for a special token). */
  start: number;
  end: number;
  /** Token indices, ascending and consecutive. */
  tokens: number[];
  /** The group's text with surrounding whitespace trimmed, or the token piece for a special token. */
  text: string;
  special: boolean;
}

/**
 * VS Code's default word pattern (what `editor.wordSeparators`-free languages use for double-click and
 * word-based suggestions): numbers like `-1.5e3`, or runs of anything that is not a separator or whitespace.
 */
export const DEFAULT_WORD_PATTERN = /(-?\d*\.\d\w*)|([^`~!@#$%^&*()\-=+[{\]}\\|;:'",.<>/?\s]+)/g;

/** A word pattern, or word ranges [start, end) already found in the text (sorted, not overlapping). */
export type WordPattern = RegExp | readonly (readonly [number, number])[];

/** Human name of a granularity for menus and titles. */
export const GRANULARITY_LABELS: Readonly<Record<Granularity, string>> = { tokens: 'Tokens', words: 'Words', identifiers: 'Identifiers', lines: 'Lines' };

/** The merge rule in one sentence, shown next to the granularity picker and in exports. */
export const MERGE_RULE =
  'Merged as in Clark et al. (2019): attention to a group is the sum over its tokens, attention from a group the mean over its tokens.';

/**
 * Groups `tokens` (offsets into `text`) at a granularity. Every token lands in exactly one group and groups keep
 * token order. A token joins the segment (word, identifier, line) holding its first non-whitespace character, so
 * byte-level pieces like `Ġthe` (leading space) join the word they start. Special tokens and tokens with no text
 * stay alone; whitespace-only tokens (indentation) group with their neighbours of the same kind, except in `lines`.
 * `wordPattern` is the language's word pattern for `identifiers` (default: VS Code's default word pattern), or the
 * word ranges already found in `text` (the editor's own word definition, as getWordRangeAtPosition reports it).
 */
export function groupTokens(
  text: string,
  tokens: readonly GroupableToken[],
  granularity: Granularity,
  wordPattern: WordPattern = DEFAULT_WORD_PATTERN,
): TokenGroup[] {
  if (granularity === 'tokens') {
    return tokens.map((t, i) => ({ start: t.start, end: t.end, tokens: [i], text: t.special ? t.text : text.slice(t.start, t.end), special: t.special }));
  }
  const segmentAt = segmentIndexer(text, granularity, wordPattern);
  const groups: TokenGroup[] = [];
  let previousKey: string | undefined;
  tokens.forEach((t, i) => {
    let key: string | undefined;
    if (!t.special && t.end > t.start) {
      const anchor = firstNonSpace(text, t.start, t.end);
      key = anchor === undefined ? (granularity === 'lines' ? `s${segmentAt(t.start)}` : 'space') : `s${segmentAt(anchor)}`;
    }
    const last = groups[groups.length - 1];
    if (key !== undefined && key === previousKey && last) {
      last.tokens.push(i);
      last.end = Math.max(last.end, t.end);
    } else {
      groups.push({ start: t.start, end: t.end, tokens: [i], text: '', special: t.special });
    }
    previousKey = key;
  });
  for (const g of groups) {
    g.text = g.special ? tokens[g.tokens[0]].text : text.slice(g.start, g.end).trim() || text.slice(g.start, g.end);
  }
  return groups;
}

/** For each token index, the index of its group (inverse of `groups[g].tokens`). */
export function groupIndexOfTokens(groups: readonly TokenGroup[], n: number): Int32Array {
  const of = new Int32Array(n).fill(-1);
  groups.forEach((g, gi) => {
    for (const t of g.tokens) of[t] = gi;
  });
  return of;
}

/**
 * Merges an N×N row-major [query][key] matrix to G×G by the rule above: out[a][b] = mean over queries q∈a of the
 * sum over keys k∈b of m[q][k]. O(N²) time, O(N·G) scratch. With one token per group it returns the same values.
 */
export function mergeMatrix(matrix: ArrayLike<number>, n: number, groups: readonly TokenGroup[]): Float32Array {
  const g = groups.length;
  const groupOf = groupIndexOfTokens(groups, n);
  const out = new Float32Array(g * g);
  const rowSums = new Float64Array(g);
  for (let a = 0; a < g; a++) {
    const members = groups[a].tokens;
    rowSums.fill(0);
    for (const q of members) {
      const base = q * n;
      for (let k = 0; k < n; k++) {
        const b = groupOf[k];
        if (b >= 0) rowSums[b] += matrix[base + k];
      }
    }
    for (let b = 0; b < g; b++) out[a * g + b] = rowSums[b] / members.length;
  }
  return out;
}

/** Sums a length-N vector over each group's tokens (the "to" side: a key row or an attends-to vector). */
export function sumByGroup(values: ArrayLike<number>, groups: readonly TokenGroup[]): Float32Array {
  return Float32Array.from(groups, (g) => g.tokens.reduce((s, t) => s + values[t], 0));
}

/** Averages a length-N vector over each group's tokens (the "from" side: an attended-by column). */
export function meanByGroup(values: ArrayLike<number>, groups: readonly TokenGroup[]): Float32Array {
  return Float32Array.from(groups, (g) => g.tokens.reduce((s, t) => s + values[t], 0) / g.tokens.length);
}

function firstNonSpace(text: string, start: number, end: number): number | undefined {
  for (let i = start; i < end && i < text.length; i++) if (!/\s/.test(text[i])) return i;
  return undefined;
}

/** A lookup from a text offset to the index of the segment (word, identifier run, line) that holds it. */
function segmentIndexer(text: string, granularity: Exclude<Granularity, 'tokens'>, wordPattern: WordPattern): (offset: number) => number {
  const starts: number[] = [];
  if (granularity === 'lines') {
    // A line includes its line break, so a newline token belongs to the line it ends.
    starts.push(0);
    for (let i = 0; i < text.length; i++) if (text[i] === '\n' && i + 1 < text.length) starts.push(i + 1);
  } else {
    const spans: [number, number][] = [];
    if (granularity === 'words') {
      for (const m of text.matchAll(/\S+/g)) spans.push([m.index!, m.index! + m[0].length]);
    } else {
      if (wordPattern instanceof RegExp) {
        const pattern = new RegExp(wordPattern.source, wordPattern.flags.includes('g') ? wordPattern.flags : `${wordPattern.flags}g`);
        for (const m of text.matchAll(pattern)) if (m[0].length > 0) spans.push([m.index!, m.index! + m[0].length]);
      } else {
        for (const [s, e] of wordPattern) if (e > s) spans.push([s, e]);
      }
      // Runs of punctuation between identifiers (`(`, `=>`, `.`) are groups of their own.
      const gaps: [number, number][] = [];
      let at = 0;
      for (const [s, e] of [...spans, [text.length, text.length] as [number, number]]) {
        for (const m of text.slice(at, s).matchAll(/\S+/g)) gaps.push([at + m.index!, at + m.index! + m[0].length]);
        at = e;
      }
      spans.push(...gaps);
      spans.sort((x, y) => x[0] - y[0]);
    }
    // Each segment starts a new index; whitespace after a segment maps to it but is never an anchor.
    for (const [s] of spans) starts.push(s);
    if (starts.length === 0) starts.push(0);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}
