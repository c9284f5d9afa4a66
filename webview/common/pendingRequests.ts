// Requests to the host that settle exactly once: on the host's response (result or error) or on timeout,
// so no control waits forever if the host drops a message.
import { REQUEST_TIMEOUT_MS, type ResponseMessage } from '../../shared/messages';

interface Pending {
  resolve(msg: ResponseMessage): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class PendingRequests {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly timeoutMs = REQUEST_TIMEOUT_MS) {}

  /** Sends a request built around a fresh id; resolves with the host's response, rejects on error or timeout. */
  send<M extends ResponseMessage>(post: (requestId: number) => void, what: string): Promise<M> {
    const requestId = this.nextId++;
    return new Promise<M>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`${what}: no answer from the extension after ${Math.round(this.timeoutMs / 1000)} s`));
      }, this.timeoutMs);
      this.pending.set(requestId, {
        resolve: (msg) => ('error' in msg ? reject(new Error(`${what}: ${msg.error}`)) : resolve(msg as M)),
        reject,
        timer,
      });
      try {
        post(requestId);
      } catch (e) {
        this.settle(requestId)?.reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Routes a response to its request; false if nobody waits for it (late or unknown id). */
  handle(msg: ResponseMessage): boolean {
    const p = this.settle(msg.requestId);
    p?.resolve(msg);
    return p !== undefined;
  }

  /** Rejects everything still waiting (the analysis was replaced). */
  cancelAll(reason: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new Error(reason));
  }

  get size(): number {
    return this.pending.size;
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.pending.delete(id);
    return p;
  }
}
