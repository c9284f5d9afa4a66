// (a) onnxruntime-node run() of the user's unpatched model on the main thread, inputs prepared beforehand, default
// session options: what plain onnxruntime costs. args.sessionConfig adds session config entries (the engine's
// disable_prepacking, to price that choice on its own).
'use strict';
const ort = require('onnxruntime-node');
const { readArgs, writeResult, median, memoryMB, timeRuns, bertFeeds } = require('./common');

async function main() {
  const args = readArgs();
  const t0 = performance.now();
  const options = { executionProviders: ['cpu'], logSeverityLevel: 3 };
  if (args.sessionConfig) options.extra = { session: args.sessionConfig };
  const session = await ort.InferenceSession.create(args.onnxFile, options);
  const createMs = performance.now() - t0;
  const afterLoad = memoryMB();
  const fetches = ['last_hidden_state'];
  const lengths = {};
  let check;
  for (const [length, texts] of Object.entries(args.inputs)) {
    const feeds = texts.map((t) => bertFeeds(t.ids));
    const samples = await timeRuns(args.warmups, args.runs, (i) => session.run(feeds[i % feeds.length], fetches));
    lengths[length] = { samplesMs: samples, medianMs: median(samples) };
    if (!check) {
      const out = await session.run(feeds[0], fetches);
      check = { length: Number(length), head: Array.from(out.last_hidden_state.data.slice(0, 8)) };
    }
  }
  writeResult(args, { createMs, memoryAfterLoad: afterLoad, lengths, check, memoryEnd: memoryMB() });
  await session.release();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
