// `npm run bench`: generates the bert-base-shaped bench model if needed, measures each thing in its own process
// (so memory readings are clean and one measurement cannot warm another's caches), prints markdown tables and
// writes bench/results.json. Flags: --runs 7 --warmups 2 --lengths 128,512
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { ensureBenchModel } = require('./generate-model');
const { buildEngineBundle } = require('./build-engine-bundle');
const { textsWithTokenCount } = require('./bench-texts');
const { physicalCores, describeMachine } = require('./machine');
const { summarize, markdownReport } = require('./report');

const MODEL_FOLDER = path.join(__dirname, 'models', 'bert-base');
const ENGINE_DIR = path.join(__dirname, 'models', '.engine');
const RESULTS_FILE = path.join(__dirname, 'results.json');
const PYTHON = '/usr/bin/python3';
const TEXT_SEED = 7;
const AGREEMENT_TOLERANCE = 1e-3;
const DIAGNOSIS_ROUNDS = 5;

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const loadAverage = () => Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

/** Runs one measurement process with its argument file and returns its result plus the load around it. */
function measure(workDir, label, command, scriptArgs, args, env = {}) {
  const argsFile = path.join(workDir, `${label}.args.json`);
  const outFile = path.join(workDir, `${label}.out.json`);
  fs.writeFileSync(argsFile, JSON.stringify({ ...args, outFile }));
  const load1Before = loadAverage();
  const t0 = Date.now();
  process.stdout.write(`  ${label} ... `);
  const r = spawnSync(command, [...scriptArgs, argsFile], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${label} failed (${r.error?.message ?? `exit ${r.status}`})`);
  const seconds = (Date.now() - t0) / 1000;
  console.log(`${seconds.toFixed(0)} s`);
  return { ...JSON.parse(fs.readFileSync(outFile, 'utf8')), seconds, load1Before, load1After: loadAverage() };
}

async function main() {
  const runs = Number(flag('runs', '7'));
  const warmups = Number(flag('warmups', '2'));
  const lengths = flag('lengths', '128,512').split(',').map(Number);
  const threads = physicalCores();
  const t0 = Date.now();

  const model = ensureBenchModel(MODEL_FOLDER);
  console.log(model.generated ? `bench model generated in ${model.seconds.toFixed(0)} s` : 'bench model: cached copy is up to date');
  const bundle = await buildEngineBundle(ENGINE_DIR);
  const onnxFile = path.join(MODEL_FOLDER, 'onnx', 'model.onnx');
  const inputs = {};
  for (const n of lengths) inputs[n] = await textsWithTokenCount(path.join(MODEL_FOLDER, 'tokenizer.json'), n, warmups + runs, TEXT_SEED);

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-bench-'));
  const cacheDir = path.join(workDir, 'cache');
  const common = { modelFolder: MODEL_FOLDER, maxTokens: Math.max(...lengths), inputs, warmups, runs };
  const node = (script) => [path.join(__dirname, 'measure', script)];
  console.log(`measuring (${warmups} warm-ups + ${runs} runs per length, ${threads} threads):`);
  const m = {};
  try {
    m.baseline = measure(workDir, 'baseline-memory', process.execPath, node('baseline-memory.js'), {});
    // First the engine with an empty cache folder: it hashes and patches the model, then loads it. Later steps reuse the copy.
    m.open = measure(workDir, 'd-engine-open-memory', process.execPath, node('engine-open-memory.js'), { ...common, engineBundle: bundle.engine, cacheDir });
    m.ortUnpatched = measure(workDir, 'a-ort-unpatched', process.execPath, node('ort-run.js'), { ...common, onnxFile });
    m.engineWorker = measure(workDir, 'a3-engine-worker', process.execPath, node('engine-worker-run.js'), { ...common, onnxFile, engineInternals: bundle.internals, cacheDir });
    m.engine = measure(workDir, 'b-engine-analyze', process.execPath, node('engine-analyze.js'), { ...common, engineBundle: bundle.engine, cacheDir });
    // Diagnosis of b − a, interleaved in one process so that other load on the machine hits every variant alike.
    m.outputCost = measure(workDir, 'attention-output-cost', process.execPath, node('attention-output-cost.js'), { ...common, onnxFile, engineInternals: bundle.internals, cacheDir, rounds: DIAGNOSIS_ROUNDS });
    m.extras = measure(workDir, 'e-engine-extras', process.execPath, node('engine-extras.js'), { ...common, engineBundle: bundle.extras, cacheDir });
    const threadEnv = { OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
    m.torch = measure(workDir, 'c-torch-eager', PYTHON, [path.join(__dirname, 'measure', 'torch_attention.py')],
      { ...common, threads, stateFile: path.join(MODEL_FOLDER, 'torch_state.pt') }, threadEnv);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }

  const results = {
    date: new Date().toISOString(),
    command: `npm run bench -- --runs ${runs} --warmups ${warmups} --lengths ${lengths.join(',')}`,
    machine: describeMachine(),
    threads: { onnxruntime: `default session options (intra-op threads = physical cores = ${threads})`, pytorch: threads },
    model: { folder: path.relative(path.join(__dirname, '..'), MODEL_FOLDER), onnxBytes: fs.statSync(onnxFile).size },
    runs, warmups, lengths,
    summary: summarize(m, lengths, fs.statSync(onnxFile).size),
    measurements: m,
    totalSeconds: (Date.now() - t0) / 1000,
  };
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n');
  console.log(`\n${markdownReport(results)}\nwrote ${path.relative(process.cwd(), RESULTS_FILE)} (${results.totalSeconds.toFixed(0)} s in all)`);
  // Timings of different computations are not comparable: fail loudly if the three did not compute the same thing.
  const { lastHiddenStateTorchVsOrt, attentionTorchVsEngine } = results.summary.agreement;
  if (!(lastHiddenStateTorchVsOrt < AGREEMENT_TOLERANCE && attentionTorchVsEngine < AGREEMENT_TOLERANCE)) {
    throw new Error(`PyTorch, onnxruntime and the engine disagree (max |Δ| ${lastHiddenStateTorchVsOrt}, ${attentionTorchVsEngine})`);
  }
}

main().catch((e) => {
  console.error(`bench failed: ${e.message}`);
  process.exit(1);
});
