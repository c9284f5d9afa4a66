// Messages between the engine (main thread) and the inference worker that owns the InferenceSession.
import type { HeadScoreRow } from './headScores';
import type { Token } from './types';
import type { LayerValueProjection } from './valueProjection';

export interface FeedTensor {
  name: string;
  /** float16 data is IEEE half bits; bool data is 0/1 bytes. */
  type: 'int64' | 'int32' | 'float32' | 'float16' | 'bool';
  data: BigInt64Array | Int32Array | Float32Array | Uint16Array | Uint8Array;
  dims: number[];
}

export interface OutputTensor {
  name: string;
  dims: number[];
  /** float32 always; float16 outputs are widened in the worker. */
  data: Float32Array;
}

/** Work the worker does on a run's outputs before replying, so large tensors need not cross to the host for it. */
export interface RunExtras {
  /** Replace each layer's value tensor (fetched too) by that layer's value-norm attention. */
  valueNorm?: LayerValueProjection[];
  /** Score every head of these attention outputs (one per layer) on the analysed text. */
  headScores?: { text: string; tokens: Token[]; heads: number; attention: string[] };
  /** Induction/duplicate scores of a repeated-sequence probe; the attention itself is not sent back. */
  repeatProbe?: { heads: number; attention: string[]; prefix: number; length: number };
}

/** What the worker computed from a run besides its outputs. */
export interface RunAnalysis {
  headScores?: HeadScoreRow[];
  repeatProbe?: { induction: number[][]; duplicate: number[][] };
}

export interface RunReply {
  outputs: OutputTensor[];
  analysis?: RunAnalysis;
}

export type ToWorker =
  /** Create the session for the (patched) model file; external weights are read from `externalDataFolder`. */
  | { type: 'load'; modelFile: string; externalDataFolder?: string; prepack: boolean }
  /** Run once and return the named outputs, after the `extras` work. */
  | { type: 'run'; id: number; feeds: FeedTensor[]; fetches: string[]; extras?: RunExtras }
  /** Release the session after the load or run in progress returns, then end the thread. */
  | { type: 'close' };

export type FromWorker =
  | { type: 'loaded'; inputNames: string[]; outputNames: string[] }
  /** The session is released; the thread ends next. */
  | { type: 'closed' }
  | { type: 'result'; id: number; outputs: OutputTensor[]; analysis?: RunAnalysis }
  /** `id` is absent for load failures. */
  | { type: 'error'; id?: number; message: string };
