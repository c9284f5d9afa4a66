// When Show Attention takes the long path: the full result (every layer's heads × N × N float32 weights) would pass
// the host's memory bound. The long path holds queries and keys (O(L·N·d·(H + kv))) and a pooled overview instead.
import { AttentionLensError } from '../engine/errors';
import { bytesOf } from '../engine/longAttention';
import type { ModelInfo } from '../engine/types';
import type { SessionResult } from './analysisSession';
import type { DecoderRequest } from './decoderRequest';

/** The most attention one analysis may hold in the extension host as whole matrices: 256 MiB (bert-base at 512 tokens is 144 MiB). */
export const FULL_RESULT_BOUND_BYTES = 256 * 1024 * 1024;

/** Bytes of every layer's and head's N×N float32 attention. */
export function fullResultBytes(model: Pick<ModelInfo, 'layers' | 'heads'>, n: number): number {
  return model.layers * model.heads * n * n * 4;
}

/** True when `n` tokens of this model would hold more than `bound` bytes of attention as whole matrices. */
export function needsLongPath(model: Pick<ModelInfo, 'layers' | 'heads'>, n: number, bound = FULL_RESULT_BOUND_BYTES): boolean {
  return fullResultBytes(model, n) > bound;
}

/** Bytes an analysis keeps in the host: its whole matrices, or a long analysis's queries, keys and overview. */
export function resultBytes(result: SessionResult): number {
  if (!('attention' in result)) return result.heldBytes;
  const target = result.target ? bytesOf(result.target.attention) + bytesOf(result.target.crossAttention) : 0;
  return bytesOf(result.attention) + bytesOf(result.valueNormAttention ?? []) + target;
}

/**
 * The refusal when a selection needs the long path but the model's attention cannot be replayed (the long engine
 * would keep every matrix, `reason` says why): how many tokens still fit the bound.
 */
export function tooLargeToHold(model: Pick<ModelInfo, 'layers' | 'heads' | 'name'>, n: number, reason: string | undefined): AttentionLensError {
  const fits = Math.floor(Math.sqrt(FULL_RESULT_BOUND_BYTES / (4 * model.layers * model.heads)));
  const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`;
  return new AttentionLensError(
    'BAD_ARGUMENT',
    `${n.toLocaleString('en-US')} tokens of ${model.name} would need ${mib(fullResultBytes(model, n))} of attention as whole matrices, over the ${mib(FULL_RESULT_BOUND_BYTES)} the extension holds, and this model's rows cannot be replayed on demand (${reason ?? 'no reason given'}).`,
    `Select at most ${fits.toLocaleString('en-US')} tokens (or lower attentionLens.maxTokens), or use a model whose attention the replay follows (LLaMA, GPT-2, BERT families).`,
  );
}

/**
 * The refusal when a selection needs the long path and the run also asks the decoder for a target or continuation:
 * the long path replays one text's queries and keys and has no decoder.
 */
export function longWithDecoder(modelName: string, n: number, request: DecoderRequest): AttentionLensError {
  const what = request.kind === 'continue' ? 'a continuation' : 'a target text';
  return new AttentionLensError(
    'BAD_ARGUMENT',
    `${n.toLocaleString('en-US')} tokens of ${modelName} take the long-input path, which replays the selection's own attention and cannot also follow ${what}.`,
    request.kind === 'continue' ? 'Select a shorter stretch for Show Attention with Continuation, or use Show Attention for the whole selection.' : 'Select a shorter stretch to analyse with a target text.',
  );
}
