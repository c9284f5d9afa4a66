// (a) Bare onnxruntime: the user's unpatched LLaMA graph, default session options, one forward pass of N tokens
// (input_ids, attention_mask, position_ids → logits) on the main thread. Own process: peak RSS is this pass alone.
'use strict';
const ort = require('onnxruntime-node');
const { readArgs, writeResult, median, memoryMB, timeRuns } = require('./common');

async function main() {
  const args = readArgs();
  const session = await ort.InferenceSession.create(args.onnxFile, { executionProviders: ['cpu'], logSeverityLevel: 3 });
  const n = args.ids.length;
  const int64 = (values) => new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, n]);
  const feeds = { input_ids: int64(args.ids), attention_mask: int64(args.ids.map(() => 1)), position_ids: int64(args.ids.map((_, i) => i)) };
  const afterLoad = memoryMB();
  const samples = await timeRuns(args.warmups, args.runs, () => session.run(feeds, ['logits']));
  writeResult(args, { tokens: n, samplesMs: samples, medianMs: median(samples), memoryAfterLoad: afterLoad, memoryEnd: memoryMB() });
  await session.release();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
