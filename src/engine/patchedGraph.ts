// Writes the patched model as a small graph-only file: nodes and metadata copied byte for byte, attention outputs
// added, and every large inline weight turned into an external-data reference to its bytes in the ORIGINAL file.
// onnxruntime then maps the weights straight from the user's file, so loading costs ~1× the model, not 2×.
import * as fs from 'fs';
import * as path from 'path';
import { MODEL_FIELDS } from './onnxGraph';
import { encodeLenField, encodeVarintField, FileWireReader, WIRE_LEN, WireField } from './protobufWire';
import type { SoftmaxOutput } from './onnxAttention';

/** Weights smaller than this stay inline: not worth a reference. */
const INLINE_LIMIT = 1024;
const GRAPH_FIELD = 7;
const GRAPH_INITIALIZER = 5;
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

/** The initializer rewritten to point at its raw bytes inside `location`, or the original bytes if small. */
function initializerField(r: FileWireReader, f: WireField, location: string): Buffer {
  const fields = [...r.fields(f.start, f.end)];
  const raw = fields.find((x) => x.field === TENSOR_RAW_DATA && x.wire === WIRE_LEN);
  if (!raw || raw.end - raw.start < INLINE_LIMIT || fields.some((x) => x.field === TENSOR_DATA_LOCATION)) {
    return r.bytes(f.tagStart, f.end);
  }
  const kept = fields.filter((x) => x !== raw).map((x) => r.bytes(x.tagStart, x.end));
  const tensor = Buffer.concat([
    ...kept,
    entry('location', location),
    entry('offset', String(raw.start)),
    entry('length', String(raw.end - raw.start)),
    encodeVarintField(TENSOR_DATA_LOCATION, 1),
  ]);
  return encodeLenField(GRAPH_INITIALIZER, tensor);
}

/** Graph payload: every field as written, initializers rewritten, attention outputs appended. */
function graphPayload(r: FileWireReader, g: WireField, location: string, outputs: SoftmaxOutput[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of r.fields(g.start, g.end)) {
    parts.push(f.field === GRAPH_INITIALIZER && f.wire === WIRE_LEN ? initializerField(r, f, location) : r.bytes(f.tagStart, f.end));
  }
  parts.push(...outputs.filter((o) => !o.isGraphOutput).map(outputValueInfo));
  return Buffer.concat(parts);
}

/**
 * Writes `dest`: `onnxFile`'s model with `outputs` added as graph outputs. Weights are referenced by file name
 * relative to `onnxFile`'s folder, so the session must be told that folder as its external data folder.
 */
export function writePatchedGraph(onnxFile: string, outputs: SoftmaxOutput[], dest: string): void {
  const fd = fs.openSync(onnxFile, 'r');
  const out = fs.openSync(dest, 'w');
  try {
    const r = new FileWireReader(fd, fs.fstatSync(fd).size);
    const location = path.basename(onnxFile);
    let wroteOutputs = false;
    for (const f of r.fields(0, r.size, MODEL_FIELDS)) {
      if (f.field === GRAPH_FIELD) {
        fs.writeSync(out, encodeLenField(GRAPH_FIELD, graphPayload(r, f, location, wroteOutputs ? [] : outputs)));
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
