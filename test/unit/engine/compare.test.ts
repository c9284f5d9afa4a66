// Jensen–Shannon comparison of two analyses: zero for the same attention, one for disjoint attention, and the
// character-level path through the offsets sees "ab" as one token and "a" + "b" as two as the same thing.
import * as assert from 'assert';
import * as path from 'path';
import { AttentionEngine } from '../../../src/engine/analyze';
import { commonPieces, compareAttention, unchangedCharacters } from '../../../src/engine/compare';
import { MODELS, tempDir } from './helpers';
import type { AttentionResult, Token } from '../../../src/engine/types';

function result(name: string, text: string, tokens: Token[], attention: number[][], heads = 1): AttentionResult {
  return {
    model: { name, folder: '', onnxFile: '', modelType: 'test', layers: 1, heads, causal: false, maxTokens: 64, vocabSize: 10 },
    text,
    tokens,
    attention: [Float32Array.from(attention.flat())],
    truncated: false,
    coveredRange: { start: 0, end: text.length },
    timings: { tokenizeMs: 0, runMs: 0, totalMs: 0 },
  };
}

const tok = (text: string, start: number, special = false): Token => ({ id: 0, text, start, end: special ? start : start + text.length, special });

describe('attention comparison', () => {
  const text = 'ab c';
  const one = [tok('[CLS]', 0, true), tok('ab', 0), tok('c', 3)];
  const two = [tok('a', 0), tok('b', 1), tok('c', 3)];

  it('is zero for identical attention and one for disjoint attention, token by token', () => {
    const m = [[0.5, 0.25, 0.25], [0, 1, 0], [0.2, 0.3, 0.5]];
    const same = compareAttention(result('x', text, one, m), result('y', text, one, m));
    assert.strictEqual(same.granularity, 'token');
    assert.deepStrictEqual(same.heads, [{ layer: 0, head: 0, distance: 0 }]);
    const left = [[1, 0, 0], [1, 0, 0], [1, 0, 0]];
    const right = [[0, 0, 1], [0, 0, 1], [0, 0, 1]];
    const disjoint = compareAttention(result('x', text, one, left), result('y', text, one, right));
    assert.ok(Math.abs((disjoint.heads[0].distance as number) - 1) < 1e-12);
  });

  it('cuts the text into the pieces both tokenizations agree on', () => {
    assert.deepStrictEqual(commonPieces(text, one, two), [
      { start: 0, end: 1, a: 1, b: 0 },
      { start: 1, end: 2, a: 1, b: 1 },
      { start: 3, end: 4, a: 2, b: 2 },
    ]);
  });

  it('compares different tokenizers character by character: the same focus split over pieces is no difference', () => {
    // Model one: "ab" attends to itself, "c" to "ab". Model two: "a" and "b" spread evenly over "a" and "b"; "c" too.
    const a = result('one', text, one, [[1, 0, 0], [0, 1, 0], [0, 1, 0]]);
    const b = result('two', text, two, [[0.5, 0.5, 0], [0.5, 0.5, 0], [0.5, 0.5, 0]]);
    const c = compareAttention(a, b);
    assert.strictEqual(c.granularity, 'character');
    assert.ok((c.heads[0].distance as number) < 1e-12, `distance ${c.heads[0].distance}`);
    assert.match(c.notes.join(' '), /tokenizers differ .* character by character over the 3 characters both cover/);
    const moved = compareAttention(a, result('two', text, two, [[0, 0, 1], [0, 0, 1], [0, 0, 1]]));
    assert.ok(Math.abs((moved.heads[0].distance as number) - 1) < 1e-12);
  });

  it('compares only the layers and heads both models have, and says so', () => {
    const m = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    const twoHeads = result('wide', text, one, [...m, ...m], 2);
    const c = compareAttention(twoHeads, result('narrow', text, one, m));
    assert.strictEqual(c.heads.length, 1);
    assert.match(c.notes[0], /wide has 1 layers × 2 heads and narrow 1 × 1: compared layers 0–0 and heads 0–0/);
  });

  it('maps the characters around an edit to their new places', () => {
    const { map, edit } = unchangedCharacters('he said hi', 'she said hi');
    assert.deepStrictEqual(edit, { start: 0, endA: 0, endB: 1 });
    assert.deepStrictEqual(Array.from(map), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepStrictEqual(Array.from(unchangedCharacters('a cat sat', 'a dog sat').map), [0, 1, -1, -1, -1, 5, 6, 7, 8]);
  });

  it('compares one model on a text before and after an edit: the unchanged characters only, and says so', async function () {
    this.timeout(60000);
    const engine = await AttentionEngine.open(path.join(MODELS, 'bert'), { cacheDir: tempDir('compare-edit') });
    try {
      const before = await engine.analyze('the doctor said he would call');
      const after = await engine.analyze('the doctor said she would call');
      const c = compareAttention(before, after);
      assert.strictEqual(c.granularity, 'character');
      assert.match(c.notes.join(' '), /The texts differ: characters 16–16 of the first became 16–17 of the second/);
      assert.ok(c.heads.every((h) => h.distance !== null && h.distance > 0 && h.distance < 1), 'a one-word swap moves attention, but not all of it');
      const same = compareAttention(before, await engine.analyze('the doctor said he would call'));
      assert.ok(same.heads.every((h) => h.distance === 0));
    } finally {
      await engine.dispose();
    }
  });
});
