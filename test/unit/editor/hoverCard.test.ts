import * as assert from 'assert';
import { hoverMarkdown, tokenCell, topAttended } from '../../../src/editor/hoverCard';
import { formatWeight } from '../../../webview/common/tokenLabels';
import { wordTokens } from '../support/fakeResult';

describe('hover card', () => {
  const tokens = wordTokens('the cat sat'); // [CLS] the cat sat [SEP]
  const row = [0.5, 0.1, 0.3, 0.05, 0.05];

  it('lists the most attended tokens, strongest first, without special tokens when hidden', () => {
    assert.deepStrictEqual(topAttended(row, tokens, 2, false).map((t) => t.key), [0, 2]);
    assert.deepStrictEqual(topAttended(row, tokens, 2, true).map((t) => t.key), [2, 1]);
    assert.strictEqual(topAttended(row, tokens, 0, false).length, 0);
  });

  it('renders a markdown table with weights in the panel format and safe token text', () => {
    const md = hoverMarkdown('Layer 1 · Head 2', tokens, 3, topAttended(row, tokens, 2, true));
    assert.ok(md.includes('`sat` (#3) attends most to:'));
    assert.ok(md.includes('| `cat` | 2 | 30.0% |'));
    assert.strictEqual(tokenCell('a|b`'), '`a¦bˋ`');
    // The same number reads the same in the panel's tooltip and in the hover card.
    const small = hoverMarkdown('Layer 1 · Head 2', tokens, 3, [{ key: 1, weight: 0.0204 }]);
    assert.ok(small.includes(`| \`the\` | 1 | ${formatWeight(0.0204)} |`), small);
    assert.strictEqual(formatWeight(0.0204), '2.04%');
    assert.strictEqual(tokenCell(' '), '`␣`');
  });
});
