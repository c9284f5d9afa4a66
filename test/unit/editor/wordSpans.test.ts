import * as assert from 'assert';
import type * as vscode from 'vscode';
import { languageWordSpans } from '../../../src/editor/wordSpans';
import { groupTokens } from '../../../shared/granularity';

/** A one-line document whose word definition is `pattern` (what getWordRangeAtPosition applies). */
function fakeDocument(text: string, pattern: RegExp): vscode.TextDocument {
  const pos = (offset: number) => ({ line: 0, character: offset }) as vscode.Position;
  return {
    getText: () => text,
    positionAt: pos,
    offsetAt: (p: vscode.Position) => p.character,
    getWordRangeAtPosition: (p: vscode.Position) => {
      for (const m of text.matchAll(new RegExp(pattern.source, 'g'))) {
        if (m.index! <= p.character && p.character <= m.index! + m[0].length) return { start: pos(m.index!), end: pos(m.index! + m[0].length) } as vscode.Range;
      }
      return undefined;
    },
  } as unknown as vscode.TextDocument;
}

describe("identifiers from the language's word definition", () => {
  it('finds the words the editor would select, relative to the analysed range', () => {
    const doc = fakeDocument('x = my-var.count(a_b)', /[\w-]+/);
    assert.deepStrictEqual(languageWordSpans(doc, 4, 21), [[0, 6], [7, 12], [13, 16]]);
  });

  it('groups tokens into those identifiers', () => {
    const text = 'my-var.count';
    const doc = fakeDocument(text, /[\w-]+/);
    const tokens = [[0, 2], [2, 3], [3, 6], [6, 7], [7, 12]].map(([start, end]) => ({ text: text.slice(start, end), start, end, special: false }));
    const groups = groupTokens(text, tokens, 'identifiers', languageWordSpans(doc, 0, text.length));
    assert.deepStrictEqual(groups.map((g) => g.text), ['my-var', '.', 'count']);
  });
});
