// (e) What the head finder, value-norm and compare cost on top of a plain analysis, interleaved per text so that load
// on the machine hits every variant alike: engine.analyze(text) vs with headScores (scored in the worker) vs with
// value-norm (in the worker), and compareAttention of two results on the host (the CLI's `compare`).
'use strict';
const { readArgs, writeResult, median } = require('./common');

async function main() {
  const args = readArgs();
  const { AttentionEngine, compareAttention } = require(args.engineBundle);
  const engine = await AttentionEngine.open(args.modelFolder, { cacheDir: args.cacheDir, maxTokens: args.maxTokens });
  const lengths = {};
  for (const [length, texts] of Object.entries(args.inputs)) {
    const t = { plain: [], headScores: [], valueNorm: [], compareHost: [] };
    for (let i = 0; i < args.warmups + args.runs; i++) {
      // A different text per variant and run: the engine's result cache never answers.
      const text = (k) => texts[(3 * i + k) % texts.length].text + ' '.repeat(k);
      const timed = async (key, f) => {
        const t0 = performance.now();
        const r = await f();
        if (i >= args.warmups) t[key].push(performance.now() - t0);
        return r;
      };
      const plain = await timed('plain', () => engine.analyze(text(0)));
      const scored = await timed('headScores', () => engine.analyze(text(1), { headScores: true }));
      if (scored.headScores.length !== engine.info.layers * engine.info.heads) throw new Error('head scores missing');
      await timed('valueNorm', () => engine.analyze(text(2), { weighting: 'value-norm' }));
      await timed('compareHost', async () => compareAttention(plain, { ...plain, model: { ...plain.model, name: 'copy' } }));
    }
    lengths[length] = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, { samplesMs: v, medianMs: median(v) }]));
  }
  writeResult(args, { lengths });
  await engine.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
