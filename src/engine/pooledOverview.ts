// A per-head overview of attention that never leaves onnxruntime at full size: nodes appended to the patched graph
// max-pool each attention Softmax output [1, heads, N, N] into tiles of t×t cells, t = ceil(N / OVERVIEW_CELLS),
// so the engine receives [1, heads, P, P] with P = ceil(N / t) ≤ OVERVIEW_CELLS. Max, not mean: a sharp head (one
// strong weight per row) stays visible at 8,192 tokens. Up to OVERVIEW_CELLS tokens, t = 1 and the overview IS the
// attention, which is how the engine checks its exact replay (queryKeyReplay.ts) when a model is opened.
import { encodeLenField, encodeVarintField } from './protobufWire';

/** Cells per side of the overview (at most). */
export const OVERVIEW_CELLS = 256;

/** Tokens per overview cell side, and cells per side, for N tokens (same integer arithmetic as the graph). */
export function overviewGeometry(n: number): { tile: number; cells: number } {
  const tile = Math.max(1, Math.floor((n + OVERVIEW_CELLS - 1) / OVERVIEW_CELLS));
  return { tile, cells: Math.floor((n + tile - 1) / tile) };
}

/** Max-pools one head's N×N matrix ([query][key], `base` its offset in `data`) the way the graph does. */
export function poolHead(data: Float32Array, base: number, n: number, out: Float32Array, outBase: number): void {
  const { tile, cells } = overviewGeometry(n);
  out.fill(0, outBase, outBase + cells * cells);
  for (let q = 0; q < n; q++) {
    const rowCell = outBase + Math.floor(q / tile) * cells;
    for (let k = 0; k < n; k++) {
      const v = data[base + q * n + k];
      const c = rowCell + Math.floor(k / tile);
      if (v > out[c]) out[c] = v;
    }
  }
}

const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_NAME = 3;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const ATTR_NAME = 1;
const ATTR_INT = 3;
const ATTR_INTS = 8;
const ATTR_TYPE = 20;
const ATTR_TYPE_INT = 2;
const ATTR_TYPE_INTS = 7;
const TENSOR_DIMS = 1;
const TENSOR_DATA_TYPE = 2;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const ONNX_INT64 = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;

type Attribute = { name: string; int: number } | { name: string; ints: number[] };

function attribute(a: Attribute): Buffer {
  const parts = [encodeLenField(ATTR_NAME, a.name)];
  if ('int' in a) parts.push(encodeVarintField(ATTR_INT, a.int), encodeVarintField(ATTR_TYPE, ATTR_TYPE_INT));
  else parts.push(...a.ints.map((v) => encodeVarintField(ATTR_INTS, v)), encodeVarintField(ATTR_TYPE, ATTR_TYPE_INTS));
  return encodeLenField(NODE_ATTRIBUTE, Buffer.concat(parts));
}

function node(name: string, opType: string, inputs: string[], output: string, attributes: Attribute[] = []): Buffer {
  const parts = [
    ...inputs.map((i) => encodeLenField(NODE_INPUT, i)),
    encodeLenField(NODE_OUTPUT, output),
    encodeLenField(NODE_NAME, name),
    encodeLenField(NODE_OP_TYPE, opType),
    ...attributes.map(attribute),
  ];
  return encodeLenField(GRAPH_NODE, Buffer.concat(parts));
}

