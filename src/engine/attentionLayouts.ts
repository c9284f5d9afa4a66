// Which Softmax outputs of a probe run are attention, in which layout, and how to read them as [head][query][key].
// Layouts seen in Hub exports (batch is 1 here):
//   heads-first  [1, heads, Nq, Nk]   BERT family, GPT-2/Neo/J, NeoX, LLaMA, T5, DeBERTa, …
//   batch-heads  [heads, Nq, Nk]      OPT, XGLM, BART/mBART/Marian/Pegasus/Blenderbot (bmm)
//   query-first  [1, Nq, heads, Nk]   GPT-BigCode multi-query
import { AttentionLensError } from './errors';
import type { OutputTensor } from './workerProtocol';

export type AttentionLayout = 'heads-first' | 'batch-heads' | 'query-first';

export interface AttentionOutput {
  name: string;
  layout: AttentionLayout;
  heads: number;
}

type Match = { layout: AttentionLayout; heads: number } | 'ambiguous' | undefined;

/** How `dims` holds a queries × keys attention matrix per head, if it does; the Softmax must be over the last axis. */
export function layoutOf(dims: number[], queries: number, keys: number, axis: number): Match {
  if (axis !== -1 && axis !== dims.length - 1) return undefined;
  if (dims.length === 3) return dims[1] === queries && dims[2] === keys ? { layout: 'batch-heads', heads: dims[0] } : undefined;
  if (dims.length !== 4 || dims[0] !== 1 || dims[3] !== keys) return undefined;
  const headsFirst = dims[2] === queries;
  const queryFirst = dims[1] === queries;
  if (headsFirst && queryFirst) return 'ambiguous';
  if (headsFirst) return { layout: 'heads-first', heads: dims[1] };
  if (queryFirst) return { layout: 'query-first', heads: dims[2] };
  return undefined;
}

/** The output as [head][query][key], row-major (a view when the layout already is, a copy otherwise). */
export function toHeadMajor(data: Float32Array, layout: AttentionLayout, heads: number, queries: number, keys: number): Float32Array {
  if (layout !== 'query-first') return data;
  const out = new Float32Array(heads * queries * keys);
  for (let q = 0; q < queries; q++) {
    for (let h = 0; h < heads; h++) {
      out.set(data.subarray((q * heads + h) * keys, (q * heads + h + 1) * keys), (h * queries + q) * keys);
    }
  }
  return out;
}

/** Token counts a probe must avoid so that heads-first and query-first shapes cannot be confused. */
export function probeIds(ids: number[], avoid: Iterable<number>): number[] {
  const bad = new Set(avoid);
  const out = [...ids];
  while (out.length < 3 || bad.has(out.length)) out.splice(1, 0, out[Math.min(1, out.length - 1)]);
  return out;
}

export interface Expected {
  /** config.json's layer count for this graph, when it states one. */
  layers?: number;
  /** Head counts config.json allows (ConvBERT divides num_attention_heads by head_ratio). */
  heads: number[];
  /** Where the numbers came from, for messages. */
  configFile: string;
}

/**
 * Attention outputs among `outputs` (graph order kept) whose matrix is queries × keys. Returns 'ambiguous' when a
 * shape could be read two ways (heads = Nq): the caller probes again with another length.
 */
export function pickAttention(
  outputs: OutputTensor[],
  axes: Map<string, number>,
  queries: number,
  keys: number,
): AttentionOutput[] | 'ambiguous' {
  const picked: AttentionOutput[] = [];
  for (const o of outputs) {
    const m = layoutOf(o.dims, queries, keys, axes.get(o.name) ?? -1);
    if (m === 'ambiguous') return 'ambiguous';
    if (m) picked.push({ name: o.name, ...m });
  }
  return picked;
}

/** Checks one tensor per layer, one head count, and both against config.json; throws a specific refusal. */
export function checkAgainstConfig(picked: AttentionOutput[], expected: Expected, onnxFile: string, what: string): number {
  const heads = [...new Set(picked.map((p) => p.heads))];
  if (heads.length > 1) {
    throw new AttentionLensError(
      'ATTENTION_MISMATCH',
      `The ${what} Softmax outputs of ${onnxFile} have different head counts (${heads.join(', ')}), so they are not one attention tensor per layer.`,
      'Re-export the model with optimum\'s default export; if it still fails, report the model.',
      onnxFile,
    );
  }
  if (expected.layers !== undefined && picked.length !== expected.layers) {
    const per = picked.length % expected.layers === 0 ? ` (${picked.length / expected.layers} per layer)` : '';
    throw new AttentionLensError(
      'ATTENTION_MISMATCH',
      `${onnxFile} has ${picked.length} ${what} attention Softmax outputs${per}, but ${expected.configFile} says ${expected.layers} layers; Attention Lens will not guess which ones are the layers' attention.`,
      'Check that config.json belongs to this graph (same export); if it does, the graph computes attention in a way Attention Lens does not know: report the model.',
      onnxFile,
    );
  }
  if (expected.heads.length > 0 && !expected.heads.includes(heads[0])) {
    throw new AttentionLensError(
      'ATTENTION_MISMATCH',
      `${onnxFile} computes ${what} attention with ${heads[0]} heads, but ${expected.configFile} says ${expected.heads.join(' or ')}.`,
      'Check that config.json belongs to this graph (same export).',
      onnxFile,
    );
  }
  return heads[0];
}

function num(config: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof config[k] === 'number' && Number.isInteger(config[k]) && (config[k] as number) > 0) return config[k] as number;
  return undefined;
}

/** Layer and head counts config.json gives for an encoder/decoder-only graph, or one side of an encoder–decoder. */
export function expectedFromConfig(config: Record<string, unknown>, part: 'single' | 'encoder' | 'decoder', configFile: string): Expected {
  const layers =
    part === 'single' ? num(config, 'num_hidden_layers', 'n_layer', 'num_layers', 'n_layers')
    : part === 'encoder' ? num(config, 'encoder_layers', 'num_layers', 'num_hidden_layers')
    : num(config, 'decoder_layers', 'num_decoder_layers', 'num_layers', 'num_hidden_layers');
  const h =
    part === 'single' ? num(config, 'num_attention_heads', 'n_head', 'num_heads', 'n_heads')
    : part === 'encoder' ? num(config, 'encoder_attention_heads', 'num_heads', 'num_attention_heads')
    : num(config, 'decoder_attention_heads', 'num_heads', 'num_attention_heads');
  const heads = h === undefined ? [] : [h];
  const ratio = num(config, 'head_ratio');
  if (h !== undefined && ratio !== undefined && config.model_type === 'convbert') heads.push(Math.max(1, Math.floor(h / ratio)));
  return { layers, heads, configFile };
}

/** Every head has exactly zero weight above the diagonal: a causal model. */
export function isLowerTriangular(data: Float32Array, heads: number, n: number): boolean {
  for (let h = 0; h < heads; h++) {
    for (let q = 0; q < n; q++) {
      for (let k = q + 1; k < n; k++) if (data[h * n * n + q * n + k] !== 0) return false;
    }
  }
  return true;
}
