// CSV and JSON exports of the current view or of every layer and head, always carrying their provenance (source
// text, file, range, model id/revision/sha256, product version), the granularity and the merge rule. Written
// through writeFileAtomically; everything is streamed because the full tensor as text runs to hundreds of MB.
import { headMatrix } from '../engine/attention';
import type { AttentionResult } from '../engine/types';
import { float32Text } from '../cli/writeResultJson';
import { mergeMatrix, MERGE_RULE, type Granularity, type TokenGroup } from '../../shared/granularity';
import type { Write } from './atomicFile';
import { csvField } from './exportFormats';
import type { ExportProvenance } from './exportMetadata';
import type { SessionResult } from '../analysis/analysisSession';

/** What an export holds: the view on screen, or every layer × head. */
export type ExportScope = 'view' | 'all';

export const SCOPE_TEXT: Record<ExportScope, string> = {
  view: 'the current view only',
  all: 'every layer and head',
};

/** Lines before the CSV table: always this many, so `pandas.read_csv(f, skiprows=CSV_HEADER_LINES)` works. */
export const CSV_HEADER_LINES = 8;

export interface ExportContent {
  provenance: ExportProvenance;
  granularity: Granularity;
  groups: readonly TokenGroup[];
}

/** "12:fibonacci": the row/column label of a group, index first so repeated text stays distinguishable. */
export function groupLabel(group: TokenGroup, index: number): string {
  return `${index}:${group.text}`;
}

function csvHeader(c: ExportContent, scope: ExportScope, view: string): string[] {
  const p = c.provenance;
  const lines = [
    `# Attention Lens ${p.product.version} export of ${SCOPE_TEXT[scope]}; ${CSV_HEADER_LINES} header lines, each value JSON`,
    `# file: ${JSON.stringify(p.source.file)}`,
    `# range: ${JSON.stringify(p.source.range)}`,
    `# text: ${JSON.stringify(p.source.text)}`,
    `# model: ${JSON.stringify(p.model)}`,
    `# view: ${JSON.stringify(view)}`,
    `# granularity: ${JSON.stringify({ granularity: c.granularity, mergeRule: MERGE_RULE, truncated: p.source.truncated, fullLength: p.source.fullLength })}`,
  ];
  lines.push(scope === 'view' ? '# table: rows are queries (attending), columns keys (attended to)' : '# table: one row per layer, head, query and key (1-based layer and head)');
  return lines;
}

/** The current view's G×G matrix as CSV, provenance first. */
/** A view's rows and columns when they are not the groups (a decoder or cross-attention part: target × source). */
export interface ViewAxes {
  queries: readonly { text: string }[];
  keys: readonly { text: string }[];
}

export function viewAxes(tokens: { queryTokens: readonly { text: string }[]; keyTokens: readonly { text: string }[] }): ViewAxes {
  return { queries: tokens.queryTokens, keys: tokens.keyTokens };
}

export function viewCsv(c: ExportContent, viewLabel: string, matrix: Float32Array, axes?: ViewAxes): string {
  const queries = axes?.queries ?? c.groups;
  const keys = axes?.keys ?? c.groups;
  const g = keys.length;
  const label = (x: { text: string }, i: number) => csvField(`${i}:${x.text}`);
  const keyLabels = keys.map(label);
  const lines = csvHeader(c, 'view', viewLabel);
  lines.push(['query\\key', ...keyLabels].join(','));
  for (let a = 0; a < queries.length; a++) {
    const cells = new Array<string>(g);
    for (let b = 0; b < g; b++) cells[b] = float32Text(matrix[a * g + b]);
    lines.push(`${label(queries[a], a)},${cells.join(',')}`);
  }
  return lines.join('\r\n') + '\r\n';
}

/** Every layer × head at the chosen granularity, in long form (layer, head, query, key, weight). */
export async function writeAllCsv(write: Write, c: ExportContent, result: AttentionResult): Promise<void> {
  const labels = c.groups.map((x, i) => csvField(groupLabel(x, i)));
  await write(csvHeader(c, 'all', 'all layers and heads').join('\r\n') + '\r\nlayer,head,query,key,weight\r\n');
  for (const [l, h, m] of mergedHeads(c, result)) {
    const g = c.groups.length;
    const rows: string[] = [];
    for (let a = 0; a < g; a++) for (let b = 0; b < g; b++) rows.push(`${l + 1},${h + 1},${labels[a]},${labels[b]},${float32Text(m[a * g + b])}`);
    await write(rows.join('\r\n') + '\r\n');
  }
}

function jsonHeader(c: ExportContent, scope: ExportScope, result: SessionResult): Record<string, unknown> {
  return {
    format: 'attention-lens-export@1',
    scope,
    contains: SCOPE_TEXT[scope],
    product: c.provenance.product,
    source: c.provenance.source,
    model: c.provenance.model,
    granularity: c.granularity,
    mergeRule: MERGE_RULE,
    groups: c.groups.map((x) => ({ text: x.text, start: x.start, end: x.end, tokens: x.tokens, special: x.special })),
    tokens: result.tokens.map((t) => ({ id: t.id, text: t.text, start: t.start, end: t.end, special: t.special })),
  };
}

function rowsJson(m: Float32Array, g: number, width = g): string {
  const rows: string[] = [];
  for (let a = 0; a < g; a++) {
    const cells = new Array<string>(width);
    for (let b = 0; b < width; b++) cells[b] = float32Text(m[a * width + b]);
    rows.push(`[${cells.join(',')}]`);
  }
  return `[${rows.join(',')}]`;
}

/** The current view as JSON: provenance, groups, tokens and `matrix` [query group][key group]. */
export function viewJson(c: ExportContent, result: SessionResult, viewLabel: string, matrix: Float32Array, axes?: ViewAxes): string {
  const extra = axes ? { queryTokens: axes.queries.map((x) => x.text), keyTokens: axes.keys.map((x) => x.text) } : {};
  const head = JSON.stringify({ ...jsonHeader(c, 'view', result), view: viewLabel, ...extra });
  return `${head.slice(0, -1)},"matrix":${rowsJson(matrix, axes ? axes.queries.length : c.groups.length, axes?.keys.length)}}\n`;
}

/** Everything as JSON: `attention` [layer][head][query group][key group]. */
export async function writeAllJson(write: Write, c: ExportContent, result: AttentionResult): Promise<void> {
  const head = JSON.stringify(jsonHeader(c, 'all', result));
  await write(`${head.slice(0, -1)},"attention":[`);
  const g = c.groups.length;
  for (const [l, h, m] of mergedHeads(c, result)) {
    await write(`${h === 0 ? (l === 0 ? '[' : '],[') : ','}${rowsJson(m, g)}`);
  }
  await write(result.attention.length > 0 ? ']]}\n' : ']}\n');
}

function* mergedHeads(c: ExportContent, result: AttentionResult): Generator<[number, number, Float32Array]> {
  const n = result.tokens.length;
  const merge = c.granularity !== 'tokens';
  for (let l = 0; l < result.attention.length; l++) {
    for (let h = 0; h < result.model.heads; h++) {
      const m = headMatrix(result.attention[l], n, h);
      yield [l, h, merge ? mergeMatrix(m, n, c.groups) : m];
    }
  }
}
