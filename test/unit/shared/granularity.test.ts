import * as assert from 'assert';
import fc from 'fast-check';
import { groupIndexOfTokens, groupTokens, meanByGroup, mergeMatrix, sumByGroup, type GroupableToken } from '../../../shared/granularity';
import { attendedBy, attendsTo, axisSpan, spanVector, tokensInSpan } from '../../../shared/spanQueries';

/** Tokens at the given [start, end) pieces of `text`, with [CLS]/[SEP] around them. */
function tokensOf(text: string, pieces: [number, number][]): GroupableToken[] {
  return [
    { text: '[CLS]', start: 0, end: 0, special: true },
    ...pieces.map(([s, e]) => ({ text: text.slice(s, e), start: s, end: e, special: false })),
    { text: '[SEP]', start: text.length, end: text.length, special: true },
  ];
}

/** A row-stochastic random matrix. */
function randomMatrix(n: number, seed: number): Float32Array {
  let x = seed;
  const m = new Float32Array(n * n);
  for (let q = 0; q < n; q++) {
    let sum = 0;
    for (let k = 0; k < n; k++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      m[q * n + k] = (x % 1000) + 1;
      sum += m[q * n + k];
    }
    for (let k = 0; k < n; k++) m[q * n + k] /= sum;
  }
  return m;
}

describe('granularity: words, identifiers, lines', () => {
  // "fib on acci" as BERT pieces: fib ##on ##acci; then "(n)" and a new line.
  const text = 'def fibonacci(n):\n    return n';
  const pieces: [number, number][] = [[0, 3], [4, 7], [7, 9], [9, 13], [13, 14], [14, 15], [15, 16], [16, 17], [17, 18], [22, 28], [29, 30]];
  const tokens = tokensOf(text, pieces);

  it('keeps one group per token at token granularity', () => {
    const groups = groupTokens(text, tokens, 'tokens');
    assert.strictEqual(groups.length, tokens.length);
    assert.deepStrictEqual(groups[2].tokens, [2]);
  });

  it('joins subword pieces into whitespace-separated words', () => {
    const groups = groupTokens(text, tokens, 'words');
    assert.deepStrictEqual(groups.map((g) => g.text), ['[CLS]', 'def', 'fibonacci(n):', '\n', 'return', 'n', '[SEP]']);
    assert.deepStrictEqual(groups[2].tokens, [2, 3, 4, 5, 6, 7, 8]);
  });

  it('splits identifiers from punctuation with the language word pattern', () => {
    const groups = groupTokens(text, tokens, 'identifiers');
    assert.deepStrictEqual(groups.map((g) => g.text), ['[CLS]', 'def', 'fibonacci', '(', 'n', '):', '\n', 'return', 'n', '[SEP]']);
    // A pattern that counts hyphens as part of a word (CSS, Lisp) keeps `a-b` together.
    const css = 'a-b c';
    const cssTokens = tokensOf(css, [[0, 1], [1, 2], [2, 3], [4, 5]]);
    assert.deepStrictEqual(groupTokens(css, cssTokens, 'identifiers', /[\w-]+/g).map((g) => g.text), ['[CLS]', 'a-b', 'c', '[SEP]']);
    assert.deepStrictEqual(groupTokens(css, cssTokens, 'identifiers').map((g) => g.text), ['[CLS]', 'a', '-', 'b', 'c', '[SEP]']);
    // Word ranges found by the editor's own word definition work the same way.
    assert.deepStrictEqual(groupTokens(css, cssTokens, 'identifiers', [[0, 3], [4, 5]]).map((g) => g.text), ['[CLS]', 'a-b', 'c', '[SEP]']);
  });

  it('groups by line, the line break belonging to the line it ends', () => {
    const groups = groupTokens(text, tokens, 'lines');
    assert.deepStrictEqual(groups.map((g) => g.text), ['[CLS]', 'def fibonacci(n):', 'return n', '[SEP]']);
    assert.deepStrictEqual(groups[1].tokens, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('attaches byte-level pieces with a leading space to the word they start, by UTF-16 offsets (emoji)', () => {
    const t = 'say 👋🏽 hi';
    // GPT-2 style: "say", " 👋🏽" split in two byte pieces, " hi".
    const toks = tokensOf(t, [[0, 3], [3, 6], [6, 8], [8, 11]]);
    const groups = groupTokens(t, toks, 'words');
    assert.deepStrictEqual(groups.map((g) => g.text), ['[CLS]', 'say', '👋🏽', 'hi', '[SEP]']);
    assert.deepStrictEqual(groups[2].tokens, [2, 3]);
  });

  it('puts every token in exactly one group, in order, for any text and tokenisation', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '.', '_', '(') , maxLength: 40 }), fc.array(fc.nat(), { maxLength: 30 }), fc.constantFrom('words', 'identifiers', 'lines', 'tokens') as fc.Arbitrary<'words'>, (text, cuts, g) => {
        const points = [...new Set([0, text.length, ...cuts.map((c) => c % (text.length + 1))])].sort((a, b) => a - b);
        const pieces: [number, number][] = [];
        for (let i = 0; i + 1 < points.length; i++) pieces.push([points[i], points[i + 1]]);
        const toks = tokensOf(text, pieces);
        const groups = groupTokens(text, toks, g);
        assert.deepStrictEqual(groups.flatMap((x) => x.tokens), toks.map((_, i) => i));
        const of = groupIndexOfTokens(groups, toks.length);
        assert.ok(of.every((x) => x >= 0));
      }),
    );
  });
});

