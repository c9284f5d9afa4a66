import * as assert from 'assert';
import { TokenLocator, tokenDocumentRanges } from '../../../src/analysis/tokenRanges';
import { wordTokens } from '../support/fakeResult';

describe('token ranges in the document', () => {
  // The analysed text starts at document offset 100.
  const tokens = wordTokens('let x = 42;');
  const ranges = tokenDocumentRanges(tokens, 100);

  it('maps token offsets to document offsets and gives special tokens no range', () => {
    assert.strictEqual(ranges[0], undefined);
    assert.deepStrictEqual(ranges[1], { start: 100, end: 103 });
    assert.deepStrictEqual(ranges[4], { start: 108, end: 111 });
    assert.strictEqual(ranges[5], undefined);
  });

  it('finds the token under the cursor, counting the position right after a token', () => {
    const locate = new TokenLocator(ranges);
    assert.strictEqual(locate.at(100), 1);
    assert.strictEqual(locate.at(102), 1);
    assert.strictEqual(locate.at(103), 1); // just after "let", before the space
    assert.strictEqual(locate.at(104), 2);
    assert.strictEqual(locate.at(111), 4);
    assert.strictEqual(locate.at(99), undefined);
    assert.strictEqual(locate.at(112), undefined);
  });

  it('prefers the token starting at the cursor over the one ending there', () => {
    const glued = tokenDocumentRanges(
      [
        { id: 1, text: 'foo', start: 0, end: 3, special: false },
        { id: 2, text: '(', start: 3, end: 4, special: false },
      ],
      0,
    );
    assert.strictEqual(new TokenLocator(glued).at(3), 1);
  });

  it('keeps UTF-16 offsets, so a token after an emoji lands after its surrogate pair', () => {
    const text = '😀 ok';
    const r = tokenDocumentRanges(wordTokens(text), 10);
    assert.deepStrictEqual(r[2], { start: 13, end: 15 });
    assert.strictEqual(text.slice(3, 5), 'ok');
  });
});
