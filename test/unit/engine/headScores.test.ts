// Head scores on hand-built attention where the right answer is known: each pattern head must score 1 on its own
// pattern and low on the others, sinks must be found, and the probe scores must tell induction from duplicate heads.
import * as assert from 'assert';
import { isPunctuation, repeatedIdentifiers, repeatProbeScores, scoreHeads, sinkColumns } from '../../../src/engine/headScores';
import type { Token } from '../../../src/engine/types';

/** Tokens of `text` split at spaces, [CLS] first and [SEP] last, with exact offsets. */
function tokensOf(text: string): Token[] {
  const out: Token[] = [{ id: 0, text: '[CLS]', start: 0, end: 0, special: true }];
  for (const m of text.matchAll(/\S+/g)) out.push({ id: out.length, text: m[0], start: m.index as number, end: (m.index as number) + m[0].length, special: false });
  out.push({ id: out.length, text: '[SEP]', start: text.length, end: text.length, special: true });
  return out;
}

/** One head whose every row puts all weight on `target(q)`. */
function oneHot(n: number, target: (q: number) => number): Float32Array {
  const m = new Float32Array(n * n);
  for (let q = 0; q < n; q++) m[q * n + Math.max(0, Math.min(n - 1, target(q)))] = 1;
  return m;
}

function layerOf(...heads: Float32Array[]): Float32Array {
  const out = new Float32Array(heads.reduce((s, h) => s + h.length, 0));
  heads.forEach((h, i) => out.set(h, i * h.length));
  return out;
}

describe('head scores', () => {
  const text = 'f ( a , g ( b ) ) ; f ( b )';
  const tokens = tokensOf(text);
  const n = tokens.length;
  const opener = new Map([[8, 6], [9, 2], [14, 12]]); // token index of each ) → its (
  const previous = oneHot(n, (q) => q - 1);
  const self = oneHot(n, (q) => q);
  const brackets = oneHot(n, (q) => opener.get(q) ?? q - 1);
  const sink = oneHot(n, () => 0);
  const rows = scoreHeads({ text, tokens, attention: [layerOf(previous, self, brackets, sink)], heads: 4 });

  it('scores each pattern head 1 on its own pattern', () => {
    assert.deepStrictEqual(rows.map((r) => [r.layer, r.head]), [[0, 0], [0, 1], [0, 2], [0, 3]]);
    assert.strictEqual(rows[0].scores.previousToken, 1);
    assert.strictEqual(rows[1].scores.self, 1);
    assert.strictEqual(rows[2].scores.brackets, 1);
    assert.strictEqual(rows[3].scores.sink, 1);
    assert.strictEqual(rows[0].scores.brackets, 0);
    assert.strictEqual(rows[1].scores.previousToken, 0);
    assert.strictEqual(rows[3].scores.self, 0);
  });

  it('measures entropy and distance: one-hot rows have 0 entropy, previous-token heads distance 1', () => {
    assert.strictEqual(rows[0].scores.entropy, 0);
    assert.ok(Math.abs((rows[0].scores.distance as number) - 1) < 1e-9);
    assert.strictEqual(rows[1].scores.distance, 0);
    const uniform = new Float32Array(n * n).fill(1 / n);
    const [u] = scoreHeads({ text, tokens, attention: [uniform], heads: 1 });
    assert.ok(Math.abs((u.scores.entropy as number) - Math.log(n)) < 1e-5);
    assert.ok(Math.abs((u.scores.sink as number) - 2 / n) < 1e-6, 'uniform attention gives [CLS] and [SEP] 2/N');
  });

  it('finds the sink column and only where most rows look at it', () => {
    assert.deepStrictEqual(rows[3].sinkTokens, [0]);
    assert.deepStrictEqual(rows[0].sinkTokens, []);
    assert.deepStrictEqual(sinkColumns(oneHot(4, (q) => (q < 2 ? 3 : 0)), 4), [], 'two of four rows is not most');
  });

  it('counts punctuation attention and says null where the text has none', () => {
    assert.ok(isPunctuation(tokens[2]) && isPunctuation({ ...tokens[2], text: 'Ġ;' }) && !isPunctuation(tokens[1]));
    const punctuationTarget = oneHot(n, () => 4); // ","
    const [p] = scoreHeads({ text, tokens, attention: [punctuationTarget], heads: 1 });
    assert.strictEqual(p.scores.punctuation, 1);
    const words = tokensOf('a b c');
    const [none] = scoreHeads({ text: 'a b c', tokens: words, attention: [oneHot(5, (q) => q)], heads: 1 });
    assert.strictEqual(none.scores.punctuation, null);
    assert.strictEqual(none.scores.brackets, null, 'no bracket pairs → null');
    assert.strictEqual(none.scores.induction, null, 'no probe → null');
  });

  it('links a repeated identifier to its earlier occurrence, ignoring keywords', () => {
    const code = 'def total ( items ) : return total ( items )';
    const toks = tokensOf(code);
    const found = repeatedIdentifiers(code, toks);
    // total (#2) → #8, items (#4) → #10; "def"/"return" are keywords and appear once anyway
    assert.deepStrictEqual(found.map((f) => [f.query, [...f.earlier]]), [[8, [2]], [10, [4]]]);
    const m = oneHot(toks.length, (q) => (q === 8 ? 2 : q === 10 ? 4 : q));
    assert.strictEqual(scoreHeads({ text: code, tokens: toks, attention: [m], heads: 1 })[0].scores.identifiers, 1);
  });

  it('tells induction heads from duplicate-token heads on a repeated sequence', () => {
    const prefix = 1;
    const length = 5;
    const size = prefix + 2 * length;
    const second = (q: number) => q >= prefix + length;
    const induction = oneHot(size, (q) => (second(q) ? q - length + 1 : 0));
    const duplicate = oneHot(size, (q) => (second(q) ? q - length : 0));
    const scores = repeatProbeScores([layerOf(induction, duplicate)], 2, size, prefix, length);
    assert.deepStrictEqual(scores.induction, [[1, 0]]);
    assert.deepStrictEqual(scores.duplicate, [[0, 1]]);
    assert.throws(() => repeatProbeScores([layerOf(induction)], 1, size, prefix, length + 1), /does not fit/);
  });
});
