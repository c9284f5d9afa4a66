// Finds the attention Softmax nodes of an ordinary ONNX export and checks everything else the engine needs
// (inputs, external data, fused operators). patchedGraph.ts then exposes those outputs.
import * as fs from 'fs';
import * as path from 'path';
import { AttentionLensError } from './errors';
import { OnnxGraphSummary, OnnxNode, ONNX_INT32, ONNX_INT64, readOnnxGraph } from './onnxGraph';
import { WireFormatError } from './protobufWire';

export type InputKind = 'input_ids' | 'attention_mask' | 'token_type_ids' | 'position_ids';

export interface GraphInput {
  name: InputKind;
  type: 'int64' | 'int32';
}

export interface SoftmaxOutput {
  /** Tensor name of the Softmax output, exposed as a graph output. */
  name: string;
  node: string;
  elemType?: number;
  /** Already a graph output (a model exported with output_attentions): nothing to add. */
  isGraphOutput: boolean;
}

export interface AttentionPlan {
  onnxFile: string;
  /** Candidate attention outputs in graph order (one per layer; rank verified on the first run). */
  softmaxOutputs: SoftmaxOutput[];
  softmaxCount: number;
  inputs: GraphInput[];
  /** Absolute paths of external weight files, deduplicated, with their `location` as written in the graph. */
  externalData: { location: string; file: string }[];
  /** Rows of the token embedding table, when the graph shows it. */
  embeddingRows?: number;
  /** Bytes of all weights and of the largest one (prepacking copies one weight at a time onto the heap). */
  weightBytes: { total: number; largest: number };
}

const ELEMENT_BYTES: Record<number, number> = { 2: 1, 3: 1, 4: 2, 5: 2, 7: 8, 9: 1, 10: 2, 11: 8, 13: 8, 16: 2 };

function weightBytes(graph: OnnxGraphSummary): { total: number; largest: number } {
  let total = 0;
  let largest = 0;
  for (const init of graph.initializers.values()) {
    const bytes = init.dims.reduce((a, d) => a * d, 1) * (ELEMENT_BYTES[init.dataType] ?? 4);
    total += bytes;
    largest = Math.max(largest, bytes);
  }
  return { total, largest };
}

const KNOWN_INPUTS: readonly string[] = ['input_ids', 'attention_mask', 'token_type_ids', 'position_ids'];
const FUSED_ATTENTION = /Attention$/;

/** Reads the graph and decides which tensors carry attention; throws a clear AttentionLensError otherwise. */
export async function inspectAttention(onnxFile: string): Promise<AttentionPlan> {
  const graph = readGraphOrThrow(onnxFile);
  const base = path.basename(onnxFile);

  const fused = [...graph.nodes, ...graph.nodes.flatMap((n) => n.subgraphOps)].find(
    (n) => FUSED_ATTENTION.test(n.opType) && (n.domain === 'com.microsoft' || n.domain === ''),
  );
  if (fused) {
    throw new AttentionLensError(
      'FUSED_ATTENTION',
      `${base} uses a fused ${fused.domain ? fused.domain + '.' : ''}${fused.opType} operator, which hides the attention weights.`,
      'This export was optimized with ONNX Runtime transformer fusions; use an export without them, e.g. optimum\'s default export (the non-optimized onnx/model.onnx).',
      onnxFile,
    );
  }

  const softmaxes = graph.nodes.filter(isSoftmax);
  if (softmaxes.length === 0) {
    const inSubgraph = graph.nodes.some((n) => n.subgraphOps.some(isSoftmax));
    if (inSubgraph) {
      throw new AttentionLensError(
        'ATTENTION_IN_SUBGRAPH',
        `${base} computes attention only inside If/Loop subgraphs (a merged decoder with a cache branch), whose tensors cannot be exposed.`,
        'Use onnx/decoder_model.onnx (the decoder without past key values) instead of decoder_model_merged.onnx.',
        onnxFile,
      );
    }
    throw noAttention(onnxFile, `${base} has no Softmax node, so it has no attention weights to show.`);
  }

  const defaultAxis = (graph.opsets.get('') ?? 13) >= 13 ? -1 : 1;
  const candidates = softmaxes.filter((n) => {
    const axis = n.ints.get('axis') ?? defaultAxis;
    const dims = graph.valueInfo.get(n.outputs[0])?.dims;
    if (dims && dims.length !== 4) return false;
    return axis === -1 || axis === 3;
  });
  if (candidates.length === 0) {
    throw noAttention(
      onnxFile,
      `${base} has ${softmaxes.length} Softmax node(s), but none normalizes the last axis of a rank-4 (batch, heads, query, key) tensor.`,
    );
  }

  const inputs = graphInputs(graph, onnxFile);
  const externalData = externalDataFiles(graph, onnxFile);
  return {
    onnxFile,
    softmaxOutputs: candidates.map((n) => ({
      name: n.outputs[0],
      node: n.name,
      elemType: graph.valueInfo.get(n.outputs[0])?.elemType,
      isGraphOutput: graph.outputs.some((o) => o.name === n.outputs[0]),
    })),
    softmaxCount: softmaxes.length,
    inputs,
    externalData,
    embeddingRows: embeddingRows(graph),
    weightBytes: weightBytes(graph),
  };
}

