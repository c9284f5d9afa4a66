// One in-flight job per key in this process: a second caller for the same model or blob waits on the first
// download instead of starting another. Each caller may cancel its own wait; the job stops when nobody waits.

interface Job<T, P> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
  listeners: Set<(p: P) => void>;
}

export class SharedJobs<T, P = never> {
  private readonly jobs = new Map<string, Job<T, P>>();

  /** Number of jobs running now (for tests and diagnostics). */
  get size(): number {
    return this.jobs.size;
  }

  run(
    key: string,
    start: (signal: AbortSignal, emit: (p: P) => void) => Promise<T>,
    opts: { signal?: AbortSignal; onProgress?: (p: P) => void; cancelled: () => Error },
  ): Promise<T> {
    if (opts.signal?.aborted) return Promise.reject(opts.cancelled());
    let job = this.jobs.get(key);
    if (!job) {
      const controller = new AbortController();
      const listeners = new Set<(p: P) => void>();
      const emit = (p: P) => listeners.forEach((l) => l(p));
      const created: Job<T, P> = { controller, listeners, waiters: 0, promise: Promise.resolve() as Promise<T> };
      created.promise = Promise.resolve()
        .then(() => start(controller.signal, emit))
        .finally(() => {
          if (this.jobs.get(key) === created) this.jobs.delete(key);
        });
      this.jobs.set(key, created);
      job = created;
    }
    const current = job;
    current.waiters++;
    const listener = opts.onProgress;
    if (listener) current.listeners.add(listener);
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      if (listener) current.listeners.delete(listener);
      if (--current.waiters > 0) return;
      // Nobody waits any more: stop the job, and let a new caller start afresh instead of joining a dying one.
      current.controller.abort(opts.cancelled());
      if (this.jobs.get(key) === current) this.jobs.delete(key);
    };
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        leave();
        // The last caller out waits for the job to wind down (lock released, files closed) before hearing CANCELLED.
        if (current.waiters === 0) current.promise.catch(() => undefined).finally(() => reject(opts.cancelled()));
        else reject(opts.cancelled());
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      current.promise.then(
        (value) => {
          if (left) return; // this caller cancelled; its answer is CANCELLED
          opts.signal?.removeEventListener('abort', onAbort);
          leave();
          resolve(value);
        },
        (error) => {
          if (left) return;
          opts.signal?.removeEventListener('abort', onAbort);
          leave();
          reject(error);
        },
      );
    });
  }
}
