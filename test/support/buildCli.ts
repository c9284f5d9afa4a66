// Bundles dist/cli.js and dist/worker.js exactly as `npm run build` does, so CLI tests run what a user runs.
import * as esbuild from 'esbuild';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

export const CLI = path.join(ROOT, 'dist', 'cli.js');

export async function buildCliBundles(): Promise<void> {
  await esbuild.build({
    entryPoints: { cli: path.join(ROOT, 'src', 'cli', 'main.ts'), worker: path.join(ROOT, 'src', 'engine', 'worker.ts') },
    outdir: path.join(ROOT, 'dist'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'error',
    external: ['vscode', 'onnxruntime-node', 'tokenizers'],
  });
}
