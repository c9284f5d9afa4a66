// Messages between the engine (main thread) and the inference worker that owns the InferenceSession.

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

export type ToWorker =
  /** Create the session for the (patched) model file; external weights are read from `externalDataFolder`. */
  | { type: 'load'; modelFile: string; externalDataFolder?: string; prepack: boolean }
  /** Run once and return the named outputs. */
  | { type: 'run'; id: number; feeds: FeedTensor[]; fetches: string[] };

export type FromWorker =
  | { type: 'loaded'; inputNames: string[]; outputNames: string[] }
  | { type: 'result'; id: number; outputs: OutputTensor[] }
  /** `id` is absent for load failures. */
  | { type: 'error'; id?: number; message: string };
