// Worker thread owning the onnxruntime InferenceSession: `run()` blocks its thread, so it must not be the host's.
import { parentPort } from 'worker_threads';
import * as ort from 'onnxruntime-node';
import { analyseOutputs } from './workerAnalysis';
import type { FeedTensor, FromWorker, OutputTensor, RunExtras, ToWorker } from './workerProtocol';

let session: ort.InferenceSession | undefined;
/** The load or run in progress: native code must finish before the session is released or the thread ends. */
let busy: Promise<void> = Promise.resolve();
ort.env.logLevel = 'fatal';

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

function errorText(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0].replace(/[.\s]+$/, '');
}

/** IEEE half → single precision, for fp16 models. */
function widenFloat16(half: Uint16Array): Float32Array {
  const out = new Float32Array(half.length);
  for (let i = 0; i < half.length; i++) {
    const h = half[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    out[i] = exp === 0 ? sign * 2 ** -14 * (frac / 1024) : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}

/** A float32 copy or view that owns its whole ArrayBuffer, so it can be transferred alone. */
function toFloat32(t: ort.Tensor): Float32Array {
  if (t.data instanceof Float32Array) {
    const d = t.data;
    return d.byteOffset === 0 && d.byteLength === d.buffer.byteLength ? d : d.slice();
  }
  if (t.type === 'float16' && t.data instanceof Uint16Array) return widenFloat16(t.data);
  return Float32Array.from(t.data as ArrayLike<number>);
}

async function load(modelFile: string, externalDataFolder: string | undefined, prepack: boolean): Promise<void> {
  try {
    // The patched graph sits in the cache and its weights stay in the user's folder (mapped, not copied); the
    // session is told that folder. MatMul prepacking (1.6–2.5× faster runs) copies one weight at a time onto the
    // heap; the engine turns it off only when a single weight dominates the model (see analyze.ts).
    const config: Record<string, string> = prepack ? {} : { disable_prepacking: '1' };
    if (externalDataFolder) config.model_external_initializers_file_folder_path = externalDataFolder;
    // onnxruntime's own log lines go nowhere (4 = fatal only): failures come back as messages, and the CLI promises
    // exactly one line on stderr.
    session = await ort.InferenceSession.create(modelFile, { executionProviders: ['cpu'], logSeverityLevel: 4, extra: { session: config } });
    send({ type: 'loaded', inputNames: [...session.inputNames], outputNames: [...session.outputNames] });
  } catch (e) {
    send({ type: 'error', message: errorText(e) });
  }
}

async function run(id: number, feeds: FeedTensor[], fetches: string[], extras?: RunExtras): Promise<void> {
  try {
    if (!session) throw new Error('the model is not loaded');
    const inputs: Record<string, ort.Tensor> = {};
    for (const f of feeds) inputs[f.name] = f.type === 'bool' ? new ort.Tensor('bool', f.data as Uint8Array, f.dims) : new ort.Tensor(f.type, f.data, f.dims);
    const results = await session.run(inputs, fetches, { logSeverityLevel: 4 });
    const fetched: OutputTensor[] = fetches.map((name) => ({ name, dims: [...results[name].dims], data: toFloat32(results[name]) }));
    const { outputs, analysis } = analyseOutputs(fetched, extras);
    // Transferred, not cloned: attention for long texts is hundreds of MB.
    send({ type: 'result', id, outputs, analysis }, [...new Set(outputs.map((o) => o.data.buffer as ArrayBuffer))]);
  } catch (e) {
    send({ type: 'error', id, message: errorText(e) });
  }
}

/**
 * Ends the thread only once no native call is in flight: terminating a worker inside session.run() aborts the
 * whole process (and with it the extension host).
 */
async function close(): Promise<void> {
  await busy;
  await session?.release().catch(() => undefined);
  session = undefined;
  send({ type: 'closed' });
  process.exit(0);
}

parentPort?.on('message', (m: ToWorker) => {
  if (m.type === 'load') busy = busy.then(() => load(m.modelFile, m.externalDataFolder, m.prepack));
  else if (m.type === 'run') busy = busy.then(() => run(m.id, m.feeds, m.fetches, m.extras));
  else if (m.type === 'close') void close();
});
