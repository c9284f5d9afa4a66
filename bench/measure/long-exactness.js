// The committed LLaMA fixture at 7,985 tokens: the replayed rows of the sampled queries against PyTorch's own.
'use strict';
const fs = require('fs');
const { readArgs, writeResult } = require('./common');

async function main() {
  const args = readArgs();
  const { LongAttentionEngine } = require(args.longBundle);
  const ref = JSON.parse(fs.readFileSync(args.referenceFile, 'utf8'));
  const c = ref.cases.reduce((a, b) => (b.ids.length > a.ids.length ? b : a));
  const engine = await LongAttentionEngine.open(args.modelFolder, { cacheDir: args.cacheDir });
  const result = await engine.analyze(c.text);
  const sameIds = result.tokens.length === c.ids.length && result.tokens.every((t, i) => t.id === c.ids[i]);
  let maxAbsDiff = 0;
  for (const q of c.queries) {
    result.queryRows(q).forEach((layer, l) => layer.forEach((row, h) => row.forEach((v, k) => (maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v - c.rows[String(q)][l][h][k]))))));
  }
  writeResult(args, { tokens: c.ids.length, queries: c.queries, sameIds, maxAbsDiff, method: engine.method });
  await engine.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
