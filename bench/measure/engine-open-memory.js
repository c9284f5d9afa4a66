// (d) Peak resident memory of a fresh process that patches and loads the model: AttentionEngine.open() with an
// empty cache folder (so it hashes, copies and patches the file), then VmHWM after open() returned.
'use strict';
const fs = require('fs');
const { readArgs, writeResult, memoryMB } = require('./common');

async function main() {
  const args = readArgs();
  if (fs.existsSync(args.cacheDir) && fs.readdirSync(args.cacheDir).length) throw new Error(`${args.cacheDir} is not empty`);
  const { AttentionEngine } = require(args.engineBundle);
  const before = memoryMB();
  const t0 = performance.now();
  const engine = await AttentionEngine.open(args.modelFolder, { cacheDir: args.cacheDir, maxTokens: args.maxTokens });
  const openMs = performance.now() - t0;
  const afterOpen = memoryMB();
  await engine.dispose();
  writeResult(args, { before, afterOpen, openMs });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
