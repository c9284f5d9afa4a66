// Notes an analysis carries beside its attention: the token limit lowered to bound memory, a text the vocabulary
// mostly cannot read.

/**
 * Attention is layers·heads·N² floats, returned whole and held by the caller: 144 MiB for bert-base at 512 tokens,
 * 38 GB at 8192. Past this bound the token limit is lowered, so no setting can exhaust the extension host's memory.
 */
export const ATTENTION_MEMORY_BUDGET = 1024 * 1024 * 1024;

/** The most tokens whose attention (layers·heads·N²·4 bytes) fits in `bytes`. */
export function tokenLimitForMemory(layers: number, heads: number, bytes = ATTENTION_MEMORY_BUDGET): number {
  return Math.max(2, Math.floor(Math.sqrt(bytes / (Math.max(1, layers) * Math.max(1, heads) * 4))));
}

function gigabytes(bytes: number): string {
  if (bytes < 1024 ** 3) return `${Math.ceil(bytes / 1024 ** 2)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(bytes < 10 * 1024 ** 3 ? 1 : 0)} GB`;
}

/** Why the text was cut below the requested token limit, when memory (not the setting) cut it. */
export function memoryLimitNote(o: { truncated: boolean; limit: number; requested: number; layers: number; heads: number; budget: number }): { memoryLimitNote?: string } {
  if (!o.truncated || o.limit >= o.requested) return {};
  return {
    memoryLimitNote:
      `Cut to ${o.limit} tokens to bound memory: the attention of ${o.layers} layers × ${o.heads} heads at ${o.requested} tokens ` +
      `would need ${gigabytes(o.layers * o.heads * o.requested * o.requested * 4)}, more than the ${gigabytes(o.budget)} allowed.`,
  };
}

/** A model fitting any text: byte-level BPE has a token for every byte, so nothing is [UNK]. */
export const ANY_TEXT_MODEL = 'Xenova/roberta-base';

/** When at least half of the content tokens are the unknown token, say so and name a model that reads them. */
export function unknownTokensNote(content: { id: number; text: string }[], unknownId: number | undefined, modelName: string): { unknownTokensNote?: string } {
  if (unknownId === undefined || content.length === 0) return {};
  const unknown = content.filter((t) => t.id === unknownId).length;
  if (unknown * 2 < content.length) return {};
  return {
    unknownTokensNote:
      `${unknown} of ${content.length} tokens are ${content.find((t) => t.id === unknownId)?.text ?? 'unknown'}: ${modelName}'s vocabulary has no pieces for most of this text ` +
      `(emoji, CJK or other scripts), so its attention says little. ${ANY_TEXT_MODEL} (byte-level, every character has tokens) reads it.`,
  };
}
