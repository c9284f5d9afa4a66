// Finds, for each attention Softmax, the query·key MatMul that feeds it and the elementwise operations between them
// (scale Mul/Div, mask Add/Where, Cast). Exposing that MatMul's two inputs — O(heads·N·d) floats per layer instead
// of the Softmax's O(heads·N²) — lets replayRows.ts recompute any row of the attention exactly.
import type { OnnxGraphSummary, OnnxNode } from './onnxGraph';

/** One operation between the MatMul and the Softmax, in the order the graph applies them. */
export type ScoreStep =
  /** scores × operand, or scores ÷ operand; the operand is exposed (a scalar or a small broadcast tensor). */
  | { op: 'scale'; kind: 'Mul' | 'Div'; operand: string }
  /** scores + operand: a mask, replayed as none or causal, whichever reproduces the Softmax on the probe run. */
  | { op: 'addMask'; operand: string }
  /** Where(condition, scores, fill) or Where(condition, fill, scores): a mask with an exposed fill value. */
  | { op: 'whereMask'; condition: string; fill: string }
  /** A Cast: identity for float outputs (the replay computes in double precision, rounds once at the end). */
  | { op: 'cast'; to?: number };

export interface ScoreChain {
  /** The Softmax output this chain reproduces. */
  softmax: string;
  /** The query·key MatMul's output (its node is rewired to order the overview, see pooledOverview.ts). */
  matmul: string;
  /** MatMul input A: queries after projection and rotary embedding, [1, heads, N, d]. */
  query: string;
  /** MatMul input B: transposed keys, [1, heads (or 1), d, N]; grouped-query heads already repeated by the graph. */
  keyT: string;
  /**
   * With grouped-query attention, the keys before the graph repeats them ([1, kv heads, N, d]): Transpose(0,1,3,2) ←
   * Reshape ← Expand ← Unsqueeze ← keys, as transformers' repeat_kv exports. Exposing these instead of keyT keeps
   * heads/kv times fewer floats; the probe decides which query heads share which key head.
   */
  groupedKeys?: string;
  steps: ScoreStep[];
}

export type ChainPlan = { chains: ScoreChain[]; reason?: undefined } | { chains?: undefined; reason: string };

const MASK_OR_SCALE = new Set(['Mul', 'Div', 'Add', 'Where', 'Cast']);
const MAX_STEPS = 8;

/** True when `name` is computed from a MatMul of two activations through mask/scale operations only. */
function reachesScores(name: string, producer: Map<string, OnnxNode>, initializers: Set<string>, depth = 0): boolean {
  const p = producer.get(name);
  if (!p || depth > MAX_STEPS) return false;
  if (p.opType === 'MatMul') return p.inputs.every((i) => !initializers.has(i));
  if (!MASK_OR_SCALE.has(p.opType)) return false;
  const candidates = p.opType === 'Where' ? p.inputs.slice(1) : p.opType === 'Cast' ? p.inputs.slice(0, 1) : p.inputs;
  return candidates.some((i) => reachesScores(i, producer, initializers, depth + 1));
}

/** The un-repeated keys behind `keyT` when the graph repeats key heads for grouped-query attention. */
function keysBeforeRepeat(keyT: string, producer: Map<string, OnnxNode>): string | undefined {
  const chain = ['Transpose', 'Reshape', 'Expand', 'Unsqueeze'];
  let name = keyT;
  for (const op of chain) {
    const p = producer.get(name);
    if (!p || p.opType !== op) return undefined;
    name = p.inputs[0];
  }
  return name;
}

/** The chain of one Softmax, or why it cannot be replayed. */
function traceChain(softmax: OnnxNode, producer: Map<string, OnnxNode>, initializers: Set<string>): ScoreChain | string {
  const steps: ScoreStep[] = [];
  let name = softmax.inputs[0];
  for (let i = 0; i <= MAX_STEPS; i++) {
    const p = producer.get(name);
    if (!p) return `its input ${name} is not computed by a node`;
    if (p.opType === 'MatMul') {
      if (p.inputs.some((x) => initializers.has(x))) return `${p.name} multiplies by a weight, not queries by keys`;
      return { softmax: softmax.outputs[0], matmul: p.outputs[0], query: p.inputs[0], keyT: p.inputs[1], groupedKeys: keysBeforeRepeat(p.inputs[1], producer), steps: steps.reverse() };
    }
    if (p.opType === 'Reshape') return `${p.opType} node ${p.name} reshapes the scores between the query·key MatMul and the Softmax (the [batch·heads, N, N] layout OPT and the BART family export), which the replay does not follow`;
    const onPath = p.inputs.map((x, j) => (p.opType === 'Where' && j === 0 ? false : reachesScores(x, producer, initializers)));
    const scoreInput = onPath.indexOf(true);
    if (scoreInput < 0) return `${p.opType} node ${p.name} does not lead back to a query·key MatMul`;
    if (onPath.lastIndexOf(true) !== scoreInput) return `${p.opType} node ${p.name} combines two score tensors`;
    const other = p.inputs[1 - scoreInput];
    if (p.opType === 'Cast') steps.push({ op: 'cast', to: p.ints.get('to') });
    else if (p.opType === 'Mul') steps.push({ op: 'scale', kind: 'Mul', operand: other });
    else if (p.opType === 'Div' && scoreInput === 0) steps.push({ op: 'scale', kind: 'Div', operand: other });
    else if (p.opType === 'Add') steps.push({ op: 'addMask', operand: other });
    else if (p.opType === 'Where') steps.push({ op: 'whereMask', condition: p.inputs[0], fill: p.inputs[scoreInput === 1 ? 2 : 1] });
    else return `${p.opType} node ${p.name} divides by the scores`;
    name = p.inputs[scoreInput];
  }
  return `more than ${MAX_STEPS} operations lie between its MatMul and the Softmax`;
}

/**
 * The replay chains for `softmaxOutputs` (in layer order), or the reason the graph cannot be replayed: then the
 * engine falls back to exposing every Softmax output.
 */
export function traceScoreChains(graph: OnnxGraphSummary, softmaxOutputs: string[]): ChainPlan {
  const producer = new Map<string, OnnxNode>();
  for (const n of graph.nodes) for (const o of n.outputs) producer.set(o, n);
  const initializers = new Set(graph.initializers.keys());
  const chains: ScoreChain[] = [];
  for (const output of softmaxOutputs) {
    const softmax = producer.get(output);
    if (!softmax || softmax.opType !== 'Softmax') return { reason: `${output} is not a Softmax output` };
    const chain = traceChain(softmax, producer, initializers);
    if (typeof chain === 'string') return { reason: `Softmax ${softmax.name}: ${chain}` };
    chains.push(chain);
  }
  return { chains };
}

/** Every tensor a replay needs from each run: queries, keys and the scale/fill operands (masks are not exposed). */
export function replayTensors(chain: ScoreChain, useGroupedKeys: boolean): string[] {
  const names = [chain.query, useGroupedKeys && chain.groupedKeys ? chain.groupedKeys : chain.keyT];
  for (const s of chain.steps) {
    if (s.op === 'scale') names.push(s.operand);
    else if (s.op === 'whereMask') names.push(s.fill);
  }
  return names;
}
