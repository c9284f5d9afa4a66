// Protobuf wire format, read with positional reads on a file descriptor so large byte fields (weights) are
// skipped, never copied into JS. Also the few encoders needed to append a small message to a file.
import * as fs from 'fs';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

/** `truncated`: a field runs past the end of the file. `invalid`: the bytes are not protobuf at all. */
export class WireFormatError extends Error {
  constructor(
    readonly kind: 'truncated' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/** One field of a message. For LEN fields the payload is [start, end); for varints `value` holds the number. */
export interface WireField {
  field: number;
  wire: number;
  value: number;
  /** Where the field's tag begins: [tagStart, end) is the whole field, as written. */
  tagStart: number;
  start: number;
  end: number;
}

const CHUNK = 64 * 1024;

/** Reads protobuf fields out of a file through a small sliding window; memory stays at one chunk. */
export class FileWireReader {
  private readonly buf = Buffer.alloc(CHUNK);
  private bufStart = 0;
  private bufLen = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  private byteAt(pos: number): number {
    if (pos >= this.size) throw new WireFormatError('truncated', `unexpected end of file at byte ${pos}`);
    if (pos < this.bufStart || pos >= this.bufStart + this.bufLen) {
      this.bufLen = fs.readSync(this.fd, this.buf, 0, CHUNK, pos);
      this.bufStart = pos;
      if (this.bufLen <= 0) throw new WireFormatError('truncated', `unexpected end of file at byte ${pos}`);
    }
    return this.buf[pos - this.bufStart];
  }

  /** A varint at `pos` as a signed 64-bit value (int64 fields like axis = -1 take ten bytes). */
  readVarint(pos: number): { value: number; next: number } {
    let result = 0;
    let shift = 0;
    let p = pos;
    for (;;) {
      const b = this.byteAt(p++);
      if (shift < 49) {
        result += (b & 0x7f) * 2 ** shift;
        if (!(b & 0x80)) return { value: result, next: p };
        shift += 7;
        continue;
      }
      // Beyond 7 bytes exact arithmetic needs BigInt; only huge or negative numbers get here.
      return this.readVarintBig(pos);
    }
  }

  private readVarintBig(pos: number): { value: number; next: number } {
    let result = 0n;
    let shift = 0n;
    let p = pos;
    for (let i = 0; i < 10; i++) {
      const b = this.byteAt(p++);
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return { value: Number(BigInt.asIntN(64, result)), next: p };
      shift += 7n;
    }
    throw new WireFormatError('invalid', `varint longer than 10 bytes at byte ${pos}`);
  }

  /** The bytes of [start, end), for small fields such as names. */
  bytes(start: number, end: number): Buffer {
    if (start >= this.bufStart && end <= this.bufStart + this.bufLen) {
      return Buffer.from(this.buf.subarray(start - this.bufStart, end - this.bufStart));
    }
    const out = Buffer.alloc(end - start);
    let done = 0;
    while (done < out.length) {
      const n = fs.readSync(this.fd, out, done, out.length - done, start + done);
      if (n <= 0) throw new WireFormatError('truncated', `unexpected end of file at byte ${start + done}`);
      done += n;
    }
    return out;
  }

  string(f: WireField): string {
    return this.bytes(f.start, f.end).toString('utf8');
  }

  /**
   * The fields of the message in [start, end), in file order. `known` (field → wire type), when given, rejects
   * any other field as not this message at all, before a long length could pass for truncation.
   */
  *fields(start: number, end: number, known?: ReadonlyMap<number, number>): Generator<WireField> {
    let pos = start;
    while (pos < end) {
      const tagStart = pos;
      const tag = this.readVarint(pos);
      const field = Math.floor(tag.value / 8);
      const wire = tag.value & 7;
      if (field <= 0) throw new WireFormatError('invalid', `field number 0 at byte ${pos}`);
      if (known && known.get(field) !== wire) throw new WireFormatError('invalid', `unexpected field ${field} (wire type ${wire}) at byte ${pos}`);
      pos = tag.next;
      let f: WireField;
      if (wire === WIRE_VARINT) {
        const v = this.readVarint(pos);
        f = { field, wire, tagStart, value: v.value, start: pos, end: v.next };
      } else if (wire === WIRE_LEN) {
        const len = this.readVarint(pos);
        if (len.value < 0) throw new WireFormatError('invalid', `negative length at byte ${pos}`);
        f = { field, wire, tagStart, value: len.value, start: len.next, end: len.next + len.value };
      } else if (wire === WIRE_FIXED64) {
        f = { field, wire, tagStart, value: 0, start: pos, end: pos + 8 };
      } else if (wire === WIRE_FIXED32) {
        f = { field, wire, tagStart, value: 0, start: pos, end: pos + 4 };
      } else {
        throw new WireFormatError('invalid', `unsupported wire type ${wire} at byte ${pos}`);
      }
      if (f.end > this.size) throw new WireFormatError('truncated', `field ${field} runs past the end of the file`);
      if (f.end > end) throw new WireFormatError('invalid', `field ${field} runs past the end of its message`);
      pos = f.end;
      yield f;
    }
  }

  /** Values of a repeated integer field, packed (LEN) or not (varint). */
  packedVarints(f: WireField): number[] {
    if (f.wire === WIRE_VARINT) return [f.value];
    const out: number[] = [];
    let pos = f.start;
    while (pos < f.end) {
      const v = this.readVarint(pos);
      out.push(v.value);
      pos = v.next;
    }
    return out;
  }
}

function encodeVarint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** A LEN field: tag, length, payload. */
export function encodeLenField(field: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([encodeVarint(field * 8 + WIRE_LEN), encodeVarint(body.length), body]);
}

/** A varint field (non-negative values only). */
export function encodeVarintField(field: number, value: number): Buffer {
  return Buffer.concat([encodeVarint(field * 8 + WIRE_VARINT), encodeVarint(value)]);
}
