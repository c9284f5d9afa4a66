// Writes the patched model as a small graph-only file: nodes and metadata copied byte for byte, attention outputs
// added, and every large inline weight turned into an external-data reference to its bytes in the ORIGINAL file.
// onnxruntime then maps the weights straight from the user's file, so loading costs ~1× the model, not 2×.
// onnxruntime resolves symlinks and refuses data outside its external-data folder, so references use real paths
// (Hugging Face cache snapshots are symlinks into blobs/) relative to their common folder.
import * as fs from 'fs';
import * as path from 'path';
import { MODEL_FIELDS } from './onnxGraph';
import { encodeLenField, encodeVarintField, FileWireReader, WIRE_LEN, WireField } from './protobufWire';
import type { AttentionPlan, SoftmaxOutput } from './onnxAttention';

/** Where the weights really are: one folder for the session, and each file's location relative to it. */
export interface WeightLayout {
  folder: string;
  /** Location of the original graph file (inline weights are read from it). */
  graphLocation: string;
  /** Graph's own external `location` → location relative to `folder`. */
  dataLocations: Map<string, string>;
}

function commonFolder(files: string[]): string {
  let folder = path.dirname(files[0]);
  for (const f of files) {
    while (path.relative(folder, f).startsWith('..') || path.isAbsolute(path.relative(folder, f))) folder = path.dirname(folder);
  }
  return folder;
}

export function weightLayout(plan: AttentionPlan): WeightLayout {
  const graph = fs.realpathSync(plan.onnxFile);
  const data = plan.externalData.map((d) => ({ location: d.location, real: fs.realpathSync(d.file) }));
  const folder = commonFolder([graph, ...data.map((d) => d.real)]);
  const relative = (f: string) => path.relative(folder, f).split(path.sep).join('/');
  return { folder, graphLocation: relative(graph), dataLocations: new Map(data.map((d) => [d.location, relative(d.real)])) };
}

/** Weights smaller than this stay inline: not worth a reference. */
const INLINE_LIMIT = 1024;
const GRAPH_FIELD = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_VALUE_INFO = 13;
const GRAPH_OUTPUT = 12;
const TENSOR_RAW_DATA = 9;
const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;

/** `ValueInfoProto { name, type? }` for one exposed Softmax output. */
function outputValueInfo(o: SoftmaxOutput): Buffer {
  const parts = [encodeLenField(1, o.name)];
  if (o.elemType !== undefined) parts.push(encodeLenField(2, encodeLenField(1, encodeVarintField(1, o.elemType))));
  return encodeLenField(GRAPH_OUTPUT, Buffer.concat(parts));
}

function entry(key: string, value: string): Buffer {
  return encodeLenField(TENSOR_EXTERNAL_DATA, Buffer.concat([encodeLenField(1, key), encodeLenField(2, value)]));
}

/** An already-external initializer with its `location` moved to the layout's folder; other entries kept. */
function relocatedExternal(r: FileWireReader, fields: WireField[], layout: WeightLayout): Buffer {
  const parts = fields.map((x) => {
    if (x.field !== TENSOR_EXTERNAL_DATA || x.wire !== WIRE_LEN) return r.bytes(x.tagStart, x.end);
    const kv = [...r.fields(x.start, x.end)];
    const key = kv.find((e) => e.field === 1);
    const value = kv.find((e) => e.field === 2);
    if (!key || !value || r.string(key) !== 'location') return r.bytes(x.tagStart, x.end);
    return entry('location', layout.dataLocations.get(r.string(value)) ?? r.string(value));
  });
  return encodeLenField(GRAPH_INITIALIZER, Buffer.concat(parts));
}

/** The initializer rewritten to point at its raw bytes in the original graph file, or as written if small. */
function initializerField(r: FileWireReader, f: WireField, layout: WeightLayout): Buffer {
  const fields = [...r.fields(f.start, f.end)];
  if (fields.some((x) => x.field === TENSOR_DATA_LOCATION && x.value === 1)) return relocatedExternal(r, fields, layout);
  const raw = fields.find((x) => x.field === TENSOR_RAW_DATA && x.wire === WIRE_LEN);
  if (!raw || raw.end - raw.start < INLINE_LIMIT) return r.bytes(f.tagStart, f.end);
  const kept = fields.filter((x) => x !== raw && x.field !== TENSOR_DATA_LOCATION).map((x) => r.bytes(x.tagStart, x.end));
  const tensor = Buffer.concat([
    ...kept,
    entry('location', layout.graphLocation),
    entry('offset', String(raw.start)),
    entry('length', String(raw.end - raw.start)),
    encodeVarintField(TENSOR_DATA_LOCATION, 1),
  ]);
  return encodeLenField(GRAPH_INITIALIZER, tensor);
}

