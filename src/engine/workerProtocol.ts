// Messages between the engine (main thread) and the inference worker that owns the InferenceSession.

export interface FeedTensor {
  name: string;
  type: 'int64' | 'int32';
  data: BigInt64Array | Int32Array;
  dims: number[];
}

export interface OutputTensor {
  name: string;
  dims: number[];
  /** float32 always; float16 outputs are widened in the worker. */
  data: Float32Array;
}

export type ToWorker =
  /** Create the session for the (patched) model file; external weights are read from `externalDataFolder`. */
  | { type: 'load'; modelFile: string; externalDataFolder?: string; prepack: boolean }
  /** Run once and return the named outputs. */
  | { type: 'run'; id: number; feeds: FeedTensor[]; fetches: string[] }
  /** Release the session after the load or run in progress returns, then end the thread. */
  | { type: 'close' };

export type FromWorker =
  | { type: 'loaded'; inputNames: string[]; outputNames: string[] }
  /** The session is released; the thread ends next. */
  | { type: 'closed' }
  | { type: 'result'; id: number; outputs: OutputTensor[] }
  /** `id` is absent for load failures. */
  | { type: 'error'; id?: number; message: string };
