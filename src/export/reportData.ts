// Builds what the offline HTML report embeds: every layer × head at the chosen granularity, mean-pooled into blocks
// only when the whole would exceed REPORT_MAX_VALUES (then the report says so). Pure.
import { headMatrix } from '../engine/attention';
import type { AttentionResult } from '../engine/types';
import { mergeMatrix, MERGE_RULE, type Granularity, type TokenGroup } from '../../shared/granularity';
import { float32ToBase64, type ReportData } from '../../shared/reportData';
import { downsampleMatrix } from '../analysis/thumbnails';
import type { ExportProvenance } from './exportMetadata';

/** Floats embedded at most (32 MB as Float32, ~43 MB as base64): bert-base at 240 groups fits whole. */
export const REPORT_MAX_VALUES = 8 * 1024 * 1024;

export function reportDataOf(
  result: AttentionResult,
  provenance: ExportProvenance,
  granularity: Granularity,
  groups: readonly TokenGroup[],
  title: string[],
  maxValues = REPORT_MAX_VALUES,
): ReportData {
  const n = result.tokens.length;
  const g = groups.length;
  const layers = result.attention.length;
  const { heads } = result.model;
  const fit = Math.floor(Math.sqrt(maxValues / Math.max(1, layers * heads)));
  const size = Math.max(1, Math.min(g, fit));
  const data = new Float32Array(layers * heads * size * size);
  for (let l = 0; l < layers; l++) {
    for (let h = 0; h < heads; h++) {
      const head = headMatrix(result.attention[l], n, h);
      const merged = granularity === 'tokens' ? head : mergeMatrix(head, n, groups);
      const at = (l * heads + h) * size * size;
      if (size === g) data.set(merged, at);
      else downsampleMatrix(merged, g, size, data.subarray(at, at + size * size));
    }
  }
  const labels: string[] = [];
  const ranges: [number, number][] = [];
  for (let b = 0; b < size; b++) {
    const first = Math.floor((b * g) / size);
    const last = Math.max(first, Math.floor(((b + 1) * g) / size) - 1);
    labels.push(first === last ? groups[first].text : `${groups[first].text} … ${groups[last].text}`);
    const members = groups.slice(first, last + 1).filter((x) => !x.special && x.end > x.start);
    ranges.push(members.length ? [members[0].start, members[members.length - 1].end] : [0, 0]);
  }
  const p = provenance;
  return {
    format: 'attention-lens-report@1',
    title,
    facts: [
      ['File', p.source.file],
      ['Range', `line ${p.source.range.start.line}, column ${p.source.range.start.column} – line ${p.source.range.end.line}, column ${p.source.range.end.column}`],
      ['Model', p.model.revision ? `${p.model.id} @ ${p.model.revision}` : p.model.id],
      ['ONNX file', p.model.onnxFile],
      ['ONNX sha256', p.model.sha256],
      ['Granularity', granularity],
      ['Truncated', p.source.truncated ? `yes: the model saw ${p.source.text.length} of ${p.source.fullLength} characters` : 'no'],
      ['Made with', `${p.product.name} ${p.product.version}`],
    ],
    text: p.source.text,
    labels,
    ranges,
    layers,
    heads,
    size,
    pooledFrom: size === g ? null : Math.ceil(g / size),
    data: float32ToBase64(data),
    note: granularity === 'tokens' ? 'Rows are queries (attending), columns keys (attended to).' : `Rows are queries, columns keys. ${MERGE_RULE}`,
  };
}