function readGraphOrThrow(onnxFile: string): OnnxGraphSummary {
  let graph: OnnxGraphSummary;
  try {
    graph = readOnnxGraph(onnxFile);
  } catch (e) {
    if (e instanceof WireFormatError && e.kind === 'truncated') {
      throw new AttentionLensError(
        'ONNX_TRUNCATED',
        `${onnxFile} is truncated (${e.message}).`,
        'The download or copy was probably interrupted; fetch the model file again.',
        onnxFile,
      );
    }
    if (e instanceof WireFormatError) throw notOnnx(onnxFile, e.message);
    throw new AttentionLensError('ONNX_INVALID', `Cannot read ${onnxFile}: ${(e as Error).message}.`, 'Check that the file exists and is readable.', onnxFile);
  }
  if (!graph.hasGraph || graph.irVersion === undefined || graph.nodes.length === 0) {
    throw notOnnx(onnxFile, 'it has no ONNX graph');
  }
  return graph;
}

function notOnnx(onnxFile: string, why: string): AttentionLensError {
  return new AttentionLensError(
    'ONNX_INVALID',
    `${onnxFile} is not a valid ONNX model (${why}).`,
    'Point Attention Lens at an ONNX export (e.g. from optimum) and fetch the file again if it was damaged.',
    onnxFile,
  );
}

function noAttention(onnxFile: string, message: string): AttentionLensError {
  return new AttentionLensError(
    'NO_ATTENTION',
    message,
    'Use a transformer export whose graph keeps the attention Softmax (optimum\'s default export of a BERT/GPT-style model).',
    onnxFile,
  );
}

function isSoftmax(n: { opType: string; domain: string }): boolean {
  return n.opType === 'Softmax' && n.domain === '';
}

function graphInputs(graph: OnnxGraphSummary, onnxFile: string): GraphInput[] {
  const base = path.basename(onnxFile);
  const real = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  const inputs: GraphInput[] = [];
  for (const input of real) {
    if (/^past|present|use_cache/.test(input.name)) {
      throw new AttentionLensError(
        'UNKNOWN_INPUT',
        `${base} expects the key/value cache input "${input.name}" (a decoder exported with past key values).`,
        'Use onnx/decoder_model.onnx, the decoder exported without past key values.',
        onnxFile,
      );
    }
    if (!KNOWN_INPUTS.includes(input.name)) {
      throw new AttentionLensError(
        'UNKNOWN_INPUT',
        `${base} requires the input "${input.name}", which Attention Lens cannot fill (it supports ${KNOWN_INPUTS.join(', ')}).`,
        'Export the model with only the standard text inputs (optimum\'s default export does).',
        onnxFile,
      );
    }
    if (input.elemType !== undefined && input.elemType !== ONNX_INT64 && input.elemType !== ONNX_INT32) {
      throw new AttentionLensError(
        'UNKNOWN_INPUT',
        `${base} declares input "${input.name}" with element type ${input.elemType}; only int64 and int32 are supported.`,
        'Export the model with integer token inputs.',
        onnxFile,
      );
    }
    inputs.push({ name: input.name as InputKind, type: input.elemType === ONNX_INT32 ? 'int32' : 'int64' });
  }
  if (!inputs.some((i) => i.name === 'input_ids')) {
    throw new AttentionLensError(
      'UNKNOWN_INPUT',
      `${base} has no input_ids input, so token ids cannot be fed to it.`,
      'Export the model with token ids as input (optimum\'s default export does).',
      onnxFile,
    );
  }
  return inputs;
}

function externalDataFiles(graph: OnnxGraphSummary, onnxFile: string): { location: string; file: string }[] {
  const dir = path.dirname(onnxFile);
  const locations = new Set<string>();
  for (const init of graph.initializers.values()) if (init.externalLocation) locations.add(init.externalLocation);
  const out: { location: string; file: string }[] = [];
  for (const location of locations) {
    const file = path.resolve(dir, location);
    if (path.isAbsolute(location) || path.relative(dir, file).startsWith('..')) {
      throw notOnnx(onnxFile, `external data location "${location}" points outside the model folder`);
    }
    if (!fs.existsSync(file)) {
      throw new AttentionLensError(
        'EXTERNAL_DATA_MISSING',
        `${path.basename(onnxFile)} keeps its weights in "${location}", which is missing next to it (${file}).`,
        `Download ${location} into ${dir} as well.`,
        file,
      );
    }
    out.push({ location, file });
  }
  return out;
}

/** Rows of the word-embedding table: the initializer a Gather indexes with input_ids. */
function embeddingRows(graph: OnnxGraphSummary): number | undefined {
  const producer = new Map<string, OnnxNode>();
  for (const n of graph.nodes) for (const o of n.outputs) producer.set(o, n);
  const passThrough = new Set(['Cast', 'Identity', 'DequantizeLinear']);
  const trace = (name: string): string => {
    for (let i = 0; i < 8; i++) {
      const p = producer.get(name);
      if (!p || !passThrough.has(p.opType)) return name;
      name = p.inputs[0];
    }
    return name;
  };
  for (const n of graph.nodes) {
    if (n.opType !== 'Gather' || n.inputs.length < 2) continue;
    if (trace(n.inputs[1]) !== 'input_ids') continue;
    const table = graph.initializers.get(trace(n.inputs[0]));
    if (table && table.dims.length === 2) return table.dims[0];
  }
  return undefined;
}
