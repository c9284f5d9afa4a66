// The language's own identifiers in a stretch of a document: VS Code exposes a language's word pattern only through
// getWordRangeAtPosition, so this walks the text asking it, skipping to the end of each word it finds.
import type * as vscode from 'vscode';

/** Word ranges [start, end) relative to `start` (document offsets start…end). */
export function languageWordSpans(document: vscode.TextDocument, start: number, end: number): [number, number][] {
  const text = document.getText().slice(start, end);
  const spans: [number, number][] = [];
  let at = 0;
  while (at < text.length) {
    if (/\s/.test(text[at])) {
      at++;
      continue;
    }
    const word = document.getWordRangeAtPosition(document.positionAt(start + at));
    const ws = word ? document.offsetAt(word.start) - start : -1;
    const we = word ? document.offsetAt(word.end) - start : -1;
    if (word && we > at && ws <= at) {
      spans.push([Math.max(0, ws), Math.min(text.length, we)]);
      at = we;
    } else at++;
  }
  return spans;
}
