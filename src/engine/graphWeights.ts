// Finds where named initializers keep their bytes (inline raw_data / float_data in the graph file, or an external
// data file) and reads only those bytes. Used for the few weights value-norm attention needs, never the whole model.
import * as fs from 'fs';
import * as path from 'path';
import { MODEL_FIELDS, ONNX_FLOAT, ONNX_FLOAT16 } from './onnxGraph';
import { FileWireReader, WIRE_LEN, WIRE_VARINT } from './protobufWire';

export const ONNX_UINT8 = 2;
export const ONNX_INT8 = 3;

/** Where one initializer's values are: a byte range of a file inside the model folder. */
export interface WeightRef {
  name: string;
  file: string;
  offset: number;
  length: number;
  dataType: number;
  dims: number[];
}

const GRAPH = 7;
const INITIALIZER = 5;
const TENSOR = { dims: 1, dataType: 2, floatData: 4, name: 8, rawData: 9, externalData: 13, dataLocation: 14 };

/** Byte ranges of the initializers in `names` found in `onnxFile`; absent names are simply missing from the map. */
export function locateInitializers(onnxFile: string, names: Set<string>): Map<string, WeightRef> {
  const found = new Map<string, WeightRef>();
  const dir = path.dirname(onnxFile);
  const fd = fs.openSync(onnxFile, 'r');
  try {
    const r = new FileWireReader(fd, fs.fstatSync(fd).size);
    for (const g of r.fields(0, r.size, MODEL_FIELDS)) {
      if (g.field !== GRAPH) continue;
      for (const f of r.fields(g.start, g.end)) {
        if (f.field !== INITIALIZER || f.wire !== WIRE_LEN) continue;
        const ref: WeightRef = { name: '', file: onnxFile, offset: -1, length: 0, dataType: 0, dims: [] };
        const external: Record<string, string> = {};
        let isExternal = false;
        for (const t of r.fields(f.start, f.end)) {
          if (t.field === TENSOR.dims) ref.dims.push(...r.packedVarints(t));
          else if (t.field === TENSOR.dataType && t.wire === WIRE_VARINT) ref.dataType = t.value;
          else if (t.field === TENSOR.name && t.wire === WIRE_LEN) ref.name = r.string(t);
          else if ((t.field === TENSOR.rawData || t.field === TENSOR.floatData) && t.wire === WIRE_LEN) [ref.offset, ref.length] = [t.start, t.end - t.start];
          else if (t.field === TENSOR.dataLocation && t.wire === WIRE_VARINT) isExternal = t.value === 1;
          else if (t.field === TENSOR.externalData && t.wire === WIRE_LEN) {
            let key = '';
            let value = '';
            for (const e of r.fields(t.start, t.end)) {
              if (e.field === 1 && e.wire === WIRE_LEN) key = r.string(e);
              else if (e.field === 2 && e.wire === WIRE_LEN) value = r.string(e);
            }
            external[key] = value;
          }
        }
        if (!names.has(ref.name)) continue;
        if (isExternal) {
          const file = path.resolve(dir, external.location ?? '');
          if (!external.location || path.isAbsolute(external.location) || path.relative(dir, file).startsWith('..')) continue;
          ref.file = file;
          ref.offset = Number(external.offset ?? 0);
          ref.length = external.length !== undefined ? Number(external.length) : elementCount(ref.dims) * elementBytes(ref.dataType);
        }
        if (ref.offset >= 0) found.set(ref.name, ref);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return found;
}

function elementCount(dims: number[]): number {
  return dims.reduce((a, d) => a * d, 1);
}

function elementBytes(dataType: number): number {
  return dataType === ONNX_FLOAT ? 4 : dataType === ONNX_FLOAT16 ? 2 : 1;
}

/** True when readWeight can decode this element type. */
export function readableType(dataType: number): boolean {
  return [ONNX_FLOAT, ONNX_FLOAT16, ONNX_UINT8, ONNX_INT8].includes(dataType);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** The initializer's values as float64 (integers as their plain values), read from its byte range only. */
export function readWeight(ref: WeightRef): Float64Array {
  const count = elementCount(ref.dims);
  const bytes = count * elementBytes(ref.dataType);
  if (!readableType(ref.dataType)) throw new Error(`${ref.name} has element type ${ref.dataType}, which value-norm cannot read`);
  if (ref.length < bytes) throw new Error(`${ref.name} holds ${ref.length} bytes, expected ${bytes}`);
  const buf = Buffer.alloc(bytes);
  const fd = fs.openSync(ref.file, 'r');
  try {
    let done = 0;
    while (done < bytes) {
      const n = fs.readSync(fd, buf, done, bytes - done, ref.offset + done);
      if (n <= 0) throw new Error(`${ref.file} ends before ${ref.name}'s data`);
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (ref.dataType === ONNX_FLOAT) out[i] = buf.readFloatLE(4 * i);
    else if (ref.dataType === ONNX_FLOAT16) out[i] = halfToFloat(buf.readUInt16LE(2 * i));
    else if (ref.dataType === ONNX_UINT8) out[i] = buf.readUInt8(i);
    else out[i] = buf.readInt8(i);
  }
  return out;
}
