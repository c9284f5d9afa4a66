import * as assert from 'assert';
import { axisLabels, formatWeight, tokenLabel, visibleIndices } from '../../../../webview/common/tokenLabels';

const tok = (text: string, special = false) => ({ text, start: 0, end: special ? 0 : text.length, special });

describe('webview token labels', () => {
  const tokens = [tok('[CLS]', true), tok('hello'), tok('##ing'), tok('[SEP]', true)];

  it('hides special tokens from the axes when asked', () => {
    assert.deepStrictEqual(visibleIndices(tokens, true), [1, 2]);
    assert.deepStrictEqual(visibleIndices(tokens, false), [0, 1, 2, 3]);
    assert.deepStrictEqual(axisLabels(tokens, visibleIndices(tokens, true)), ['hello', '##ing']);
  });

  it('keeps a text of only special tokens visible rather than showing an empty chart', () => {
    assert.deepStrictEqual(visibleIndices([tok('<s>', true), tok('</s>', true)], true), [0, 1]);
  });

  it('makes byte-level and sentencepiece markers and control characters readable', () => {
    assert.strictEqual(tokenLabel('\u0120the'), '␣the');
    assert.strictEqual(tokenLabel('\u2581world'), '␣world');
    assert.strictEqual(tokenLabel('\u010a'), '⏎');
    assert.strictEqual(tokenLabel('\n\n'), '⏎⏎');
    assert.strictEqual(tokenLabel('\t'), '⇥');
    assert.strictEqual(tokenLabel(''), '∅');
    assert.strictEqual(tokenLabel('a'.repeat(40)).length, 16);
  });

  it('formats weights as the percentages the hover card shows', () => {
    assert.strictEqual(formatWeight(0.123456), '12.3%');
    assert.strictEqual(formatWeight(0.0204), '2.04%');
    assert.strictEqual(formatWeight(0.00000001), '<0.01%');
    assert.strictEqual(formatWeight(0), '0%');
    assert.strictEqual(formatWeight(NaN), '—');
  });
});
