// (a) onnxruntime-node run() of the user's unpatched model on the main thread, inputs prepared beforehand: the floor
// for the engine. With args.fetchAttention it runs the engine's patched copy fetching the attention outputs instead,
// which splits the engine's cost into "onnxruntime computing and copying attention" and "everything else".
'use strict';
const ort = require('onnxruntime-node');
const { readArgs, writeResult, median, memoryMB, timeRuns } = require('./common');

function feedsFor(ids) {
  const n = ids.length;
  const dims = [1, n];
  return {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), dims),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), dims),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(n), dims),
  };
}

async function main() {
  const args = readArgs();
  const t0 = performance.now();
  // The engine's session options (worker.ts): the CPU provider, everything else onnxruntime's default.
  const session = await ort.InferenceSession.create(args.onnxFile, { executionProviders: ['cpu'] });
  const createMs = performance.now() - t0;
  const afterLoad = memoryMB();
  const fetches = args.fetchAttention ? session.outputNames.filter((name) => name !== 'last_hidden_state') : ['last_hidden_state'];
  const lengths = {};
  let check;
  for (const [length, texts] of Object.entries(args.inputs)) {
    const feeds = texts.map((t) => feedsFor(t.ids));
    const samples = await timeRuns(args.warmups, args.runs, (i) => session.run(feeds[i % feeds.length], fetches));
    lengths[length] = { samplesMs: samples, medianMs: median(samples) };
    if (!check) {
      const out = await session.run(feeds[0], fetches);
      const first = out[fetches[0]].data;
      check = {
        length: Number(length),
        fetched: fetches.length,
        fetchedMB: fetches.reduce((sum, name) => sum + out[name].data.byteLength, 0) / 2 ** 20,
        // The worker transfers output buffers without copying only when a tensor owns its whole ArrayBuffer.
        outputOwnsBuffer: first.byteOffset === 0 && first.byteLength === first.buffer.byteLength,
        head: Array.from(first.slice(0, 8)),
      };
    }
  }
  writeResult(args, { createMs, memoryAfterLoad: afterLoad, lengths, check, memoryEnd: memoryMB() });
  await session.release();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
