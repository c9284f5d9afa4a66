// The long-context part of `npm run bench`: a LLaMA-shaped random model (4 layers, hidden 256, 4 heads sharing 2
// key/value heads of size 64, rotary positions, 8,192 positions) at 2,048 and 8,192 tokens. Each measurement is its
// own process so that peak RSS belongs to it alone. Writes bench/results-long.json and prints a markdown table.
// Times are the fastest run over all rounds (least disturbed by other load on a shared machine; every sample is kept
// in the results file), the query time the best median of 9 tokens; peak RSS the largest of the rounds.
// Flags: --long-runs 2 --long-warmups 1 --long-rounds 2 --long-lengths 2048,8192
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Tokenizer } = require('tokenizers');
const { ensureLlamaBenchModel } = require('./generate-llama-model');
const { lines } = require('../scripts/fixtures/long-texts');
const { describeMachine } = require('./machine');

const ROOT = path.join(__dirname, '..');
const MODEL_FOLDER = path.join(__dirname, 'models', 'llama-8k');
const RESULTS_FILE = path.join(__dirname, 'results-long.json');
const TARGETS = { overviewOverOrt: 1.5, queryRowsMs: 50, peakRssOverOrt: 1.5, exactness: 1e-4 };

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** The shortest code-like text (whole lines) of at least `tokens` tokens, and its first `tokens` ids (the engine cuts to the same ids). */
async function benchText(tokens) {
  const tokenizer = Tokenizer.fromFile(path.join(MODEL_FOLDER, 'tokenizer.json'));
  const all = lines(29, tokens);
  const count = async (k) => (await tokenizer.encode(all.slice(0, k).join('\n'))).getIds().length;
  let [lo, hi] = [1, all.length];
  if ((await count(hi)) < tokens) throw new Error(`bench text has fewer than ${tokens} tokens`);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((await count(mid)) >= tokens) hi = mid;
    else lo = mid + 1;
  }
  const text = all.slice(0, lo).join('\n');
  return { text, ids: (await tokenizer.encode(text)).getIds().slice(0, tokens) };
}

async function runLongBench(measure, bundle) {
  const runs = Number(flag('long-runs', '2'));
  const warmups = Number(flag('long-warmups', '1'));
  const rounds = Number(flag('long-rounds', '2'));
  const lengths = flag('long-lengths', '2048,8192').split(',').map(Number);
  const t0 = Date.now();
  const model = ensureLlamaBenchModel(MODEL_FOLDER);
  console.log(model.generated ? 'long bench model generated' : 'long bench model: cached copy is up to date');
  const onnxFile = path.join(MODEL_FOLDER, 'onnx', 'model.onnx');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-bench-long-'));
  const cacheDir = path.join(workDir, 'cache');
  const node = (script) => [path.join(__dirname, 'measure', script)];
  const perLength = {};
  let exactness;
  try {
    console.log(`long inputs (${rounds} alternating rounds of ${warmups} warm-up + ${runs} runs per length):`);
    for (const n of lengths) {
      const { text, ids } = await benchText(n);
      const ort = [];
      const engine = [];
      // Alternating order (a b, b a, …) so that load from other processes on a shared machine hits both alike.
      for (let round = 0; round < rounds; round++) {
        const a = () => ort.push(measure(workDir, `long-a-ort-${n}-${round}`, process.execPath, node('long-ort.js'), { onnxFile, ids, warmups, runs }));
        const b = () => engine.push(measure(workDir, `long-bcd-engine-${n}-${round}`, process.execPath, node('long-engine.js'), { longBundle: bundle.long, modelFolder: MODEL_FOLDER, cacheDir, text, tokens: n, warmups, runs }));
        if (round % 2 === 0) (a(), b());
        else (b(), a());
      }
      const interleaved = measure(workDir, `long-ab-interleaved-${n}`, process.execPath, node('long-interleaved.js'), { longBundle: bundle.long, onnxFile, modelFolder: MODEL_FOLDER, cacheDir, text, ids, warmups, pairs: 2 * runs + 1 });
      const best = (xs, key) => Math.min(...xs.flatMap((x) => x[key]));
      const peak = (xs) => Math.max(...xs.map((x) => x.memoryEnd.peakRssMB));
      const [ortMs, overviewMs, queryRowsMs] = [best(ort, 'samplesMs'), best(engine, 'samplesMs'), best(engine, 'queryRowsMedianMs')];
      perLength[n] = {
        ortMs,
        overviewMs,
        queryRowsMs,
        ortPeakRssMB: peak(ort),
        enginePeakRssMB: peak(engine),
        overviewOverOrt: overviewMs / ortMs,
        overviewOverOrtInterleaved: interleaved.medianRatio,
        peakRssOverOrt: peak(engine) / peak(ort),
        overview: engine[0].overview,
        engineOpenMs: best(engine, 'openMs'),
        raw: { ort, engine, interleaved },
      };
    }
    exactness = measure(workDir, 'long-exactness-7985', process.execPath, node('long-exactness.js'), {
      longBundle: bundle.long,
      modelFolder: path.join(ROOT, 'test/fixtures/models/llama'),
      referenceFile: path.join(ROOT, 'test/fixtures/long/llama-references.json'),
      cacheDir,
    });
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const results = {
    date: new Date().toISOString(),
    command: `npm run bench -- --suite long --long-runs ${runs} --long-warmups ${warmups} --long-rounds ${rounds} --long-lengths ${lengths.join(',')}`,
    machine: describeMachine(),
    model: { folder: path.relative(ROOT, MODEL_FOLDER), shape: '4 layers, hidden 256, 4 heads, 2 key/value heads, head size 64, 8,192 positions', onnxBytes: fs.statSync(onnxFile).size },
    targets: TARGETS,
    perLength,
    exactness,
    totalSeconds: (Date.now() - t0) / 1000,
  };
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n');
  console.log(`\n${longMarkdown(results)}\nwrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
  if (!(exactness.sameIds && exactness.maxAbsDiff <= TARGETS.exactness)) throw new Error(`replayed rows differ from PyTorch at ${exactness.tokens} tokens (max |Δ| ${exactness.maxAbsDiff})`);
  return results;
}

function longMarkdown(r) {
  const rows = Object.entries(r.perLength).map(([n, x]) =>
    `| ${Number(n).toLocaleString('en-US')} | ${(x.ortMs / 1000).toFixed(2)} s | ${(x.overviewMs / 1000).toFixed(2)} s | **${x.overviewOverOrt.toFixed(2)}** | ${x.overviewOverOrtInterleaved.toFixed(2)} | ${x.queryRowsMs.toFixed(1)} ms | ${Math.round(x.ortPeakRssMB)} MiB | ${Math.round(x.enginePeakRssMB)} MiB | **${x.peakRssOverOrt.toFixed(2)}** |`);
  return [
    `Long inputs, ${r.model.shape} (${r.machine.physicalCores} cores):`,
    '',
    '| tokens | (a) bare onnxruntime pass | (b) engine until overview | b/a (≤ 1.5) | b/a interleaved (median pair) | (c) one query, all layers × heads (≤ 50 ms) | peak RSS (a) | (d) peak RSS engine | d/a (≤ 1.5) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Exactness: ${r.exactness.tokens} tokens of the committed LLaMA fixture, queries ${r.exactness.queries.join(', ')}: max |Δ| vs PyTorch ${r.exactness.maxAbsDiff.toExponential(1)}.`,
  ].join('\n');
}

module.exports = { runLongBench };
