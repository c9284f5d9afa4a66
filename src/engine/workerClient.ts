// Main-thread side of the inference worker: one run at a time, a queue, cancellation, restart after a crash.
import * as path from 'path';
import { Worker } from 'worker_threads';
import { AttentionLensError } from './errors';
import type { FeedTensor, FromWorker, OutputTensor, RunExtras, RunReply, ToWorker } from './workerProtocol';

/** A failure reported by the worker, before it is turned into a user-facing error. */
export class WorkerFailure extends Error {
  constructor(
    readonly phase: 'load' | 'run',
    message: string,
  ) {
    super(message);
  }
}

interface Job {
  id: number;
  feeds: FeedTensor[];
  fetches: string[];
  extras?: RunExtras;
  signal?: AbortSignal;
  resolve: (reply: RunReply) => void;
  reject: (e: Error) => void;
  settled: boolean;
  onAbort?: () => void;
}

export function cancelledError(message = 'The analysis was cancelled.'): AttentionLensError {
  return new AttentionLensError('CANCELLED', message, '');
}

const closedError = () => cancelledError('The model was closed before the analysis finished.');

/**
 * onnxruntime recurses on the calling thread (deeper for longer inputs); Node gives a worker 4 MB of stack, which
 * overflowed (SIGSEGV) at a few hundred tokens in some runs. Stack is reserved address space, committed only when used.
 */
const WORKER_STACK_MB = 64;

/** The bundled worker next to dist/*.js, or the TypeScript source (run through tsx) in tests. */
function workerEntry(): { file: string; execArgv: string[] } {
  if (__filename.endsWith('.ts')) {
    return { file: path.join(__dirname, 'worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
  }
  return { file: path.join(__dirname, 'worker.js'), execArgv: [] };
}

export class InferenceWorker {
  private worker?: Worker;
  private loading?: Promise<{ inputNames: string[]; outputNames: string[] }>;
  private readonly queue: Job[] = [];
  private running?: Job;
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly modelFile: string,
    private readonly externalDataFolder?: string,
    private readonly prepack = true,
  ) {}

  /** Starts the worker and creates the session (once; again after a crash). */
  load(): Promise<{ inputNames: string[]; outputNames: string[] }> {
    if (this.loading) return this.loading;
    const entry = workerEntry();
    const worker = new Worker(entry.file, { execArgv: entry.execArgv, resourceLimits: { stackSizeMb: WORKER_STACK_MB } });
    this.worker = worker;
    this.loading = new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'loaded') resolve({ inputNames: m.inputNames, outputNames: m.outputNames });
        else if (m.type === 'error' && m.id === undefined) reject(new WorkerFailure('load', m.message));
        else if (m.type === 'result' || m.type === 'error') this.finish(m);
      };
      worker.on('message', onMessage);
      worker.on('error', (e) => this.crashed(worker, e.message, reject));
      worker.on('exit', (code) => this.crashed(worker, `the inference worker exited (code ${code})`, reject));
    });
    // A failed load is not cached: the next call starts a fresh worker (this one has no session to release).
    this.loading.catch(() => {
      if (this.worker !== worker) return;
      this.forget(worker);
      worker.postMessage({ type: 'close' } satisfies ToWorker);
    });
    worker.postMessage({ type: 'load', modelFile: this.modelFile, externalDataFolder: this.externalDataFolder, prepack: this.prepack } satisfies ToWorker);
    return this.loading;
  }

  /** Runs the model; rejects with CANCELLED as soon as `signal` aborts (a queued run then never starts). */
  run(feeds: FeedTensor[], fetches: string[], signal?: AbortSignal): Promise<OutputTensor[]> {
    return this.runWithExtras(feeds, fetches, undefined, signal).then((reply) => reply.outputs);
  }

  /** run(), plus work the worker does on the outputs before replying (value-norm, head scores, probe scores). */
  runWithExtras(feeds: FeedTensor[], fetches: string[], extras: RunExtras | undefined, signal?: AbortSignal): Promise<RunReply> {
    if (this.disposed) return Promise.reject(closedError());
    if (signal?.aborted) return Promise.reject(cancelledError());
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, feeds, fetches, extras, signal, resolve, reject, settled: false };
      job.onAbort = () => this.settle(job, cancelledError());
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /**
   * Rejects every queued and running job with CANCELLED at once, then asks the worker to release its session after
   * the native call in flight returns; resolves when the thread has ended. Never `terminate()` a busy worker: that
   * aborts the process.
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const job of [...this.queue, ...(this.running ? [this.running] : [])]) this.settle(job, closedError());
    this.queue.length = 0;
    const worker = this.worker;
    this.forget(worker);
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToWorker);
    await exited;
  }

  private settle(job: Job, result: Error | RunReply): void {
    if (job.settled) return;
    job.settled = true;
    // A long-lived signal shared by many requests must not collect one listener per request.
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if (result instanceof Error) job.reject(result);
    else job.resolve(result);
  }

  private async pump(): Promise<void> {
    if (this.running || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    if (job.settled) return this.pump(); // cancelled while queued: never started
    this.running = job;
    try {
      await this.load();
      if (job.settled) throw cancelledError();
      this.worker?.postMessage({ type: 'run', id: job.id, feeds: job.feeds, fetches: job.fetches, extras: job.extras } satisfies ToWorker);
      // An abandoned (cancelled) run keeps the worker busy until it finishes; its result is then ignored.
    } catch (e) {
      this.settle(job, e as Error);
      this.running = undefined;
      void this.pump();
    }
  }

  private finish(m: Extract<FromWorker, { type: 'result' | 'error' }>): void {
    const job = this.running;
    if (!job || job.id !== m.id) return;
    this.running = undefined;
    this.settle(job, m.type === 'result' ? { outputs: m.outputs, analysis: m.analysis } : new WorkerFailure('run', m.message));
    void this.pump();
  }

  private crashed(worker: Worker, message: string, rejectLoad: (e: Error) => void): void {
    if (this.worker !== worker) return;
    this.forget(worker);
    rejectLoad(new WorkerFailure('load', message));
    const job = this.running;
    this.running = undefined;
    if (job) this.settle(job, new WorkerFailure('run', message));
    void this.pump();
  }

  private forget(worker: Worker | undefined): void {
    if (!worker || this.worker !== worker) return;
    this.worker = undefined;
    this.loading = undefined;
  }
}
