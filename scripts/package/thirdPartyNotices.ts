// `npm run notices`: writes THIRD-PARTY-NOTICES.md, which every VSIX carries: each npm package a bundle pulls in
// (read from esbuild's metafiles in .cache/esbuild, written by `npm run build`), each package shipped as files in
// node_modules, and the bundled model, with its version, licence and licence text.
import * as fs from 'fs';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '..', '..');
export const NOTICES_FILE = 'THIRD-PARTY-NOTICES.md';

/** Runtime packages the VSIX carries as files (see .vscodeignore), not through a bundle. */
export const shippedPackages = ['onnxruntime-node', 'onnxruntime-common', 'tokenizers', '@vscode/codicons'];

// onnxruntime's npm packages carry no licence file: microsoft/onnxruntime's LICENSE (commit 7c857e9) stands in.
// tokenizers declares Apache-2.0 but its LICENSE file is napi-rs's MIT template: both texts are reproduced.
const licenceCopies: Record<string, string[]> = {
  'onnxruntime-node': ['licences/onnxruntime-LICENSE.txt'],
  'onnxruntime-common': ['licences/onnxruntime-LICENSE.txt'],
  tokenizers: ['licences/Apache-2.0.txt'],
};

const extraNotes: Record<string, string> = {
  'onnxruntime-node':
    'The native onnxruntime library includes third-party code listed in ' +
    'https://github.com/microsoft/onnxruntime/blob/main/ThirdPartyNotices.txt. The Windows packages also carry ' +
    '`DirectML.dll`, `dxcompiler.dll` and `dxil.dll` as onnxruntime-node ships them, under Microsoft\'s ' +
    'redistribution terms for DirectML and the DirectX Shader Compiler.',
  tokenizers:
    'The package declares Apache-2.0, the licence of huggingface/tokenizers (text below, from Debian\'s ' +
    '`/usr/share/common-licenses/Apache-2.0`); its `LICENSE` file, also below, is the MIT notice of the napi-rs ' +
    'template its Node binding is built with.',
  '@vscode/codicons': 'The icon font is CC-BY-4.0 (`LICENSE`); the package\'s code is MIT (`LICENSE-CODE`).',
};

/** npm package names whose files an esbuild metafile lists as bundle inputs. */
export function bundledPackages(metafileFolder = path.join(repoRoot, '.cache', 'esbuild')): string[] {
  if (!fs.existsSync(metafileFolder)) throw new Error(`${metafileFolder} is missing: run npm run build first`);
  const names = new Set<string>();
  for (const file of fs.readdirSync(metafileFolder).filter((f) => f.endsWith('.json'))) {
    const meta = JSON.parse(fs.readFileSync(path.join(metafileFolder, file), 'utf8')) as { inputs: object };
    for (const input of Object.keys(meta.inputs)) {
      const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match) names.add(match[1]);
    }
  }
  return [...names].sort();
}

function licenceTexts(name: string, folder: string): string[] {
  const copies = (licenceCopies[name] ?? []).map((f) => fs.readFileSync(path.join(__dirname, f), 'utf8'));
  const files = fs.readdirSync(folder).filter((f) => /^(licen[cs]e|copying)(-code)?(\.(md|txt))?$/i.test(f)).sort();
  const shipped = files.map((f) => fs.readFileSync(path.join(folder, f), 'utf8'));
  if (copies.length + shipped.length === 0) {
    throw new Error(`${name} has no licence file in node_modules; add a copy to licenceCopies`);
  }
  return [...copies, ...shipped];
}

function packageSection(name: string, how: string): string {
  const folder = path.join(repoRoot, 'node_modules', ...name.split('/'));
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
    version: string; license?: string; repository?: string | { url?: string };
  };
  const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  const lines = [`## ${name} ${manifest.version}`, '', `${how}. Licence: ${manifest.license ?? 'see below'}.` +
    (repository ? ` Source: ${repository.replace(/^git\+/, '')}.` : '')];
  if (extraNotes[name]) lines.push('', extraNotes[name]);
  for (const text of licenceTexts(name, folder)) lines.push('', '```text', text.replace(/^\uFEFF/, '').trimEnd(), '```');
  return lines.join('\n');
}

export function noticesText(bundled: string[]): string {
  const modelSection = [
    '## The bundled model (media/model)',
    '',
    'Trained by the Attention Lens project itself and distributed under this extension\'s MIT licence (`LICENSE`). ' +
      'Its training text was freely licensed (the CPython standard library under the PSF License 2.0; MIT, ISC, ' +
      'BSD and Apache-2.0 npm package sources; Debian documentation under each package\'s free licence); ' +
      '`media/model/README.md` lists the sources and licences.',
  ].join('\n');
  const sections = [
    ...shippedPackages.map((name) => packageSection(name, 'Shipped in `node_modules/` and loaded at run time')),
    ...bundled.map((name) => packageSection(name, 'Bundled into the webview scripts in `dist/`')),
  ];
  return [
    '# Third-party notices',
    '',
    'Attention Lens is MIT licensed (`LICENSE`). It includes the following software and data; each notice is ' +
      'reproduced as the package ships it. Generated by `npm run notices` (scripts/package/thirdPartyNotices.ts).',
    '',
    modelSection,
    '',
    sections.join('\n\n'),
    '',
  ].join('\n');
}

if (require.main === module) {
  fs.writeFileSync(path.join(repoRoot, NOTICES_FILE), noticesText(bundledPackages()));
  console.log(`wrote ${NOTICES_FILE}`);
}
