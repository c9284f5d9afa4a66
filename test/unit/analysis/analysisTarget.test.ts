import * as assert from 'assert';
import { chooseTarget } from '../../../src/analysis/analysisTarget';

describe('what Show Attention analyses', () => {
  const visible = { start: 0, end: 29 };
  const visibleText = '  let a = 1;\n\n  return a;\n   ';

  it('takes the selection when there is one', () => {
    assert.deepStrictEqual(chooseTarget({ start: 2, end: 9 }, { start: 0, end: 12, text: '  let a = 1;' }, visible, visibleText), {
      range: { start: 2, end: 9 },
      reason: 'selection',
    });
  });

  it('falls back to the cursor line without its indentation', () => {
    assert.deepStrictEqual(chooseTarget({ start: 5, end: 5 }, { start: 0, end: 12, text: '  let a = 1;' }, visible, visibleText), {
      range: { start: 2, end: 12 },
      reason: 'line',
    });
  });

  it('falls back to the visible text on a blank line, and to nothing when that is blank too', () => {
    assert.deepStrictEqual(chooseTarget({ start: 13, end: 13 }, { start: 13, end: 13, text: '' }, visible, visibleText), {
      range: { start: 2, end: 25 },
      reason: 'visible',
    });
    assert.strictEqual(chooseTarget({ start: 0, end: 0 }, { start: 0, end: 2, text: '  ' }, { start: 0, end: 3 }, ' \n '), undefined);
  });
});
