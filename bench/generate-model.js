// Makes bench/models/bert-base (bert-base shape, random weights, Hugging Face layout) unless an up-to-date copy
// exists: the stamp hashes every file that decides the model's content, so editing one regenerates it.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { buildBenchTokenizer } = require('./build-tokenizer');

const PYTHON = '/usr/bin/python3';
const SEED = 1234;
const MAX_VOCAB = 30522;
const DEFINING_FILES = ['bert_module.py', 'export_bert.py', 'build-tokenizer.js'];
const OUTPUTS = ['config.json', 'tokenizer.json', 'onnx/model.onnx', 'torch_state.pt'];
const STAMP_FILE = 'bench-stamp.json';

function stampFor() {
  const hash = crypto.createHash('sha256').update(`seed=${SEED} vocab=${MAX_VOCAB}\n`);
  for (const name of DEFINING_FILES) hash.update(fs.readFileSync(path.join(__dirname, name)));
  return hash.digest('hex');
}

function isUpToDate(folder, stamp) {
  try {
    const saved = JSON.parse(fs.readFileSync(path.join(folder, STAMP_FILE), 'utf8'));
    return saved.stamp === stamp && OUTPUTS.every((f) => fs.existsSync(path.join(folder, f)));
  } catch {
    return false;
  }
}

/** Returns { folder, generated, seconds }; `generated` is false when the cached copy was reused. */
function ensureBenchModel(folder, log = console.log) {
  const stamp = stampFor();
  if (isUpToDate(folder, stamp)) return { folder, generated: false, seconds: 0 };
  const t0 = Date.now();
  // The stamp goes last and is removed first, so an interrupted run is regenerated next time.
  fs.rmSync(path.join(folder, STAMP_FILE), { force: true });
  fs.mkdirSync(folder, { recursive: true });
  log(`generating ${folder} (PyTorch export, ~1 min) ...`);
  execFileSync(PYTHON, [path.join(__dirname, 'export_bert.py'), folder, String(SEED)], { stdio: ['ignore', 'inherit', 'inherit'] });
  log('training the WordPiece tokenizer ...');
  const vocab = buildBenchTokenizer(folder, MAX_VOCAB);
  fs.writeFileSync(path.join(folder, STAMP_FILE), JSON.stringify({ stamp, seed: SEED, tokenizerVocab: vocab }, null, 2) + '\n');
  return { folder, generated: true, seconds: (Date.now() - t0) / 1000 };
}

module.exports = { ensureBenchModel };

if (require.main === module) {
  const folder = process.argv[2] ?? path.join(__dirname, 'models', 'bert-base');
  const r = ensureBenchModel(folder);
  console.log(r.generated ? `generated ${folder} in ${r.seconds.toFixed(0)} s` : `${folder} is up to date`);
}