/**
 * Graph payload: every field as written, initializers rewritten, the model's own outputs dropped and the attention
 * outputs appended. Nothing reads the hidden states, and without them as outputs onnxruntime skips the work after the
 * last attention (the last layer's value mixing and feed-forward, and a decoder's LM head).
 */
function graphPayload(r: FileWireReader, g: WireField, layout: WeightLayout, outputs: SoftmaxOutput[], keep: ReadonlySet<string>, inlineNode?: number): Buffer {
  const parts: Buffer[] = [];
  let nodeIndex = 0;
  for (const f of r.fields(g.start, g.end)) {
    if (f.field === GRAPH_OUTPUT && outputs.length > 0 && !keep.has(valueInfoName(r, f))) continue;
    if (f.field === GRAPH_NODE && f.wire === WIRE_LEN && nodeIndex++ === inlineNode) {
      parts.push(...inlinedElseBranch(r, f, layout));
      continue;
    }
    parts.push(f.field === GRAPH_INITIALIZER && f.wire === WIRE_LEN ? initializerField(r, f, layout) : r.bytes(f.tagStart, f.end));
  }
  parts.push(...outputs.map(outputValueInfo));
  return Buffer.concat(parts);
}

/**
 * An If node replaced by its else_branch: the branch's nodes, initializers and value_info as written (they may use
 * the outer graph's names, which stay in scope), then one Identity per output from the branch's name to the If's.
 */
function inlinedElseBranch(r: FileWireReader, node: WireField, layout: WeightLayout): Buffer[] {
  const fields = [...r.fields(node.start, node.end)];
  const ifOutputs = fields.filter((x) => x.field === 2 && x.wire === WIRE_LEN).map((x) => r.string(x));
  const branch = fields
    .filter((x) => x.field === 5 && x.wire === WIRE_LEN)
    .map((a) => [...r.fields(a.start, a.end)])
    .find((a) => a.some((x) => x.field === 1 && x.wire === WIRE_LEN && r.string(x) === 'else_branch'))
    ?.find((x) => x.field === 6 && x.wire === WIRE_LEN);
  if (!branch) throw new Error('the If node to inline has no else_branch');
  const parts: Buffer[] = [];
  const branchOutputs: string[] = [];
  for (const f of r.fields(branch.start, branch.end)) {
    if (f.wire !== WIRE_LEN) continue;
    if (f.field === GRAPH_NODE || f.field === GRAPH_VALUE_INFO) parts.push(r.bytes(f.tagStart, f.end));
    else if (f.field === GRAPH_INITIALIZER) parts.push(initializerField(r, f, layout));
    else if (f.field === GRAPH_OUTPUT) branchOutputs.push(valueInfoName(r, f));
  }
  branchOutputs.forEach((from, i) => {
    if (from === ifOutputs[i]) return; // optimum names the If's outputs like the branch's: already produced
    const identity = [encodeLenField(1, from), encodeLenField(2, ifOutputs[i]), encodeLenField(3, `inlined_no_cache_${i}`), encodeLenField(4, 'Identity')];
    parts.push(encodeLenField(GRAPH_NODE, Buffer.concat(identity)));
  });
  return parts;
}

function valueInfoName(r: FileWireReader, f: WireField): string {
  const name = [...r.fields(f.start, f.end)].find((x) => x.field === 1 && x.wire === WIRE_LEN);
  return name ? r.string(name) : '';
}

/**
 * Writes `dest`: `onnxFile`'s model with `outputs` added as graph outputs and, of its own outputs, only `keep`
 * (e.g. logits for generation); node number `inlineNode`, a merged decoder's If, becomes its no-cache branch. Weights are referenced relative to `layout.folder`, which the session must be given
 * as its external data folder.
 */
export function writePatchedGraph(onnxFile: string, outputs: SoftmaxOutput[], layout: WeightLayout, dest: string, keep: readonly string[] = [], inlineNode?: number): void {
  const fd = fs.openSync(onnxFile, 'r');
  const out = fs.openSync(dest, 'w');
  try {
    const r = new FileWireReader(fd, fs.fstatSync(fd).size);
    let wroteOutputs = false;
    for (const f of r.fields(0, r.size, MODEL_FIELDS)) {
      if (f.field === GRAPH_FIELD) {
        fs.writeSync(out, encodeLenField(GRAPH_FIELD, graphPayload(r, f, layout, wroteOutputs ? [] : outputs, new Set(keep), inlineNode)));
        wroteOutputs = true;
      } else {
        fs.writeSync(out, r.bytes(f.tagStart, f.end));
      }
    }
  } finally {
    fs.closeSync(out);
    fs.closeSync(fd);
  }
}
