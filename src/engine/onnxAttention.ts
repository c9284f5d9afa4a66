// Finds the attention Softmax nodes of an ordinary ONNX export and checks everything else the engine needs
// (inputs, external data, fused operators). patchedGraph.ts then exposes those outputs.
import * as fs from 'fs';
import * as path from 'path';
import { AttentionLensError } from './errors';
import { describeInputs, GraphInput } from './inputs';
import { noCacheBranch, withNoCacheBranch } from './mergedDecoder';
import { OnnxGraphSummary, OnnxNode, readOnnxGraph } from './onnxGraph';
import { WireFormatError } from './protobufWire';

export interface SoftmaxOutput {
  /** Tensor name of the Softmax output, exposed as a graph output. */
  name: string;
  node: string;
  elemType?: number;
  /** The Softmax axis as written (-1, or a positive index that must be the last axis of the output). */
  axis: number;
  /** Already a graph output (a model exported with output_attentions): nothing to add. */
  isGraphOutput: boolean;
}

export interface AttentionPlan {
  onnxFile: string;
  /** Candidate attention outputs in graph order (layout and layer count verified on the probe run). */
  softmaxOutputs: SoftmaxOutput[];
  softmaxCount: number;
  inputs: GraphInput[];
  /** The model's own outputs (logits, last_hidden_state, present.*), which the patched copy drops unless kept. */
  graphOutputs: string[];
  /** Absolute paths of external weight files, deduplicated, with their `location` as written in the graph. */
  externalData: { location: string; file: string }[];
  /** Rows of the token embedding table, when the graph shows it. */
  embeddingRows?: number;
  /** A merged decoder's If node whose no-cache branch the patched copy inlines (index among the graph's nodes). */
  inlineNoCacheBranch?: number;
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

const FUSED_ATTENTION = /Attention$/;

/** Reads the graph and decides which tensors carry attention; throws a clear AttentionLensError otherwise. */
export async function inspectAttention(onnxFile: string): Promise<AttentionPlan> {
  const read = readGraphOrThrow(onnxFile);
  const base = path.basename(onnxFile);
  const merged = read.nodes.some(isSoftmax) ? undefined : noCacheBranch(read);
  const graph = merged ? withNoCacheBranch(read, merged) : read;

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
        `${base} computes attention only inside If/Loop subgraphs that no use_cache_branch input selects, so their tensors cannot be exposed.`,
        'Use onnx/decoder_model.onnx (the decoder without past key values) instead of decoder_model_merged.onnx.',
        onnxFile,
      );
    }
    throw noAttention(onnxFile, `${base} has no Softmax node, so it has no attention weights to show.`);
  }

  const defaultAxis = (graph.opsets.get('') ?? 13) >= 13 ? -1 : 1;
  const axisOf = (n: OnnxNode) => n.ints.get('axis') ?? defaultAxis;
  // Rank 3 ([batch·heads, Nq, Nk]) or 4, normalized over the last axis; e.g. ConvBERT's [N·H', 9, 1] kernels over
  // axis 1 are not attention. Unknown ranks are settled on the probe run.
  const candidates = softmaxes.filter((n) => {
    const axis = axisOf(n);
    const rank = graph.valueInfo.get(n.outputs[0])?.dims?.length;
    if (rank !== undefined) return (rank === 3 || rank === 4) && (axis === -1 || axis === rank - 1);
    return axis === -1 || axis === 2 || axis === 3;
  });
  if (candidates.length === 0) {
    throw noAttention(
      onnxFile,
      `${base} has ${softmaxes.length} Softmax node(s), but none normalizes the last axis of a rank-3 or rank-4 (heads, query, key) tensor.`,
    );
  }

  const inputs = describeInputs(graph, onnxFile);
  const externalData = externalDataFiles(graph, onnxFile);
  return {
    onnxFile,
    softmaxOutputs: candidates.map((n) => ({
      name: n.outputs[0],
      node: n.name,
      elemType: graph.valueInfo.get(n.outputs[0])?.elemType,
      axis: axisOf(n),
      isGraphOutput: graph.outputs.some((o) => o.name === n.outputs[0]),
    })),
    softmaxCount: softmaxes.length,
    inputs,
    graphOutputs: graph.outputs.map((o) => o.name),
    inlineNoCacheBranch: merged?.nodeIndex,
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
