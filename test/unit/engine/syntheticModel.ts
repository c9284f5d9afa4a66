// Writes a one-layer, one-head attention model whose run takes long (a chain of large MatMuls), for the tests
// that need inference to be slow: the caller's event loop stays free, a running request can be cancelled.
import * as fs from 'fs';
import * as path from 'path';
import { encodeLenField as len, encodeVarintField as varint } from '../../../src/engine/protobufWire';
import { MODELS } from './helpers';

const FLOAT = 1;
const INT64 = 7;

function tensor(name: string, dims: number[], type: number, raw: Buffer): Buffer {
  return Buffer.concat([...dims.map((d) => varint(1, d)), varint(2, type), len(8, name), len(9, raw)]);
}

function node(op: string, inputs: string[], outputs: string[], attrs: Buffer[] = []): Buffer {
  return Buffer.concat([...inputs.map((i) => len(1, i)), ...outputs.map((o) => len(2, o)), len(3, `${op}_${outputs[0]}`), len(4, op), ...attrs.map((a) => len(5, a))]);
}

function valueInfo(name: string, type: number, dims: (number | string)[]): Buffer {
  const shape = Buffer.concat(dims.map((d) => len(1, typeof d === 'number' ? varint(1, d) : len(2, d))));
  return Buffer.concat([len(1, name), len(2, len(1, Buffer.concat([varint(1, type), len(2, shape)])))]);
}

function randomFloats(count: number, scale: number, seed: number): Buffer {
  const out = new Float32Array(count);
  let s = seed;
  for (let i = 0; i < count; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s / 2147483648 - 0.5) * 2 * scale;
  }
  return Buffer.from(out.buffer);
}

/** A model folder (bert fixture's tokenizer) whose single attention layer sits after `chain` D×D MatMuls. */
export function writeSlowModel(folder: string, opts: { dim: number; chain: number; embeddingRows?: number; softmaxIsOutput?: boolean; float16Softmax?: boolean }): void {
  const tokenizer = path.join(MODELS, 'bert', 'tokenizer.json');
  const vocab = opts.embeddingRows ?? Object.keys(JSON.parse(fs.readFileSync(tokenizer, 'utf8')).model.vocab).length + 16;
  const d = opts.dim;
  const nodes = [node('Gather', ['embedding', 'input_ids'], ['h0'])];
  for (let i = 0; i < opts.chain; i++) nodes.push(node('MatMul', [`h${i}`, 'w'], [`h${i + 1}`]));
  const h = `h${opts.chain}`;
  nodes.push(
    node('Transpose', [h], ['keys_t'], [Buffer.concat([len(1, 'perm'), varint(8, 0), varint(8, 2), varint(8, 1), varint(20, 7)])]),
    node('MatMul', [h, 'keys_t'], ['scores']),
    node('Unsqueeze', ['scores', 'axes'], ['scores4']),
    ...(opts.float16Softmax
      ? [
          node('Cast', ['scores4'], ['scores16'], [Buffer.concat([len(1, 'to'), varint(3, 10), varint(20, 2)])]),
          node('Softmax', ['scores16'], ['probs16']),
          node('Cast', ['probs16'], ['probs'], [Buffer.concat([len(1, 'to'), varint(3, FLOAT), varint(20, 2)])]),
        ]
      : [node('Softmax', ['scores4'], ['probs'])]),
    node('MatMul', ['probs', h], ['context']),
  );
  const axes = Buffer.alloc(8);
  axes.writeBigInt64LE(1n);
  const graph = Buffer.concat([
    ...nodes.map((n) => len(1, n)),
    len(2, 'slow'),
    len(5, tensor('embedding', [vocab, d], FLOAT, randomFloats(vocab * d, 1, 7))),
    len(5, tensor('w', [d, d], FLOAT, randomFloats(d * d, Math.sqrt(3 / d), 11))),
    len(5, tensor('axes', [1], INT64, axes)),
    len(11, valueInfo('input_ids', INT64, [1, 'sequence'])),
    len(12, valueInfo('context', FLOAT, [1, 1, 'sequence', d])),
    ...(opts.softmaxIsOutput ? [len(12, valueInfo('probs', FLOAT, [1, 1, 'sequence', 'sequence']))] : []),
  ]);
  const model = Buffer.concat([varint(1, 8), len(2, 'attention-lens-tests'), len(7, graph), len(8, Buffer.concat([len(1, ''), varint(2, 14)]))]);
  fs.mkdirSync(path.join(folder, 'onnx'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'onnx', 'model.onnx'), model);
  fs.copyFileSync(tokenizer, path.join(folder, 'tokenizer.json'));
  fs.writeFileSync(path.join(folder, 'config.json'), JSON.stringify({ model_type: 'bert', vocab_size: vocab, max_position_embeddings: 512, num_attention_heads: 1 }));
}
