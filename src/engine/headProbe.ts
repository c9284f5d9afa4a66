// The probe behind the induction and duplicate-token scores (TransformerLens's repeated random tokens): a random
// sequence of ordinary token ids, then the same sequence again, after the model's own BOS if it has one. Only causal
// models: an encoder sees the second copy from the first, so "attends to the previous occurrence" means nothing there.
import type { AttentionEngine } from './analyze';
import type { RepeatProbeScores } from './headScores';

/** Tokens in one copy of the random sequence (cut to fit the model's limit). */
export const PROBE_LENGTH = 32;
/** Random sequences averaged over. */
export const PROBE_SAMPLES = 8;
/** Fixed seed: the same model gives the same scores on every run. */
const PROBE_SEED = 12;

/** mulberry32: small, fast, reproducible; statistical quality is plenty for picking token ids. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct ids below `limit`, none of them special (distinct, so "the previous occurrence" is unique). */
export function randomOrdinaryIds(count: number, limit: number, special: Set<number>, random: () => number): number[] {
  if (limit - special.size < count) throw new RangeError(`the vocabulary has fewer than ${count} ordinary ids`);
  const chosen = new Set<number>();
  while (chosen.size < count) {
    const id = Math.floor(random() * limit);
    if (!special.has(id)) chosen.add(id);
  }
  return [...chosen];
}

/** Runs the probe on a causal model; undefined for encoders (and for models too short to hold two copies). */
export async function runRepeatProbe(engine: AttentionEngine, signal?: AbortSignal): Promise<RepeatProbeScores | undefined> {
  const { info } = engine;
  if (!info.causal) return undefined;
  const specials = await engine.specialTokens();
  const wrap = specials.leading.length + specials.trailing.length;
  const length = Math.min(PROBE_LENGTH, Math.floor((info.maxTokens - wrap) / 2));
  if (length < 2) return undefined;
  const random = seededRandom(PROBE_SEED);
  const sum = { induction: [] as number[][], duplicate: [] as number[][] };
  for (let s = 0; s < PROBE_SAMPLES; s++) {
    const sequence = randomOrdinaryIds(length, info.vocabSize, specials.ids, random);
    const ids = [...specials.leading, ...sequence, ...sequence, ...specials.trailing];
    const scores = await engine.repeatProbe(ids, specials.leading.length, length, signal);
    for (const key of ['induction', 'duplicate'] as const) {
      scores[key].forEach((row, l) => row.forEach((v, h) => {
        (sum[key][l] ??= Array.from({ length: info.heads }, () => 0))[h] += v / PROBE_SAMPLES;
      }));
    }
  }
  return { length, samples: PROBE_SAMPLES, induction: sum.induction, duplicate: sum.duplicate };
}
