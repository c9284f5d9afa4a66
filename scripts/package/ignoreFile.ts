// One .vscodeignore per target: the repository's .vscodeignore (everything but the platform binaries) plus "!" lines
// that let in only this target's onnxruntime and tokenizers binaries.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PackageTarget } from './targets';

export function nativeIncludeLines(target: PackageTarget): string[] {
  const ortFolder = `node_modules/onnxruntime-node/bin/napi-v6/${target.onnxruntimeFolder}`;
  return [
    ...target.onnxruntimeFiles.map((file) => `!${ortFolder}/${file}`),
    `!node_modules/tokenizers/${target.tokenizersBinary}`,
  ];
}

export function ignoreFileText(target: PackageTarget, baseIgnoreText: string): string {
  const header = `\n# ${target.vsceTarget}: its own native binaries only (scripts/package/ignoreFile.ts)\n`;
  return `${baseIgnoreText.trimEnd()}\n${header}${nativeIncludeLines(target).join('\n')}\n`;
}

/** Writes the target's ignore file into a fresh temporary folder; the caller removes `folder` when done. */
export function writeIgnoreFile(target: PackageTarget, repoRoot: string): { file: string; folder: string } {
  const base = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `attention-lens-${target.vsceTarget}-`));
  const file = path.join(folder, '.vscodeignore');
  fs.writeFileSync(file, ignoreFileText(target, base));
  return { file, folder };
}
