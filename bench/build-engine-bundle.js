// Bundles the engine (and its worker, which it finds next to itself) the way esbuild.js bundles dist/, into a
// git-ignored folder, so the bench measures the shipped JavaScript without tsx and without adding files to dist/.
// A second bundle exposes the engine's inference worker alone, to time it without tokenizing or assembling results.
'use strict';
const esbuild = require('esbuild');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const NODE_BUNDLE = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'onnxruntime-node', 'tokenizers'], logLevel: 'warning' };

const INTERNALS = `
export { inspectAttention } from './src/engine/onnxAttention';
export { ensurePatchedModel } from './src/engine/patchCache';
export { InferenceWorker } from './src/engine/workerClient';
`;

const EXTRAS = `
export { AttentionEngine } from './src/engine/analyze';
export { compareAttention } from './src/engine/compare';
`;

/** Returns { engine, internals, extras }: paths of the bundled AttentionEngine and of the worker-level pieces. */
async function buildEngineBundle(outdir) {
  await esbuild.build({
    ...NODE_BUNDLE,
    entryPoints: { engine: path.join(ROOT, 'src/engine/analyze.ts'), worker: path.join(ROOT, 'src/engine/worker.ts') },
    outdir,
  });
  // The head-finder / compare extras measured next to the engine: one more small bundle with the same worker.
  await esbuild.build({ ...NODE_BUNDLE, stdin: { contents: EXTRAS, resolveDir: ROOT, loader: 'ts', sourcefile: 'engine-extras.ts' }, outfile: path.join(outdir, 'engine-extras.js') });
  const internals = path.join(outdir, 'engine-internals.js');
  await esbuild.build({ ...NODE_BUNDLE, stdin: { contents: INTERNALS, resolveDir: ROOT, loader: 'ts', sourcefile: 'engine-internals.ts' }, outfile: internals });
  return { engine: path.join(outdir, 'engine.js'), internals, extras: path.join(outdir, 'engine-extras.js') };
}

module.exports = { buildEngineBundle };
