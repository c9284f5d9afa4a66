// Run the exported ONNX in onnxruntime-node on the reference batch export.py wrote and compare with PyTorch.
// Usage: node check_onnx.js <workDir> <modelDir>
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

const [workDir = '/tmp/attention-lens-train', modelDir = path.join(__dirname, '../../media/model')] = process.argv.slice(2);
const TOLERANCE = 1e-3;

function int64Tensor(rows) {
  const flat = rows.flat();
  return new ort.Tensor('int64', BigInt64Array.from(flat, (v) => BigInt(v)), [rows.length, rows[0].length]);
}

async function main() {
  const ref = JSON.parse(fs.readFileSync(path.join(workDir, 'export-check.json'), 'utf8'));
  const onnxFile = path.join(modelDir, 'onnx', 'model.onnx');
  const session = await ort.InferenceSession.create(onnxFile);
  if (session.outputNames.join() !== 'last_hidden_state') throw new Error(`unexpected outputs ${session.outputNames}`);
  const feeds = {
    input_ids: int64Tensor(ref.input_ids),
    attention_mask: int64Tensor(ref.attention_mask),
    token_type_ids: int64Tensor(ref.input_ids.map((row) => row.map(() => 0))),
  };
  const out = (await session.run(feeds)).last_hidden_state.data;
  let worst = 0;
  out.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - ref.last_hidden_state[i])); });
  const size = fs.statSync(onnxFile).size;
  console.log(`onnxruntime-node ${ort.env.versions?.common ?? ''}: max |onnx - torch| = ${worst.toExponential(2)}, ${size} bytes`);
  if (!(worst < TOLERANCE)) throw new Error(`ONNX output differs from PyTorch by ${worst}`);
}

main().catch((err) => { console.error(err); process.exit(1); });
