// Reads a file only when it is a regular file of bounded size: a FIFO, a device (/dev/zero) or a huge file named as
// config.json, tokenizer.json or a text file must give a clear message, never a hang or gigabytes of memory.
import * as fs from 'fs';

export const CONFIG_MAX_BYTES = 16 * 1024 * 1024;
/** The largest tokenizer.json files on the Hub (250k-entry vocabularies with merges) are under 40 MB. */
export const TOKENIZER_MAX_BYTES = 256 * 1024 * 1024;
export const TEXT_MAX_BYTES = 64 * 1024 * 1024;

/** `file` is not a regular file, or is larger than its limit. */
export class IrregularFile extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file} ${reason}`);
  }
}

function describeKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'is a device, not a regular file';
  if (stat.isSocket()) return 'is a socket, not a regular file';
  if (stat.isDirectory()) return 'is a folder, not a file';
  return 'is not a regular file';
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/**
 * The bytes of `file`, opened without blocking (a FIFO with no writer would hang `open`), checked to be a regular
 * file no larger than `maxBytes`, and read up to the size it had when opened. Throws IrregularFile or the errno error.
 */
export function readRegularFile(file: string, maxBytes: number): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new IrregularFile(file, describeKind(stat));
    if (stat.size > maxBytes) throw new IrregularFile(file, `is ${megabytes(stat.size)}, more than the ${megabytes(maxBytes)} allowed for it`);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = fs.readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

export function readRegularText(file: string, maxBytes: number): string {
  return readRegularFile(file, maxBytes).toString('utf8');
}

/** True when `file` exists and is a regular file (following symlinks). */
export function isRegularFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The reason part of an error from readRegularFile, for messages: "is a device, not a regular file" or "ENOENT". */
export function readFailure(e: unknown): string {
  if (e instanceof IrregularFile) return e.reason;
  const code = (e as NodeJS.ErrnoException).code;
  return code ? `cannot be read (${code})` : `cannot be read (${(e as Error).message})`;
}
