// Text formats for exports. Pure: no `vscode`.
import type { Token } from '../engine/types';
import { float32Text } from '../cli/writeResultJson';

/** Quotes a CSV field when it holds a separator, quote or line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Row/column label of a token: its index and text, so repeated pieces stay distinguishable. */
export function csvTokenLabel(token: Token, index: number): string {
  return `${index}:${token.text}`;
}

/**
 * The matrix [query][key] as CSV (keys = the queries' tokens unless given: cross-attention has source keys): a header of key labels, then one row per query starting with its label.
 * Weights are written as the shortest decimal that reads back as the same float32.
 */
export function matrixCsv(tokens: readonly Token[], matrix: Float32Array, keyTokens: readonly Token[] = tokens): string {
  const n = keyTokens.length;
  const labels = tokens.map((t, i) => csvField(csvTokenLabel(t, i)));
  const keyLabels = keyTokens.map((t, i) => csvField(csvTokenLabel(t, i)));
  const lines = [['query\\key', ...keyLabels].join(',')];
  for (let q = 0; q < tokens.length; q++) {
    const cells = new Array<string>(n);
    for (let k = 0; k < n; k++) cells[k] = float32Text(matrix[q * n + k]);
    lines.push(`${labels[q]},${cells.join(',')}`);
  }
  return lines.join('\r\n') + '\r\n';
}

/** A file name stem from a label: letters, digits, dot, dash and underscore only. */
export function safeFileStem(label: string): string {
  const stem = label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return stem || 'attention';
}
