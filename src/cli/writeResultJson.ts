// Streams an AttentionResult as JSON: the nested attention array for long texts is hundreds of MB, so it is
// written row by row instead of being built as one string.
import * as fs from 'fs';
import type { AttentionResult, Token } from '../engine/types';

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

export function resultHeader(r: AttentionResult): Record<string, unknown> {
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

/** Writes the result to `file`; resolves once the file is flushed and closed. */
export async function writeResultJson(r: AttentionResult, file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('finish', resolve);
  });
  const write = (s: string): Promise<void> | void => {
    if (!out.write(s)) return new Promise((resolve) => out.once('drain', resolve));
  };
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
  out.end();
  await done;
}

/** `[layer][head][query][key]` nested arrays, written a head at a time. */
async function writeLayers(write: (s: string) => Promise<void> | void, layers: Float32Array[], heads: number, queries: number, keys: number): Promise<void> {
  await write('[');
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l];
    await write(l ? ',[' : '[');
    for (let h = 0; h < heads && queries > 0; h++) {
      const rows: string[] = [];
      for (let q = 0; q < queries; q++) {
        const base = (h * queries + q) * keys;
        const cells = new Array<string>(keys);
        for (let k = 0; k < keys; k++) cells[k] = float32Text(layer[base + k]);
        rows.push('[' + cells.join(',') + ']');
      }
      await write((h ? ',[' : '[') + rows.join(',') + ']');
    }
    await write(']');
  }
  await write(']');
}
