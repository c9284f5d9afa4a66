// Reads the structure of an ONNX ModelProto (nodes, inputs, outputs, value_info, initializer headers) from a file
// without decoding weight payloads, so a 400 MB model costs a few MB of JS memory.
import * as fs from 'fs';
import { FileWireReader, WIRE_LEN, WIRE_VARINT, WireField, WireFormatError } from './protobufWire';

export const ONNX_FLOAT = 1;
export const ONNX_INT32 = 6;
export const ONNX_INT64 = 7;
export const ONNX_FLOAT16 = 10;

export interface OnnxValueInfo {
  name: string;
  elemType?: number;
  /** Dimensions: a number, a symbolic name, or undefined when unknown. Absent when the shape is unknown. */
  dims?: (number | string | undefined)[];
}

export interface OnnxOpRef {
  opType: string;
  domain: string;
}

export interface OnnxNode extends OnnxOpRef {
  name: string;
  inputs: string[];
  outputs: string[];
  /** Integer attributes by name (axis, …). */
  ints: Map<string, number>;
  /** Every operator inside this node's subgraphs (If/Loop/Scan bodies), recursively. */
  subgraphOps: OnnxOpRef[];
  /** An If node's branches (then_branch / else_branch), read in full: a merged decoder's no-cache branch is inlined. */
  branches?: Map<string, OnnxGraphSummary>;
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  dataType: number;
  /** `location` of external data, when the weights live in another file. */
  externalLocation?: string;
}

export interface OnnxGraphSummary {
  irVersion?: number;
  opsets: Map<string, number>;
  nodes: OnnxNode[];
  initializers: Map<string, OnnxInitializer>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  valueInfo: Map<string, OnnxValueInfo>;
  hasGraph: boolean;
}

/** Reads the graph summary of an ONNX file. Throws WireFormatError for truncated or non-protobuf bytes. */
export function readOnnxGraph(file: string): OnnxGraphSummary {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    return readModel(new FileWireReader(fd, size));
  } finally {
    fs.closeSync(fd);
  }
}

/** ModelProto's fields and wire types (onnx.proto): anything else at the top level means "not ONNX". */
export const MODEL_FIELDS: ReadonlyMap<number, number> = new Map([
  [1, WIRE_VARINT], [2, WIRE_LEN], [3, WIRE_LEN], [4, WIRE_LEN], [5, WIRE_VARINT], [6, WIRE_LEN],
  [7, WIRE_LEN], [8, WIRE_LEN], [14, WIRE_LEN], [20, WIRE_LEN], [25, WIRE_LEN],
]);

function readModel(r: FileWireReader): OnnxGraphSummary {
  const g = emptySummary();
  for (const f of r.fields(0, r.size, MODEL_FIELDS)) {
    if (f.field === 1) {
      g.irVersion = f.value;
    } else if (f.field === 7) {
      g.hasGraph = true;
      readGraph(r, f, g);
    } else if (f.field === 8) {
      let domain = '';
      let version = 0;
      for (const o of r.fields(f.start, f.end)) {
        if (o.field === 1 && o.wire === WIRE_LEN) domain = r.string(o);
        else if (o.field === 2 && o.wire === WIRE_VARINT) version = o.value;
      }
      g.opsets.set(domain === 'ai.onnx' ? '' : domain, version);
    }
  }
  return g;
}

function readGraph(r: FileWireReader, gf: WireField, g: OnnxGraphSummary): void {
  for (const f of r.fields(gf.start, gf.end)) {
    if (f.wire !== WIRE_LEN) continue;
    if (f.field === 1) g.nodes.push(readNode(r, f));
    else if (f.field === 5) {
      const init = readTensorHeader(r, f);
      g.initializers.set(init.name, init);
    } else if (f.field === 11) g.inputs.push(readValueInfo(r, f));
    else if (f.field === 12) g.outputs.push(readValueInfo(r, f));
    else if (f.field === 13) {
      const vi = readValueInfo(r, f);
      g.valueInfo.set(vi.name, vi);
    }
  }
}

function readNode(r: FileWireReader, nf: WireField): OnnxNode {
  const node: OnnxNode = { opType: '', domain: '', name: '', inputs: [], outputs: [], ints: new Map(), subgraphOps: [] };
  for (const f of r.fields(nf.start, nf.end)) {
    if (f.wire !== WIRE_LEN) continue;
    if (f.field === 1) node.inputs.push(r.string(f));
    else if (f.field === 2) node.outputs.push(r.string(f));
    else if (f.field === 3) node.name = r.string(f);
    else if (f.field === 4) node.opType = r.string(f);
    else if (f.field === 7) node.domain = r.string(f);
    else if (f.field === 5) readAttribute(r, f, node);
  }
  if (node.domain === 'ai.onnx') node.domain = '';
  return node;
}

