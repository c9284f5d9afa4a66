// Text shortening that never splits a user-perceived character (emoji with skin tones, flags, combining accents).
// Pure: Intl.Segmenter exists in Node ≥ 16 and every webview's Chromium.

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` cut to at most `max` graphemes, ending with `…` when cut (the ellipsis counts as one). */
export function truncateGraphemes(text: string, max: number): string {
  if (max <= 0) return '';
  // Fast path: a string of at most `max` UTF-16 units has at most `max` graphemes.
  if (text.length <= max) return text;
  const parts: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    if (parts.length === max) {
      parts[max - 1] = '…';
      return parts.join('');
    }
    parts.push(segment);
  }
  return parts.join('');
}

/** Words of a label: runs of whitespace become one space, ends trimmed. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "main.ts: the quick brown…": file name and the first `max` graphemes of the analysed text. */
export function analysisLabel(fileName: string, text: string, max = 32): string {
  return `${fileName}: ${truncateGraphemes(collapseWhitespace(text), max + 1)}`;
}