describe('granularity: the merge rule', () => {
  const text = 'ab cd';
  const tokens = tokensOf(text, [[0, 1], [1, 2], [3, 5]]);
  const groups = groupTokens(text, tokens, 'words'); // [CLS] | a b | cd | [SEP]
  const n = tokens.length;

  it('sums attention to a group and averages attention from a group (Clark et al. 2019)', () => {
    const m = randomMatrix(n, 7);
    const merged = mergeMatrix(m, n, groups);
    const g = groups.length;
    assert.strictEqual(g, 4);
    // From "ab" (tokens 1, 2) to "cd" (token 3): mean over the two query rows of the one key.
    assert.ok(Math.abs(merged[1 * g + 2] - (m[1 * n + 3] + m[2 * n + 3]) / 2) < 1e-6);
    // From "cd" to "ab": sum over the two keys.
    assert.ok(Math.abs(merged[2 * g + 1] - (m[3 * n + 1] + m[3 * n + 2])) < 1e-6);
    // Rows stay distributions.
    for (let a = 0; a < g; a++) {
      let sum = 0;
      for (let b = 0; b < g; b++) sum += merged[a * g + b];
      assert.ok(Math.abs(sum - 1) < 1e-5, `row ${a} sums to ${sum}`);
    }
  });

  it('returns the matrix unchanged at token granularity', () => {
    const m = randomMatrix(n, 3);
    assert.deepStrictEqual(Array.from(mergeMatrix(m, n, groupTokens(text, tokens, 'tokens'))), Array.from(m));
  });

  it('agrees with span queries: a group\'s merged row and column are its span vectors merged', () => {
    const m = randomMatrix(n, 11);
    const merged = mergeMatrix(m, n, groups);
    const g = groups.length;
    const row = sumByGroup(spanVector(m, n, groups[1].tokens, 'attendsTo'), groups);
    const col = meanByGroup(spanVector(m, n, groups[1].tokens, 'attendedBy'), groups);
    for (let b = 0; b < g; b++) {
      assert.ok(Math.abs(row[b] - merged[1 * g + b]) < 1e-6);
      assert.ok(Math.abs(col[b] - merged[b * g + 1]) < 1e-6);
    }
  });
});

describe('rows, columns and spans', () => {
  const m = new Float32Array([0.5, 0.5, 0, 0.2, 0.3, 0.5, 0.1, 0.1, 0.8]);
  it('a token attends to its row; a span to the mean of its rows', () => {
    const row = (q: number) => m.subarray(q * 3, q * 3 + 3);
    assert.deepStrictEqual(Array.from(attendsTo(row, 3, [1])), Array.from(m.subarray(3, 6)));
    const span = attendsTo(row, 3, [1, 2]);
    assert.ok(Math.abs(span[2] - 0.65) < 1e-6);
    assert.deepStrictEqual(Array.from(attendsTo(row, 3, [])), [0, 0, 0]);
  });

  it('a token is attended by its column; a span by the sum of its columns', () => {
    assert.deepStrictEqual(Array.from(attendedBy(m, 3, [0])), Array.from(Float32Array.from([0.5, 0.2, 0.1])));
    const s = attendedBy(m, 3, [1, 2]);
    assert.ok(Math.abs(s[0] - 0.5) < 1e-6 && Math.abs(s[1] - 0.8) < 1e-6 && Math.abs(s[2] - 0.9) < 1e-6);
  });

  it('finds the tokens under an editor selection and along a dragged axis', () => {
    const toks = [
      { start: 0, end: 0, special: true },
      { start: 0, end: 3, special: false },
      { start: 3, end: 5, special: false },
      { start: 6, end: 9, special: false },
    ];
    assert.deepStrictEqual(tokensInSpan(toks, 2, 7), [1, 2, 3]);
    assert.deepStrictEqual(tokensInSpan(toks, 5, 6), []);
    assert.deepStrictEqual(tokensInSpan(toks, 4, 4), [2]);
    assert.deepStrictEqual(axisSpan(5, 2, 4), [2, 3]);
  });
});
