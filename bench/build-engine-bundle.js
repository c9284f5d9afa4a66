// Bundles the engine (and its worker, which it finds next to itself) the way esbuild.js bundles dist/, into a
// git-ignored folder, so the bench measures the shipped JavaScript without tsx and without adding files to dist/.
'use strict';
const esbuild = require('esbuild');
const path = require('path');

const ROOT = path.join(__dirname, '..');

async function buildEngineBundle(outdir) {
  await esbuild.build({
    entryPoints: { engine: path.join(ROOT, 'src/engine/analyze.ts'), worker: path.join(ROOT, 'src/engine/worker.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'onnxruntime-node', 'tokenizers'],
    logLevel: 'warning',
  });
  return path.join(outdir, 'engine.js');
}

module.exports = { buildEngineBundle };