/** An int64 initializer: a scalar when `dims` is empty. Values are non-negative. */
function int64Initializer(name: string, values: number[], dims: number[]): Buffer {
  const raw = Buffer.from(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
  const parts = [...dims.map((d) => encodeVarintField(TENSOR_DIMS, d)), encodeVarintField(TENSOR_DATA_TYPE, ONNX_INT64), encodeLenField(TENSOR_NAME, name), encodeLenField(TENSOR_RAW_DATA, raw)];
  return encodeLenField(GRAPH_INITIALIZER, Buffer.concat(parts));
}

const PREFIX = 'attention_lens_overview';

/** The name of the pooled output of the `layer`-th exposed Softmax. */
export function overviewOutputName(layer: number): string {
  return `${PREFIX}/layer${layer}`;
}

/** One attention layer as the overview sees it. */
export interface OverviewLayer {
  /** The Softmax output [1, heads, N, N]. */
  softmax: string;
  /** The layer's query·key MatMul (output name) and its query input. */
  matmul: string;
  query: string;
  /** Element type of the query tensor, when the graph declares it. */
  queryElemType?: number;
}

/** Replace input `from` of the node that outputs `nodeOutput` by `to`. */
export interface Rewire {
  nodeOutput: string;
  from: string;
  to: string;
}

/**
 * Encoded GraphProto fields (initializers and nodes) that pool each layer's Softmax into overviewOutputName(i), and
 * the rewiring that makes layer i+1's query·key MatMul wait for layer i's overview. Without it onnxruntime's default
 * order runs every pooling node after the last layer and holds every layer's N×N Softmax until then; with it at most
 * one is alive, as in a bare forward pass. The wait is an exact no-op: the query plus (max − max) of the overview,
 * which is zero because attention weights are finite, cast like the query. `opset` is the model's default-domain opset (ReduceMax takes its
 * axes as an input from opset 18).
 */
export function overviewGraph(layers: OverviewLayer[], opset: number): { fields: Buffer; rewires: Rewire[] } {
  const c = (name: string) => `${PREFIX}/const/${name}`;
  const fields: Buffer[] = [
    int64Initializer(c('two'), [2], []),
    int64Initializer(c('one'), [1], []),
    int64Initializer(c('cellsMinusOne'), [OVERVIEW_CELLS - 1], []),
    int64Initializer(c('cells'), [OVERVIEW_CELLS], []),
    int64Initializer(c('shape1'), [1], [1]),
    int64Initializer(c('zeros6'), [0, 0, 0, 0, 0, 0], [6]),
    int64Initializer(c('zeros2'), [0, 0], [2]),
    int64Initializer(c('axis3'), [3], [1]),
    int64Initializer(c('axis5'), [5], [1]),
  ];
  const reduceMax = (name: string, input: string, axis: 3 | 5 | undefined, output: string) => {
    if (axis === undefined) return node(name, 'ReduceMax', [input], output, [{ name: 'keepdims', int: 0 }]);
    return opset >= 18
      ? node(name, 'ReduceMax', [input, c(`axis${axis}`)], output, [{ name: 'keepdims', int: 0 }])
      : node(name, 'ReduceMax', [input], output, [{ name: 'axes', ints: [axis] }, { name: 'keepdims', int: 0 }]);
  };
  const rewires: Rewire[] = [];
  layers.forEach((layer, l) => {
    const p = (name: string) => `${PREFIX}/l${l}/${name}`;
    const steps: [string, string, string[], Attribute[]?][] = [
      ['shape', 'Shape', [layer.softmax]],
      ['n', 'Gather', [p('shape'), c('two')], [{ name: 'axis', int: 0 }]],
      ['nPlus', 'Add', [p('n'), c('cellsMinusOne')]],
      ['tile', 'Div', [p('nPlus'), c('cells')]],
      ['nPlusTile', 'Add', [p('n'), p('tile')]],
      ['nPlusTileMinusOne', 'Sub', [p('nPlusTile'), c('one')]],
      ['count', 'Div', [p('nPlusTileMinusOne'), p('tile')]],
      ['covered', 'Mul', [p('count'), p('tile')]],
      ['pad', 'Sub', [p('covered'), p('n')]],
      ['pad1', 'Reshape', [p('pad'), c('shape1')]],
      ['count1', 'Reshape', [p('count'), c('shape1')]],
      ['tile1', 'Reshape', [p('tile'), c('shape1')]],
      // Pads are [begin of each axis…, end of each axis…]: only the query and key axes grow, at their ends, with 0
      // (never above a real weight, so the max is unchanged).
      ['pads', 'Concat', [c('zeros6'), p('pad1'), p('pad1')], [{ name: 'axis', int: 0 }]],
      ['padded', 'Pad', [layer.softmax, p('pads')]],
      ['tiles', 'Concat', [c('zeros2'), p('count1'), p('tile1'), p('count1'), p('tile1')], [{ name: 'axis', int: 0 }]],
      ['tiled', 'Reshape', [p('padded'), p('tiles')]],
    ];
    for (const [name, op, inputs, attrs] of steps) fields.push(node(p(name), op, inputs, p(name), attrs));
    // The innermost (contiguous) axis first, then the tile rows of a tensor already `tile` times smaller.
    fields.push(reduceMax(p('maxKeys'), p('tiled'), 5, p('maxKeys')), reduceMax(p('max'), p('maxKeys'), 3, overviewOutputName(l)));
    const next = layers[l + 1];
    if (!next) return;
    fields.push(
      reduceMax(p('largest'), overviewOutputName(l), undefined, p('largest')),
      node(p('zero'), 'Sub', [p('largest'), p('largest')], p('zero')),
    );
    let zero = p('zero');
    if (opset >= 15) {
      fields.push(node(p('zeroCast'), 'CastLike', [zero, next.query], p('zeroCast')));
      zero = p('zeroCast');
    } else if (next.queryElemType !== undefined) {
      fields.push(node(p('zeroCast'), 'Cast', [zero], p('zeroCast'), [{ name: 'to', int: next.queryElemType }]));
      zero = p('zeroCast');
    }
    fields.push(node(p('nextQuery'), 'Add', [next.query, zero], p('nextQuery')));
    rewires.push({ nodeOutput: next.matmul, from: next.query, to: p('nextQuery') });
  });
  return { fields: Buffer.concat(fields), rewires };
}
