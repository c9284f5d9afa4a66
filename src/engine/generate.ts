// Greedy decoding (argmax at each step, no sampling) for a decoder-only continuation or an encoder–decoder target,
// and the generated tokens with UTF-16 offsets into the generated text.
import * as fs from 'fs';
import * as path from 'path';
import { AttentionLensError } from './errors';
import type { GraphSession } from './graphSession';
import type { FeedValues } from './inputs';
import type { TextTokenizer } from './tokenize';
import type { Token } from './types';
import { cancelledError } from './workerClient';
import type { OutputTensor } from './workerProtocol';
import { CONFIG_MAX_BYTES, readRegularText } from './regularFile';

/** config.json's and generation_config.json's eos_token_id (a number or a list), both honoured. */
export function endOfSequenceIds(config: Record<string, unknown>, folder: string): Set<number> {
  const ids = new Set<number>();
  const add = (v: unknown) => {
    if (typeof v === 'number') ids.add(v);
    else if (Array.isArray(v)) v.forEach(add);
  };
  add(config.eos_token_id);
  const generationConfig = path.join(folder, 'generation_config.json');
  if (fs.existsSync(generationConfig)) {
    try {
      add((JSON.parse(readRegularText(generationConfig, CONFIG_MAX_BYTES)) as Record<string, unknown>).eos_token_id);
    } catch {
      // A damaged (or not regular: a FIFO would hang a plain read) optional file only loses its extra end-of-sequence ids.
    }
  }
  return ids;
}

export function checkGenerate(n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 1) throw new AttentionLensError('BAD_ARGUMENT', `generate must be a positive whole number of tokens, got ${n}.`, 'Pass a number such as 32.');
  return n;
}

/** Index of the largest logit in the last position's row of [1, N, vocab] logits. */
export function argmaxLast(logits: OutputTensor): number {
  const vocab = logits.dims[logits.dims.length - 1];
  const row = logits.data.subarray(logits.data.length - vocab);
  let best = 0;
  for (let i = 1; i < vocab; i++) if (row[i] > row[best]) best = i;
  return best;
}

/**
 * Appends up to `steps` argmax tokens to `prefix`, stopping after an end-of-sequence id; returns the new ids.
 * Each step reruns the whole sequence (no cache): exact, and cheap for the few dozen tokens shown.
 */
export async function greedy(
  session: GraphSession,
  prefix: number[],
  steps: number,
  eos: Set<number>,
  signal?: AbortSignal,
  encoderHidden?: FeedValues['encoderHidden'],
): Promise<number[]> {
  const generated: number[] = [];
  for (let i = 0; i < steps; i++) {
    if (signal?.aborted) throw cancelledError();
    const [logits] = await session.run({ ids: [...prefix, ...generated], encoderHidden }, ['logits'], signal);
    const next = argmaxLast(logits);
    generated.push(next);
    if (eos.has(next)) break;
  }
  return generated;
}

/** The generated ids as text and tokens: each token's range is what it adds to the decoded text. */
export async function generatedTokens(tokenizer: TextTokenizer, ids: number[]): Promise<{ text: string; tokens: Token[] }> {
  const text = await tokenizer.decode(ids);
  const tokens: Token[] = [];
  let prev = 0;
  for (let i = 0; i < ids.length; i++) {
    const upTo = await tokenizer.decode(ids.slice(0, i + 1));
    const end = text.startsWith(upTo) ? upTo.length : prev;
    const special = end === prev && (await tokenizer.decode([ids[i]])) === '';
    tokens.push({ id: ids[i], text: tokenizer.piece(ids[i]), start: prev, end: special ? prev : end, special });
    prev = Math.max(prev, end);
  }
  return { text, tokens };
}
