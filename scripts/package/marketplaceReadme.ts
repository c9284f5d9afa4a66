// The README a VSIX carries (the Marketplace page and VS Code's extension page): the repository README's user
// sections only. Build commands, the CLI, benchmarks, tests and packaging stay in the repository's README.
import * as fs from 'fs';
import * as path from 'path';

/** Level-2 sections a user of the extension reads, in README order. */
export const userSections = ['Getting started', 'Using Attention Lens in VS Code', 'Reading the views', 'Supported platforms', 'Models'];

const licencesNote = `## Licences

Attention Lens is MIT licensed. \`THIRD-PARTY-NOTICES.md\`, in the extension's folder, reproduces the licences of
onnxruntime, tokenizers, the codicons, Chart.js, lit and vscode-elements, and describes the bundled model's training
data and its licences.
`;

export function marketplaceReadme(readme: string): string {
  const parts = readme.split(/^(?=## )/m);
  const intro = parts[0].replace(/```[\s\S]*?```\n*/g, '');
  const kept = parts.slice(1).filter((part) => userSections.includes(/^## (.+)$/m.exec(part)![1].trim()));
  return [intro.trimEnd(), ...kept.map((p) => p.trimEnd()), licencesNote.trimEnd()].join('\n\n') + '\n';
}

/** Writes it under .cache/ (vsce takes a readme only from inside the project) and returns its relative path. */
export function writeMarketplaceReadme(repoRoot: string): string {
  const relative = path.posix.join('.cache', 'package', 'README.md');
  fs.mkdirSync(path.join(repoRoot, '.cache', 'package'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, relative), marketplaceReadme(fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8')));
  return relative;
}
