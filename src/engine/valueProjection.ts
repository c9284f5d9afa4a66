// Finds, for each attention Softmax, what value-norm attention (Kobayashi et al. 2020) needs from the graph: the value
// tensor (second input of the MatMul that applies the attention) and the output projection's weight (the MatMul/Gemm
// after the heads are merged back: Transpose → Reshape → MatMul), traced to stored initializers, possibly through a
// DequantizeLinear. Reads the graph structure only; the weights are read later, in the worker, by byte range.
import { locateInitializers, readableType, WeightRef } from './graphWeights';
import type { OnnxGraphSummary, OnnxNode } from './onnxGraph';

export interface ProjectionWeight {
  weight: WeightRef;
  /** Stored as [out, in] (Gemm transB or a Transpose in front): the merged-head axis is the second one. */
  transposed: boolean;
  dequant?: { scale: WeightRef; zeroPoint?: WeightRef; axis: number };
}

export interface LayerValueProjection {
  /** The attention (Softmax output) this layer's value-norm weights. */
  probs: string;
  /** The value tensor, [1, heads, N, head size]. */
  values: string;
  projection: ProjectionWeight;
}

/** Every layer's projection, or the reason value-norm attention is not available for this graph. */
export type ValueProjections = { layers: LayerValueProjection[] } | { missing: string };

const PASS_THROUGH = new Set(['Cast', 'Identity']);
/** Nodes between the attention·values product and the output projection that only move the head axis around. */
const MERGE_HEADS = new Set(['Transpose', 'Reshape', 'Cast', 'Identity']);
const MAX_STEPS = 8;
/** Integer projections (onnxruntime's dynamic quantisation): the float weights are gone. */
const QUANTISED_MATMUL = new Set(['DynamicQuantizeLinear', 'MatMulInteger', 'QLinearMatMul', 'MatMulIntegerToFloat']);

interface Use {
  node: OnnxNode;
  index: number;
}

/** Who uses each tensor (and as which input), and who produces it. */
function graphIndex(graph: OnnxGraphSummary): { uses: Map<string, Use[]>; producer: Map<string, OnnxNode> } {
  const uses = new Map<string, Use[]>();
  const producer = new Map<string, OnnxNode>();
  for (const node of graph.nodes) {
    node.inputs.forEach((name, index) => (uses.get(name) ?? uses.set(name, []).get(name)!).push({ node, index }));
    for (const o of node.outputs) producer.set(o, node);
  }
  return { uses, producer };
}

/** The one node that takes `tensor` as its data input (shape queries do not count). */
function dataUse(uses: Map<string, Use[]>, tensor: string): OnnxNode | undefined {
  const data = (uses.get(tensor) ?? []).filter((u) => u.index === 0 && u.node.opType !== 'Shape');
  return data.length === 1 ? data[0].node : undefined;
}

/** The MatMul that applies an attention Softmax to the values (through Cast/Identity), if there is one. */
function attentionMatMul(uses: Map<string, Use[]>, probs: string): OnnxNode | undefined {
  let node = dataUse(uses, probs);
  for (let i = 0; node && PASS_THROUGH.has(node.opType) && i < MAX_STEPS; i++) node = dataUse(uses, node.outputs[0]);
  return node?.opType === 'MatMul' ? node : undefined;
}

/** Value tensor of each Softmax that has one: what the patched graph must expose for value-norm. */
export function valueTensors(graph: OnnxGraphSummary, softmaxOutputs: string[]): Map<string, string> {
  const { uses } = graphIndex(graph);
  const out = new Map<string, string>();
  for (const probs of softmaxOutputs) {
    const matmul = attentionMatMul(uses, probs);
    if (matmul) out.set(probs, matmul.inputs[1]);
  }
  return out;
}