function readAttribute(r: FileWireReader, af: WireField, node: OnnxNode): void {
  let name = '';
  let intValue: number | undefined;
  let graph: WireField | undefined;
  for (const f of r.fields(af.start, af.end)) {
    if (f.field === 1 && f.wire === WIRE_LEN) name = r.string(f);
    else if (f.field === 3 && f.wire === WIRE_VARINT) intValue = f.value;
    else if ((f.field === 6 || f.field === 11) && f.wire === WIRE_LEN) {
      collectSubgraphOps(r, f, node.subgraphOps);
      if (f.field === 6) graph = f;
    }
  }
  if (intValue !== undefined) node.ints.set(name, intValue);
  if (graph && (name === 'then_branch' || name === 'else_branch')) {
    const branch = emptySummary();
    branch.hasGraph = true;
    readGraph(r, graph, branch);
    (node.branches ??= new Map()).set(name, branch);
  }
}

function emptySummary(): OnnxGraphSummary {
  return { opsets: new Map(), nodes: [], initializers: new Map(), inputs: [], outputs: [], valueInfo: new Map(), hasGraph: false };
}

/** Every operator of a subgraph (and of its own subgraphs), for If/Loop/Scan bodies. */
function collectSubgraphOps(r: FileWireReader, gf: WireField, out: OnnxOpRef[]): void {
  for (const f of r.fields(gf.start, gf.end)) {
    if (f.field !== 1 || f.wire !== WIRE_LEN) continue;
    const node = readNode(r, f);
    out.push({ opType: node.opType, domain: node.domain });
    for (const op of node.subgraphOps) out.push(op);
  }
}

function readTensorHeader(r: FileWireReader, tf: WireField): OnnxInitializer {
  const t: OnnxInitializer = { name: '', dims: [], dataType: 0 };
  let external = false;
  for (const f of r.fields(tf.start, tf.end)) {
    if (f.field === 1) t.dims.push(...r.packedVarints(f));
    else if (f.field === 2 && f.wire === WIRE_VARINT) t.dataType = f.value;
    else if (f.field === 8 && f.wire === WIRE_LEN) t.name = r.string(f);
    else if (f.field === 14 && f.wire === WIRE_VARINT) external = f.value === 1;
    else if (f.field === 13 && f.wire === WIRE_LEN) {
      let key = '';
      let value = '';
      for (const e of r.fields(f.start, f.end)) {
        if (e.field === 1 && e.wire === WIRE_LEN) key = r.string(e);
        else if (e.field === 2 && e.wire === WIRE_LEN) value = r.string(e);
      }
      if (key === 'location') t.externalLocation = value;
    }
    // raw_data (field 9) and the typed data fields are skipped: their bytes are never read.
  }
  if (!external) t.externalLocation = undefined;
  return t;
}

function readValueInfo(r: FileWireReader, vf: WireField): OnnxValueInfo {
  const vi: OnnxValueInfo = { name: '' };
  for (const f of r.fields(vf.start, vf.end)) {
    if (f.field === 1 && f.wire === WIRE_LEN) vi.name = r.string(f);
    else if (f.field === 2 && f.wire === WIRE_LEN) {
      for (const t of r.fields(f.start, f.end)) {
        if (t.field !== 1 || t.wire !== WIRE_LEN) continue; // tensor_type only
        for (const tt of r.fields(t.start, t.end)) {
          if (tt.field === 1 && tt.wire === WIRE_VARINT) vi.elemType = tt.value;
          else if (tt.field === 2 && tt.wire === WIRE_LEN) vi.dims = readShape(r, tt);
        }
      }
    }
  }
  return vi;
}

function readShape(r: FileWireReader, sf: WireField): (number | string | undefined)[] {
  const dims: (number | string | undefined)[] = [];
  for (const d of r.fields(sf.start, sf.end)) {
    if (d.field !== 1 || d.wire !== WIRE_LEN) continue;
    let dim: number | string | undefined;
    for (const x of r.fields(d.start, d.end)) {
      if (x.field === 1 && x.wire === WIRE_VARINT) dim = x.value;
      else if (x.field === 2 && x.wire === WIRE_LEN) dim = r.string(x);
    }
    dims.push(dim);
  }
  return dims;
}
