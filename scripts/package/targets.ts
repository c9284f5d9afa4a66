// The VS Code targets Attention Lens ships, and which native files each one needs from the installed packages.
// onnxruntime-node 1.30 ships no darwin/x64 build (Microsoft stopped building it after 1.23), so Intel macOS is absent.

export type NativeFormat = 'ELF' | 'PE32+' | 'Mach-O';
export type NativeArch = 'x64' | 'arm64';

export interface PackageTarget {
  /** `vsce package --target` value, also the VSIX file name suffix. */
  readonly vsceTarget: string;
  /** onnxruntime-node's folder under `bin/napi-v6/`, i.e. `${process.platform}/${process.arch}`. */
  readonly onnxruntimeFolder: string;
  /** The onnxruntime files the binding loads; other files of that folder stay out. */
  readonly onnxruntimeFiles: readonly string[];
  /** The one `tokenizers.*.node` file that tokenizers' loader picks on this target. */
  readonly tokenizersBinary: string;
  readonly format: NativeFormat;
  readonly arch: NativeArch;
}

const windowsRuntime = ['onnxruntime_binding.node', 'onnxruntime.dll', 'DirectML.dll', 'dxcompiler.dll', 'dxil.dll'];
const linuxRuntime = ['onnxruntime_binding.node', 'libonnxruntime.so.1'];
// The binding links @rpath/libonnxruntime.1.dylib; the package's libonnxruntime.1.30.0.dylib is a byte-identical copy.
const macRuntime = ['onnxruntime_binding.node', 'libonnxruntime.1.dylib'];

export const packageTargets: readonly PackageTarget[] = [
  {
    vsceTarget: 'win32-x64',
    onnxruntimeFolder: 'win32/x64',
    onnxruntimeFiles: windowsRuntime,
    tokenizersBinary: 'tokenizers.win32-x64-msvc.node',
    format: 'PE32+',
    arch: 'x64',
  },
  {
    vsceTarget: 'win32-arm64',
    onnxruntimeFolder: 'win32/arm64',
    onnxruntimeFiles: windowsRuntime,
    tokenizersBinary: 'tokenizers.win32-arm64-msvc.node',
    format: 'PE32+',
    arch: 'arm64',
  },
  {
    vsceTarget: 'darwin-arm64',
    onnxruntimeFolder: 'darwin/arm64',
    onnxruntimeFiles: macRuntime,
    tokenizersBinary: 'tokenizers.darwin-arm64.node',
    format: 'Mach-O',
    arch: 'arm64',
  },
  {
    vsceTarget: 'linux-x64',
    onnxruntimeFolder: 'linux/x64',
    onnxruntimeFiles: linuxRuntime,
    tokenizersBinary: 'tokenizers.linux-x64-gnu.node',
    format: 'ELF',
    arch: 'x64',
  },
  {
    vsceTarget: 'linux-arm64',
    onnxruntimeFolder: 'linux/arm64',
    onnxruntimeFiles: linuxRuntime,
    tokenizersBinary: 'tokenizers.linux-arm64-gnu.node',
    format: 'ELF',
    arch: 'arm64',
  },
];

export function packageTargetNamed(name: string): PackageTarget {
  const target = packageTargets.find((t) => t.vsceTarget === name);
  if (!target) {
    const known = packageTargets.map((t) => t.vsceTarget).join(', ');
    throw new Error(`"${name}" is not a supported target; use one of ${known}`);
  }
  return target;
}

export function vsixFileName(target: PackageTarget): string {
  return `attention-lens-${target.vsceTarget}.vsix`;
}
