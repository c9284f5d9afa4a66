// (b) The engine end to end, as a caller sees it: engine.analyze(text) wall time (tokenize + patched run in the
// worker + result). Every run uses a different text of the same token count, so the result cache never answers.
'use strict';
const { readArgs, writeResult, median, memoryMB, timeRuns } = require('./common');

async function main() {
  const args = readArgs();
  const { AttentionEngine } = require(args.engineBundle);
  const t0 = performance.now();
  const engine = await AttentionEngine.open(args.modelFolder, { cacheDir: args.cacheDir, maxTokens: args.maxTokens });
  const openMs = performance.now() - t0;
  const lengths = {};
  let check;
  for (const [length, texts] of Object.entries(args.inputs)) {
    const timings = [];
    const samples = await timeRuns(args.warmups, args.runs, async (i) => {
      const result = await engine.analyze(texts[i % texts.length].text);
      if (result.tokens.length !== Number(length)) throw new Error(`engine saw ${result.tokens.length} tokens, expected ${length}`);
      if (i >= args.warmups) timings.push(result.timings);
    });
    lengths[length] = {
      samplesMs: samples,
      medianMs: median(samples),
      engineTimingsMedianMs: {
        tokenizeMs: median(timings.map((t) => t.tokenizeMs)),
        runMs: median(timings.map((t) => t.runMs)),
        totalMs: median(timings.map((t) => t.totalMs)),
      },
    };
    if (!check) {
      // Not timed: the same text as the PyTorch check, to show both compute the same attention.
      const result = await engine.analyze(texts[0].text);
      const n = result.tokens.length;
      const last = result.attention[result.attention.length - 1];
      check = { length: n, layers: result.attention.length, heads: engine.info.heads, lastLayerHead0Row0: Array.from(last.subarray(0, 16)) };
    }
  }
  writeResult(args, { openMs, lengths, check, memoryEnd: memoryMB() });
  await engine.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
