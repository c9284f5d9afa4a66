// optimum's merged decoders (decoder_model_merged.onnx) compute attention inside `If(use_cache_branch)`: then_branch
// reads the key/value cache, else_branch runs without one. The engine feeds use_cache_branch = false, so the
// else_branch is what runs; the patched copy inlines it into the main graph (patchedGraph.ts), where its Softmax
// outputs can be exposed. Nothing else about the graph changes, so the inlined run is the no-cache run exactly.
import type { OnnxGraphSummary } from './onnxGraph';

export interface NoCacheBranch {
  /** Index of the If node among the main graph's nodes. */
  nodeIndex: number;
  branch: OnnxGraphSummary;
}

/** The input optimum's merge names use_cache_branch (its first releases: use_cache). */
const CACHE_SWITCHES = ['use_cache_branch', 'use_cache'];

/** The no-cache branch of a merged decoder, when the graph is one: an If on the graph input use_cache_branch. */
export function noCacheBranch(graph: OnnxGraphSummary): NoCacheBranch | undefined {
  const isSwitch = (name: string) => CACHE_SWITCHES.includes(name) && graph.inputs.some((i) => i.name === name);
  const nodeIndex = graph.nodes.findIndex((n) => n.opType === 'If' && n.domain === '' && isSwitch(n.inputs[0]));
  const branch = nodeIndex < 0 ? undefined : graph.nodes[nodeIndex].branches?.get('else_branch');
  return branch ? { nodeIndex, branch } : undefined;
}

/** The graph as it runs with use_cache_branch = false: the If node replaced by its else_branch's nodes. */
export function withNoCacheBranch(graph: OnnxGraphSummary, inline: NoCacheBranch): OnnxGraphSummary {
  return {
    ...graph,
    nodes: [...graph.nodes.slice(0, inline.nodeIndex), ...inline.branch.nodes, ...graph.nodes.slice(inline.nodeIndex + 1)],
    initializers: new Map([...graph.initializers, ...inline.branch.initializers]),
    valueInfo: new Map([...graph.valueInfo, ...inline.branch.valueInfo]),
  };
}
