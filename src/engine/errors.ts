// One error type for everything a user can get wrong; `code` lets tests and UIs tell cases apart.

export type AttentionLensErrorCode =
  | 'MODEL_FOLDER_MISSING'
  | 'CONFIG_MISSING'
  | 'CONFIG_INVALID'
  | 'TOKENIZER_MISSING'
  | 'TOKENIZER_INVALID'
  | 'TOKENIZER_VOCAB_TOO_LARGE'
  | 'ONNX_MISSING'
  | 'ONNX_INVALID'
  | 'ONNX_TRUNCATED'
  | 'EXTERNAL_DATA_MISSING'
  | 'FUSED_ATTENTION'
  | 'ATTENTION_IN_SUBGRAPH'
  | 'NO_ATTENTION'
  | 'ATTENTION_MISMATCH'
  | 'BANDED_ATTENTION'
  | 'UNKNOWN_INPUT'
  | 'INFERENCE_FAILED'
  | 'VALUE_NORM_UNAVAILABLE'
  | 'CANCELLED'
  | 'CACHE_UNWRITABLE'
  | 'NOTHING_TO_ANALYSE'
  | 'FILE_OUTSIDE_MODEL'
  | 'HUB_NOT_FOUND'
  | 'HUB_UNAUTHORIZED'
  | 'HUB_SERVER_ERROR'
  | 'HUB_CHECKSUM_MISMATCH'
  | 'HUB_OFFLINE_NOT_CACHED'
  | 'HUB_NETWORK'
  | 'BAD_ARGUMENT';

/** An error meant for a person: `message` says what is wrong, `hint` the way forward. No stack trace is shown. */
export class AttentionLensError extends Error {
  constructor(
    readonly code: AttentionLensErrorCode,
    message: string,
    readonly hint: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'AttentionLensError';
  }

  /** The one line a CLI prints or a notification shows. */
  get userMessage(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

export function isAttentionLensError(e: unknown): e is AttentionLensError {
  return e instanceof Error && (e as AttentionLensError).name === 'AttentionLensError' && 'code' in e;
}

/** Any thrown value as one line for a person, never a stack trace. */
export function describeError(e: unknown): string {
  if (isAttentionLensError(e)) return e.userMessage;
  if (e instanceof Error) return e.message.split('\n')[0];
  return String(e);
}
