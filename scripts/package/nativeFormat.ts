// Reads what a native file is built for from its first bytes: ELF, PE (Windows) or Mach-O, and the CPU it targets.

export interface NativeKind {
  readonly format: 'ELF' | 'PE32+' | 'PE32' | 'Mach-O' | 'Mach-O universal';
  /** Node's arch names where one exists (x64, arm64, ia32, arm), else the raw machine number in hex. */
  readonly arch: string;
}

/** How many leading bytes `nativeKindOf` may need (a PE header sits at the offset stored at 0x3c). */
export const NATIVE_HEADER_BYTES = 4096;

const elfMachines: Record<number, string> = { 0x3e: 'x64', 0xb7: 'arm64', 0x28: 'arm', 0x03: 'ia32' };
const peMachines: Record<number, string> = { 0x8664: 'x64', 0xaa64: 'arm64', 0x14c: 'ia32', 0x1c4: 'arm' };
const machCpus: Record<number, string> = { 0x0100000c: 'arm64', 0x01000007: 'x64', 0x7: 'ia32', 0xc: 'arm' };

function named(table: Record<number, string>, value: number): string {
  return table[value] ?? `0x${value.toString(16)}`;
}

/** The format and CPU of a native binary, or undefined when the bytes are not one. */
export function nativeKindOf(header: Buffer): NativeKind | undefined {
  if (header.length >= 20 && header.readUInt32BE(0) === 0x7f454c46) {
    const littleEndian = header[5] === 1;
    const machine = littleEndian ? header.readUInt16LE(18) : header.readUInt16BE(18);
    return { format: 'ELF', arch: named(elfMachines, machine) };
  }
  if (header.length >= 0x40 && header.readUInt16LE(0) === 0x5a4d) {
    const pe = header.readUInt32LE(0x3c);
    if (pe + 26 > header.length || header.readUInt32LE(pe) !== 0x00004550) return undefined;
    const machine = header.readUInt16LE(pe + 4);
    const optionalMagic = header.readUInt16LE(pe + 24);
    return { format: optionalMagic === 0x20b ? 'PE32+' : 'PE32', arch: named(peMachines, machine) };
  }
  if (header.length >= 8) {
    const magic = header.readUInt32LE(0);
    if (magic === 0xfeedfacf || magic === 0xfeedface) {
      return { format: 'Mach-O', arch: named(machCpus, header.readUInt32LE(4)) };
    }
    if (header.readUInt32BE(0) === 0xcafebabe) {
      const count = header.readUInt32BE(4);
      // Java class files share this magic; their "count" (a version number) is far above any fat binary's.
      if (count === 0 || count > 16 || header.length < 8 + 20 * count) return undefined;
      const arches = Array.from({ length: count }, (_, i) => named(machCpus, header.readUInt32BE(8 + 20 * i)));
      return { format: 'Mach-O universal', arch: arches.join('+') };
    }
  }
  return undefined;
}

/** Names that only native code should carry; such a file must parse as a native binary. */
export function looksNative(fileName: string): boolean {
  return /\.(node|so(\.\d+)*|dll|dylib|exe)$/i.test(fileName);
}
