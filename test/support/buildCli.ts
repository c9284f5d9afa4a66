// Bundles dist/cli.js and dist/worker.js exactly as `npm run build` does, so CLI tests run what a user runs.
import { spawnSync } from 'child_process';
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

/** Runs the bundled CLI with patched graphs cached under `cacheHome`, as a user's shell would. */
export function runCli(cacheHome: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
