// (b) LongAttentionEngine.analyze(text) until the overview (first heatmap) is ready; (c) one query's exact row in
// every layer and head after that; (d) peak RSS of this process (engine, worker thread and onnxruntime together).
'use strict';
const { readArgs, writeResult, median, memoryMB, timeRuns } = require('./common');

async function main() {
  const args = readArgs();
  const { LongAttentionEngine } = require(args.longBundle);
  const t0 = performance.now();
  const engine = await LongAttentionEngine.open(args.modelFolder, { cacheDir: args.cacheDir });
  const openMs = performance.now() - t0;
  if (engine.method !== 'replay') throw new Error(`the engine fell back to the full path: ${engine.fallbackReason}`);
  const afterOpen = memoryMB();
  let result;
  const samples = await timeRuns(args.warmups, args.runs, async () => {
    result = await engine.analyze(args.text, { maxTokens: args.tokens });
  });
  if (result.tokens.length !== args.tokens) throw new Error(`engine saw ${result.tokens.length} tokens, expected ${args.tokens}`);
  const queries = Array.from({ length: 9 }, (_, i) => Math.floor(((i + 1) * (args.tokens - 1)) / 9));
  const rowSamples = [];
  for (const q of queries) {
    const t = performance.now();
    const rows = result.queryRows(q);
    rowSamples.push(performance.now() - t);
    if (rows.length !== engine.info.layers || rows[0][0].length !== args.tokens) throw new Error('queryRows returned the wrong shape');
  }
  writeResult(args, {
    tokens: args.tokens,
    openMs,
    overview: { tile: result.overview.tile, cells: result.overview.cells },
    samplesMs: samples,
    medianMs: median(samples),
    queryRowsMs: rowSamples,
    queryRowsMedianMs: median(rowSamples),
    memoryAfterOpen: afterOpen,
    memoryEnd: memoryMB(),
  });
  await engine.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
