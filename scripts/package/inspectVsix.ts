// Opens a VSIX (a zip) and reports every way it is not a package for its target: a native file built for another OS or
// CPU, another platform's binary folder, a missing runtime file, or a binding whose onnxruntime library is absent.
import * as yauzl from 'yauzl';
import { looksNative, NATIVE_HEADER_BYTES, nativeKindOf, type NativeKind } from './nativeFormat';
import type { PackageTarget } from './targets';

export interface VsixEntry {
  readonly name: string;
  readonly size: number;
  readonly native?: NativeKind;
  /** Libraries an onnxruntime binding names (e.g. libonnxruntime.so.1), read from its bytes. */
  readonly linkedLibraries?: readonly string[];
}

export interface VsixReport {
  readonly entries: readonly VsixEntry[];
  readonly manifestTarget?: string;
  readonly problems: readonly string[];
}

const PREFIX = 'extension/';
const ORT_LIBRARY_NAME = /(?:lib)?onnxruntime[A-Za-z0-9_.]*\.(?:so(?:\.\d+)*|dll|dylib)/g;

/** The onnxruntime libraries a binding names in its bytes (its load commands / import table / DT_NEEDED). */
export function linkedOnnxruntimeLibraries(binding: Buffer): string[] {
  return [...new Set(binding.toString('latin1').match(ORT_LIBRARY_NAME) ?? [])];
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      let length = 0;
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= limit) stream.destroy();
      });
      stream.on('error', reject);
      stream.on('close', () => resolve(Buffer.concat(chunks).subarray(0, limit)));
      stream.on('end', () => resolve(Buffer.concat(chunks).subarray(0, limit)));
    });
  });
}

/** Every file entry with its native kind; bindings are read whole to list the libraries they link. */
export async function readVsixEntries(vsixPath: string): Promise<{ entries: VsixEntry[]; manifest: string }> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(vsixPath, { lazyEntries: true, autoClose: false }, (e, z) => (e ? reject(e) : resolve(z))),
  );
  const entries: VsixEntry[] = [];
  let manifest = '';
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          if (!entry.fileName.endsWith('/')) {
            const isBinding = entry.fileName.endsWith('onnxruntime_binding.node');
            const bytes = await readEntry(zip, entry, isBinding ? Number.MAX_SAFE_INTEGER : NATIVE_HEADER_BYTES);
            if (entry.fileName === 'extension.vsixmanifest') manifest = bytes.toString('utf8');
            const linked = isBinding ? linkedOnnxruntimeLibraries(bytes) : undefined;
            entries.push({
              name: entry.fileName,
              size: entry.uncompressedSize,
              native: nativeKindOf(bytes),
              linkedLibraries: linked,
            });
          }
          zip.readEntry();
        })().catch(reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return { entries, manifest };
}

/** The problems of a VSIX for `target`; an empty list means every native file is the target's and nothing is missing. */
export function checkVsixEntries(target: PackageTarget, entries: readonly VsixEntry[], manifest: string): VsixReport {
  const problems: string[] = [];
  const manifestTarget = /TargetPlatform="([^"]+)"/.exec(manifest)?.[1];
  if (manifestTarget !== target.vsceTarget) {
    problems.push(`extension.vsixmanifest says TargetPlatform=${manifestTarget ?? '(none)'}, not ${target.vsceTarget}`);
  }
  const want = `${target.format} ${target.arch}`;
  const ortFolder = `${PREFIX}node_modules/onnxruntime-node/bin/napi-v6/${target.onnxruntimeFolder}/`;
  const tokenizersBinary = `${PREFIX}node_modules/tokenizers/${target.tokenizersBinary}`;
  for (const entry of entries) {
    if (entry.native) {
      const got = `${entry.native.format} ${entry.native.arch}`;
      if (got !== want) problems.push(`${entry.name} is ${got}, not ${want}`);
    } else if (looksNative(entry.name)) {
      problems.push(`${entry.name} is named like a native binary but is not ELF, PE or Mach-O`);
    }
    if (entry.name.includes('/onnxruntime-node/bin/') && !entry.name.startsWith(ortFolder)) {
      problems.push(`${entry.name} belongs to another platform's onnxruntime folder`);
    }
    if (/\/tokenizers\/[^/]+\.node$/.test(entry.name) && entry.name !== tokenizersBinary) {
      problems.push(`${entry.name} is another platform's tokenizers binary`);
    }
  }
  const names = new Set(entries.map((e) => e.name));
  for (const required of [...target.onnxruntimeFiles.map((f) => ortFolder + f), tokenizersBinary]) {
    if (!names.has(required)) problems.push(`${required} is missing`);
  }
  const binding = entries.find((e) => e.name === `${ortFolder}onnxruntime_binding.node`);
  for (const library of binding?.linkedLibraries ?? []) {
    if (!names.has(ortFolder + library)) problems.push(`the binding links ${library}, which is not next to it`);
  }
  return { entries, manifestTarget, problems };
}

export async function inspectVsix(vsixPath: string, target: PackageTarget): Promise<VsixReport> {
  const { entries, manifest } = await readVsixEntries(vsixPath);
  return checkVsixEntries(target, entries, manifest);
}
