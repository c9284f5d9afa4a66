// Shared paths and throwaway copies for the engine tests; damaged models are built in os.tmpdir(), never in fixtures.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const MODELS = path.join(ROOT, 'test', 'fixtures', 'models');
export const BROKEN = path.join(ROOT, 'test', 'fixtures', 'broken');
export const REFERENCES = path.join(ROOT, 'test', 'fixtures', 'references');

export interface ReferenceCase {
  name: string;
  text: string;
  ids: number[];
  tokens: string[];
  offsets_utf16: [number, number][];
  special_tokens_mask: number[];
  attention: number[][][][];
  /** PyTorch's greedy tokens: a decoder-only continuation, or an encoder–decoder's target from its start token. */
  generated_ids?: number[];
  /** Encoder–decoder references: the teacher-forced target. */
  target?: {
    text: string;
    labels: number[];
    label_offsets_utf16: [number, number][];
    label_special_tokens_mask: number[];
    decoder_input_ids: number[];
    attention: number[][][][];
    cross_attention: number[][][][];
  };
  /** One-graph encoder–decoders: the decoder fed the source shifted right (Hugging Face's default without a target). */
  source_shifted?: { decoder_input_ids: number[]; attention: number[][][][]; cross_attention: number[][][][] };
}

export interface Reference {
  model: string;
  onnx: string;
  layers: number;
  heads: number;
  input_dtype: string;
  tolerance: number;
  causal?: boolean;
  generate_steps?: number | null;
  decoder_onnx?: string;
  decoder_layers?: number;
  decoder_heads?: number;
  decoder_start_token_id?: number;
  cases: ReferenceCase[];
}

export function referenceFiles(): string[] {
  return fs.readdirSync(REFERENCES).filter((f) => f.endsWith('.json')).sort();
}

export function readReference(file: string): Reference {
  return JSON.parse(fs.readFileSync(path.join(REFERENCES, file), 'utf8')) as Reference;
}

const tempDirs: string[] = [];
// Engines hold files open until disposed, so folders are removed when the test process ends, not after each test.
process.on('exit', () => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `attention-lens-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** A copy of a fixture model folder that a test may damage. */
export function copyModel(name: string, from = MODELS): string {
  const dest = path.join(tempDir(name), name);
  fs.cpSync(path.join(from, name), dest, { recursive: true });
  return dest;
}

/** sha256 of every file under `folder` (name → hash), to prove analysis leaves it untouched. */
export function folderHashes(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(folder, file)] = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return out;
}
