// (a′) The engine's own inference worker (its patched copy, its session options, its transfer of the outputs to
// the main thread) fetching every attention output, without tokenizing or building the result: splits (b) into
// "onnxruntime in the engine's worker" and "analyze() around it".
'use strict';
const { readArgs, writeResult, median, memoryMB, timeRuns } = require('./common');

function feedsFor(plan, ids) {
  const n = ids.length;
  const values = { input_ids: ids, attention_mask: ids.map(() => 1), position_ids: ids.map((_, i) => i) };
  return plan.inputs.map((input) => {
    const v = values[input.name] ?? ids.map(() => 0);
    const data = input.type === 'int64' ? BigInt64Array.from(v, BigInt) : Int32Array.from(v);
    return { name: input.name, type: input.type, data, dims: [1, n] };
  });
}

async function main() {
  const args = readArgs();
  const { inspectAttention, ensurePatchedModel, InferenceWorker } = require(args.engineInternals);
  const plan = await inspectAttention(args.onnxFile);
  const patched = await ensurePatchedModel(plan, args.cacheDir);
  // The engine's own rule (analyze.ts): prepack MatMul weights unless one weight dominates the model.
  const prepack = plan.weightBytes.largest <= plan.weightBytes.total / 2;
  const worker = new InferenceWorker(patched.file, patched.externalDataFolder, prepack);
  await worker.load();
  const fetches = plan.softmaxOutputs.map((o) => o.name);
  const lengths = {};
  for (const [length, texts] of Object.entries(args.inputs)) {
    const feeds = texts.map((t) => feedsFor(plan, t.ids));
    const samples = await timeRuns(args.warmups, args.runs, (i) => worker.run(feeds[i % feeds.length], fetches));
    lengths[length] = { samplesMs: samples, medianMs: median(samples) };
  }
  writeResult(args, { patchedReused: patched.reused, prepack, fetched: fetches.length, lengths, memoryEnd: memoryMB() });
  await worker.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
