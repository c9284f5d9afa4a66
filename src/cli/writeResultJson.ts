// Streams an AttentionResult as JSON: the nested attention array for long texts is hundreds of MB or more, so it is
// written in chunks of rows (never one string per head or file), into a temporary file renamed on success.
import type { AttentionResult, Token } from '../engine/types';
import { writeFileAtomically, WriteText } from './atomicOutput';

/** Smallest normal float32; below it precision drops, so shorter decimals can round-trip. */
const FLOAT32_MIN_NORMAL = 2 ** -126;

/** Shortest decimal that reads back as the same float32 (for normal values any ≤6-digit one is the 6-digit rounding). */
export function float32Text(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return 'null';
  for (let p = Math.abs(x) < FLOAT32_MIN_NORMAL ? 1 : 6; p <= 9; p++) {
    const s = Number(x.toPrecision(p));
    if (Math.fround(s) === x) return String(s);
  }
  return String(Number(x.toPrecision(9)));
}

const tokenJson = (t: Token) => ({ id: t.id, text: t.text, start: t.start, end: t.end, special: t.special });

/** Everything of a result but its attention; also the header of a `--query` file. */
export type ResultHeader = Pick<AttentionResult, 'model' | 'tokens' | 'truncated' | 'coveredRange' | 'timings' | 'continuation'>;

export function resultHeader(r: ResultHeader): Record<string, unknown> {
  const { name, modelType, layers, heads, causal, maxTokens, vocabSize, onnxFile, decoder } = r.model;
  return {
    model: { name, modelType, layers, heads, causal, maxTokens, vocabSize, onnxFile, ...(decoder ? { decoder } : {}) },
    tokens: r.tokens.map(tokenJson),
    truncated: r.truncated,
    coveredRange: r.coveredRange,
    timings: r.timings,
    ...(r.continuation ? { continuation: r.continuation } : {}),
  };
}

/** Rows are joined into chunks of about this many characters: few writes, and never one huge string. */
const CHUNK_CHARS = 1 << 20;

/** `[a,b,…]`: one attention row of `n` weights starting at `base`. */
function rowText(data: Float32Array, base: number, n: number): string {
  const cells = new Array<string>(n);
  for (let k = 0; k < n; k++) cells[k] = float32Text(data[base + k]);
  return '[' + cells.join(',') + ']';
}

/** Streams `[[row,…],…]` for each head of one layer laid out [head][query][key]. */
async function writeLayer(write: WriteText, layer: Float32Array, heads: number, queries: number, keys: number): Promise<void> {
  let chunk = '[';
  for (let h = 0; h < heads && queries > 0; h++) {
    chunk += h ? ',[' : '[';
    for (let q = 0; q < queries; q++) {
      chunk += (q ? ',' : '') + rowText(layer, (h * queries + q) * keys, keys);
      if (chunk.length >= CHUNK_CHARS) {
        await write(chunk);
        chunk = '';
      }
    }
    chunk += ']';
  }
  await write(chunk + ']');
}

/** `[layer][head][query][key]` nested arrays. */
async function writeLayers(write: WriteText, layers: Float32Array[], heads: number, queries: number, keys: number): Promise<void> {
  await write('[');
  for (let l = 0; l < layers.length; l++) {
    if (l) await write(',');
    await writeLayer(write, layers[l], heads, queries, keys);
  }
  await write(']');
}

/**
 * Writes the result to `file` (streamed, through a temporary file renamed on success); resolves once the file is
 * complete. On failure `file` is left as it was.
 */
export async function writeResultJson(r: AttentionResult, file: string): Promise<void> {
  await writeFileAtomically(file, async (write) => {
    const header = JSON.stringify(resultHeader(r));
    await write(header.slice(0, -1) + ',"attention":');
    const n = r.tokens.length;
    await writeLayers(write, r.attention, r.model.heads, n, n);
    if (r.valueNormAttention) {
      await write(',"valueNormAttention":');
      await writeLayers(write, r.valueNormAttention, r.model.heads, n, n);
    }
    const target = r.target;
    const decoder = r.model.decoder;
    if (target && decoder) {
      const t = target.tokens.length;
      const head = JSON.stringify({ text: target.text, tokens: target.tokens.map(tokenJson), generated: target.generated });
      await write(',"target":' + head.slice(0, -1) + ',"attention":');
      await writeLayers(write, target.attention, decoder.heads, t, t);
      await write(',"crossAttention":');
      await writeLayers(write, target.crossAttention, decoder.crossHeads, t, n);
      await write('}');
    }
    await write('}\n');
  });
}

/** One query token's exact attention: rows[layer][head] is a Float32Array over every key. */
export interface QueryAttention {
  query: number;
  rows: Float32Array[][];
}

/** Writes `tokens` and the rest of the header with `queryAttention` [layer][head][key] instead of `attention`. */
export async function writeQueryJson(r: ResultHeader, q: QueryAttention, file: string, extra: Record<string, unknown> = {}): Promise<void> {
  await writeFileAtomically(file, async (write) => {
    const header = JSON.stringify({ ...resultHeader(r), ...extra, query: q.query });
    await write(header.slice(0, -1) + ',"queryAttention":[');
    for (let l = 0; l < q.rows.length; l++) {
      const heads = q.rows[l].map((row) => rowText(row, 0, row.length));
      await write((l ? ',[' : '[') + heads.join(',') + ']');
    }
    await write(']}\n');
  });
}

/** Rough size of the full `attention` array as written: ~11 characters a weight, ~2 for the exact zeros of a causal model. */
export function fullAttentionJsonBytes(layers: number, heads: number, n: number, causal: boolean): number {
  const weights = layers * heads * n * n;
  return causal ? weights * 6.5 : weights * 11;
}
