// b/a measured in one process: a bare onnxruntime pass and engine.analyze() alternate on the same tokens, so load from
// other processes on a shared machine hits both alike; the ratio of each pair, and their median. Times only (both
// sessions live in this process, so its peak RSS means nothing here).
'use strict';
const ort = require('onnxruntime-node');
const { readArgs, writeResult, median } = require('./common');

async function main() {
  const args = readArgs();
  const { LongAttentionEngine } = require(args.longBundle);
  const session = await ort.InferenceSession.create(args.onnxFile, { executionProviders: ['cpu'], logSeverityLevel: 3 });
  const n = args.ids.length;
  const int64 = (values) => new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, n]);
  const feeds = { input_ids: int64(args.ids), attention_mask: int64(args.ids.map(() => 1)), position_ids: int64(args.ids.map((_, i) => i)) };
  const engine = await LongAttentionEngine.open(args.modelFolder, { cacheDir: args.cacheDir });
  const pairs = [];
  for (let i = 0; i < args.warmups + args.pairs; i++) {
    const order = i % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    const ms = {};
    for (const side of order) {
      const t0 = performance.now();
      if (side === 'a') await session.run(feeds, ['logits']);
      else await engine.analyze(args.text, { maxTokens: n });
      ms[side] = performance.now() - t0;
    }
    if (i >= args.warmups) pairs.push({ ortMs: ms.a, engineMs: ms.b, ratio: ms.b / ms.a });
  }
  writeResult(args, { tokens: n, pairs, medianRatio: median(pairs.map((p) => p.ratio)) });
  await engine.dispose();
  await session.release();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
