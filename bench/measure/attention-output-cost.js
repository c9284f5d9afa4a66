// Diagnosis of b − a: in ONE process, interleaved so other load hits every variant alike, the same input through
//   unpatched                 the user's model, last_hidden_state only (= a)
//   patched, one attention    the engine's patched copy (mapped weights; its only outputs are the attentions),
//                             fetching the last layer's only: the compute without 11 of the 12 copies
//   patched, 12 attentions    the same, fetching every attention output (onnxruntime-node copies each into JS)
//   patched, preallocated     the same, into caller-provided output tensors
//   JS alloc + copy           a fresh Float32Array per layer, filled from another: the price of one copy
'use strict';
const ort = require('onnxruntime-node');
const { readArgs, writeResult, median, bertFeeds } = require('./common');

async function main() {
  const args = readArgs();
  const { inspectAttention, ensurePatchedModel } = require(args.engineInternals);
  const plan = await inspectAttention(args.onnxFile);
  const patched = await ensurePatchedModel(plan, args.cacheDir);
  const base = { executionProviders: ['cpu'], logSeverityLevel: 3 };
  const unpatched = await ort.InferenceSession.create(args.onnxFile, base);
  // As the engine's worker loads it (prepacking on: this model has no dominant weight).
  const patchedSession = await ort.InferenceSession.create(patched.file, {
    ...base,
    extra: { session: { model_external_initializers_file_folder_path: patched.externalDataFolder } },
  });
  const attention = plan.softmaxOutputs.map((o) => o.name);
  const lengths = {};
  for (const [length, texts] of Object.entries(args.inputs)) {
    const n = Number(length);
    const feeds = bertFeeds(texts[0].ids);
    const heads = 12;
    const preallocated = Object.fromEntries(attention.map((name) => [name, new ort.Tensor('float32', new Float32Array(heads * n * n), [1, heads, n, n])]));
    const source = new Float32Array(heads * n * n).fill(0.25);
    const variants = {
      unpatched: () => unpatched.run(feeds, ['last_hidden_state']),
      // The patched graph's only outputs are the attentions; fetching one shows the compute without the copies.
      patchedOneAttention: () => patchedSession.run(feeds, attention.slice(-1)),
      patchedAttention: () => patchedSession.run(feeds, attention),
      patchedPreallocated: () => patchedSession.run(feeds, preallocated),
      jsAllocAndCopy: async () => attention.map(() => new Float32Array(source)),
    };
    const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    const names = Object.keys(variants);
    for (let round = 0; round < 1 + args.rounds; round++) {
      // Rotate the order each round so no variant always follows the same one.
      for (let j = 0; j < names.length; j++) {
        const name = names[(j + round) % names.length];
        const t0 = performance.now();
        await variants[name]();
        if (round > 0) samples[name].push(performance.now() - t0);
      }
    }
    lengths[length] = Object.fromEntries(names.map((k) => [k, { medianMs: median(samples[k]), samplesMs: samples[k] }]));
    lengths[length].attentionMiB = (attention.length * heads * n * n * 4) / 2 ** 20;
  }
  writeResult(args, { rounds: args.rounds, lengths });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