export function findValueProjections(onnxFile: string, graph: OnnxGraphSummary, attention: string[]): ValueProjections {
  const { uses, producer } = graphIndex(graph);
  const traced: { probs: string; values: string; weight: string; transposed: boolean; dequant?: { scale: string; zeroPoint?: string; axis: number } }[] = [];
  for (const [layer, probs] of attention.entries()) {
    const node = attentionMatMul(uses, probs);
    if (!node) return { missing: `layer ${layer}: the attention ${probs} does not feed a MatMul with the values, so the value vectors cannot be found` };
    const values = node.inputs[1];
    let tensor = node.outputs[0];
    let transposes = 0;
    let next = dataUse(uses, tensor);
    for (let i = 0; next && MERGE_HEADS.has(next.opType) && i < MAX_STEPS; i++) {
      if (next.opType === 'Transpose') transposes++;
      tensor = next.outputs[0];
      next = dataUse(uses, tensor);
    }
    if (next && QUANTISED_MATMUL.has(next.opType)) {
      return { missing: `layer ${layer}: the output projection is quantised on the fly (${next.opType}), so its float weights are not in the graph; the fp32 ONNX file of the same model has them` };
    }
    if (!next || (next.opType !== 'MatMul' && next.opType !== 'Gemm') || transposes !== 1 || (next.opType === 'Gemm' && next.ints.get('transA'))) {
      const found = next ? `; found ${next.opType}` : '';
      return { missing: `layer ${layer}: no output projection (a MatMul or Gemm after the heads are merged back by one Transpose and Reshape) follows the attention·values product${found}` };
    }
    const weight = traceWeight(next.inputs[1], producer, graph, next.opType === 'Gemm' && next.ints.get('transB') === 1);
    if (typeof weight === 'string') return { missing: `layer ${layer}: ${weight}` };
    traced.push({ probs, values, ...weight });
  }
  const names = new Set(traced.flatMap((t) => [t.weight, t.dequant?.scale, t.dequant?.zeroPoint].filter((n): n is string => n !== undefined)));
  const refs = locateInitializers(onnxFile, names);
  const ref = (name: string): WeightRef | string => {
    const r = refs.get(name);
    if (!r) return `the weight ${name} is not stored as readable data in the graph or next to it`;
    return readableType(r.dataType) ? r : `the weight ${name} has element type ${r.dataType}, which value-norm cannot read (float, float16, uint8 and int8 can)`;
  };
  const layers: LayerValueProjection[] = [];
  for (const t of traced) {
    const parts = [ref(t.weight), ...(t.dequant ? [ref(t.dequant.scale), ...(t.dequant.zeroPoint ? [ref(t.dequant.zeroPoint)] : [])] : [])];
    const bad = parts.find((p): p is string => typeof p === 'string');
    if (bad) return { missing: bad };
    const [weight, scale, zeroPoint] = parts as WeightRef[];
    if (weight.dims.length !== 2) return { missing: `the output projection ${t.weight} has ${weight.dims.length} dimensions, not 2` };
    layers.push({
      probs: t.probs,
      values: t.values,
      projection: { weight, transposed: t.transposed, dequant: t.dequant && { scale, zeroPoint: t.dequant.zeroPoint ? zeroPoint : undefined, axis: t.dequant.axis } },
    });
  }
  return { layers };
}

/** Follows a weight input back to an initializer through Cast/Identity, a 2-D Transpose and DequantizeLinear. */
function traceWeight(
  name: string,
  producer: Map<string, OnnxNode>,
  graph: OnnxGraphSummary,
  transposed: boolean,
): { weight: string; transposed: boolean; dequant?: { scale: string; zeroPoint?: string; axis: number } } | string {
  let dequant: { scale: string; zeroPoint?: string; axis: number } | undefined;
  for (let i = 0; i < MAX_STEPS; i++) {
    if (graph.initializers.has(name)) return { weight: name, transposed, dequant };
    const p = producer.get(name);
    if (!p) break;
    if (PASS_THROUGH.has(p.opType)) name = p.inputs[0];
    else if (p.opType === 'Transpose') [name, transposed] = [p.inputs[0], !transposed];
    else if (p.opType === 'DequantizeLinear' && !dequant) {
      dequant = { scale: p.inputs[1], zeroPoint: p.inputs[2] || undefined, axis: p.ints.get('axis') ?? 1 };
      name = p.inputs[0];
    } else {
      return `the output projection's weight is computed by a ${p.opType} node, not stored in the graph`;
    }
  }
  return `the output projection's weight ${name} is not an initializer of the graph`;
}
