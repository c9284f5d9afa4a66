import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { writeIgnoreFile } from '../../../scripts/package/ignoreFile';
import { checkVsixEntries, inspectVsix, linkedOnnxruntimeLibraries, readVsixEntries, type VsixEntry } from '../../../scripts/package/inspectVsix';
import { NATIVE_HEADER_BYTES, nativeKindOf } from '../../../scripts/package/nativeFormat';
import { packageVsix } from '../../../scripts/package/packageVsix';
import { packageTargetNamed, packageTargets, type PackageTarget } from '../../../scripts/package/targets';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const vsceBin = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');

/** What `vsce ls` lists: the files a VSIX made with this ignore file would hold (needs `npm run build` first). */
async function vsceList(ignoreFile?: string): Promise<string[]> {
  const args = [vsceBin, 'ls', ...(ignoreFile ? ['--ignoreFile', ignoreFile] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: repoRoot });
  return stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

async function listFor(target: PackageTarget): Promise<string[]> {
  const ignore = writeIgnoreFile(target, repoRoot);
  try {
    return await vsceList(ignore.file);
  } finally {
    fs.rmSync(ignore.folder, { recursive: true, force: true });
  }
}

// Everything a package may hold; anything else (sources, tests, scripts, fixtures, lock files) does not belong.
const belongs = [
  /^(package\.json|package\.nls(\.[\w-]+)?\.json|README\.md|CHANGELOG\.md|LICENSE|THIRD-PARTY-NOTICES\.md)$/,
  /^dist\/[\w.-]+\.(js|css|ttf|map)$/,
  /^media\/(icon\.(svg|png)|webview\.css|how-to-read-attention\.md|samples\/[\w-]+\.\w+|walkthrough\/\w+\.md|model\/[\w./-]+)$/,
  /^docs\/screenshot(-zoom|-words)?\.png$/,
  /^node_modules\/@vscode\/codicons\/(package\.json|LICENSE|dist\/codicon\.(css|ttf))$/,
  /^node_modules\/onnxruntime-node\/(package\.json|README\.md|dist\/\w+\.js|bin\/napi-v6\/\w+\/\w+\/[\w.]+)$/,
  /^node_modules\/onnxruntime-common\/(package\.json|dist\/cjs\/[\w-]+\.js(on)?)$/,
  /^node_modules\/tokenizers\/(package\.json|LICENSE|index\.js|tokenizers\.[\w-]+\.node)$/,
];

function asEntries(files: string[]): VsixEntry[] {
  return files.map((name) => {
    const fd = fs.openSync(path.join(repoRoot, name), 'r');
    try {
      const header = Buffer.alloc(NATIVE_HEADER_BYTES);
      const read = fs.readSync(fd, header, 0, header.length, 0);
      const isBinding = name.endsWith('onnxruntime_binding.node');
      const linked = isBinding ? linkedOnnxruntimeLibraries(fs.readFileSync(path.join(repoRoot, name))) : undefined;
      return { name: `extension/${name}`, size: 0, native: nativeKindOf(header.subarray(0, read)), linkedLibraries: linked };
    } finally {
      fs.closeSync(fd);
    }
  });
}

const manifestFor = (target: PackageTarget) => `<Identity Id="attention-lens" TargetPlatform="${target.vsceTarget}"/>`;

describe('package contents (vsce ls with each target\'s ignore file)', function () {
  this.timeout(120_000);
  const lists = new Map<string, string[]>();
  before(async () => {
    const all = await Promise.all(packageTargets.map(listFor));
    packageTargets.forEach((t, i) => lists.set(t.vsceTarget, all[i]));
  });

  for (const target of packageTargets) {
    it(`${target.vsceTarget}: only files that belong, its own natives, the model and the bundles`, () => {
      const files = lists.get(target.vsceTarget)!;
      const strays = files.filter((f) => !belongs.some((pattern) => pattern.test(f)));
      assert.deepStrictEqual(strays, [], 'files that do not belong in a package');
      const requiredFiles = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'THIRD-PARTY-NOTICES.md',
        'dist/extension.js', 'dist/worker.js', 'media/icon.png', 'media/model/onnx/model.onnx',
        'media/model/tokenizer.json', 'media/samples/sample.py'];
      for (const required of requiredFiles) {
        assert.ok(files.includes(required), `${required} is missing (run npm run build first)`);
      }
      const report = checkVsixEntries(target, asEntries(files), manifestFor(target));
      assert.deepStrictEqual(report.problems, []);
    });
  }

  it('flags another platform\'s binary, a foreign onnxruntime folder and a missing runtime library', () => {
    const linux = packageTargetNamed('linux-x64');
    const files = lists.get('linux-x64')!.filter((f) => !f.endsWith('libonnxruntime.so.1'));
    files.push('node_modules/tokenizers/tokenizers.darwin-arm64.node',
      'node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime.dll');
    const problems = checkVsixEntries(linux, asEntries(files), manifestFor(packageTargetNamed('darwin-arm64'))).problems;
    const expected = [
      'extension.vsixmanifest says TargetPlatform=darwin-arm64, not linux-x64',
      'extension/node_modules/tokenizers/tokenizers.darwin-arm64.node is Mach-O arm64, not ELF x64',
      'extension/node_modules/tokenizers/tokenizers.darwin-arm64.node is another platform\'s tokenizers binary',
      'extension/node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime.dll is PE32+ x64, not ELF x64',
      'extension/node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime.dll belongs to another platform\'s onnxruntime folder',
      'extension/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1 is missing',
      'the binding links libonnxruntime.so.1, which is not next to it',
    ];
    assert.deepStrictEqual([...problems].sort(), [...expected].sort());
  });

  it('the repository\'s own .vscodeignore lets in no native binary (each target\'s ignore file adds its own)', async () => {
    const files = await vsceList();
    assert.deepStrictEqual(files.filter((f) => /\.(node|so(\.\d+)*|dll|dylib)$/.test(f)), []);
  });

  it('packs a real VSIX (linux-arm64) and reads every native header from inside the zip', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-vsix-'));
    try {
      const target = packageTargetNamed('linux-arm64');
      const vsix = path.join(folder, 'attention-lens-linux-arm64.vsix');
      packageVsix(target, vsix, true);
      const report = await inspectVsix(vsix, target);
      assert.deepStrictEqual(report.problems, []);
      assert.strictEqual(report.manifestTarget, 'linux-arm64');
      assert.deepStrictEqual(report.entries.filter((e) => e.native).map((e) => path.basename(e.name)).sort(),
        ['libonnxruntime.so.1', 'onnxruntime_binding.node', 'tokenizers.linux-arm64-gnu.node']);
      // The same zip checked against another target fails on every native file.
      const { entries, manifest } = await readVsixEntries(vsix);
      const asX64 = checkVsixEntries(packageTargetNamed('linux-x64'), entries, manifest).problems;
      assert.ok(asX64.filter((p) => p.includes('is ELF arm64, not ELF x64')).length === 3, asX64.join('\n'));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
