// Makes bench/models/llama-8k (LLaMA architecture, random weights: 4 layers, hidden 256, 4 heads sharing 2 key/value
// heads of size 64, rotary positions, 8,192 positions; the gpt2 fixture tokenizer) unless an up-to-date copy exists.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const PYTHON = '/usr/bin/python3';
const DEFINING_FILES = ['scripts/fixtures/llama_model.py', 'scripts/fixtures/export_llama.py', 'test/fixtures/models/gpt2/tokenizer.json'];
const STAMP_FILE = 'bench-stamp.json';

function stampFor() {
  const hash = crypto.createHash('sha256').update('preset=bench\n');
  for (const name of DEFINING_FILES) hash.update(fs.readFileSync(path.join(ROOT, name)));
  return hash.digest('hex');
}

function ensureLlamaBenchModel(folder, log = console.log) {
  const stamp = stampFor();
  try {
    const saved = JSON.parse(fs.readFileSync(path.join(folder, STAMP_FILE), 'utf8'));
    if (saved.stamp === stamp && fs.existsSync(path.join(folder, 'onnx', 'model.onnx'))) return { folder, generated: false };
  } catch {
    // absent or unreadable: regenerate
  }
  log(`generating ${folder} (PyTorch export, seconds) ...`);
  execFileSync(PYTHON, [path.join(ROOT, 'scripts/fixtures/export_llama.py'), 'bench', folder, path.join(ROOT, 'test/fixtures/models/gpt2')], { stdio: ['ignore', 'inherit', 'inherit'] });
  fs.writeFileSync(path.join(folder, STAMP_FILE), JSON.stringify({ stamp }, null, 2) + '\n');
  return { folder, generated: true };
}

module.exports = { ensureLlamaBenchModel };
