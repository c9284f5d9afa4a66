// One request/reply envelope for host ↔ webview, used by both sides: each request gets an id, waits behind a ready
// gate (the other side may not listen yet), settles exactly once on a result, an error reply or a timeout, and is
// answered by one handler whose return value (or throw) becomes the reply. Pure: no `vscode`, no DOM.

/** A request on the wire. */
export interface RequestEnvelope<R = { type: string }> {
  type: 'request';
  id: number;
  request: R;
}

/** The answer to request `id`: its result, or why there is none. */
export type ReplyEnvelope = { type: 'reply'; id: number; result: unknown } | { type: 'reply'; id: number; error: string };

/** For each request type: the request message and the result that answers it. */
export type RequestMap = { [type: string]: { request: { type: string }; result: unknown } };

/** Milliseconds after which a request gives up and rejects instead of waiting forever. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface MessengerOptions<In extends RequestMap> {
  /** Sends one envelope to the other side. */
  post(message: RequestEnvelope | ReplyEnvelope): void;
  /** Answers the other side's requests; the return value is the result, a throw becomes an error reply. */
  answer?: (request: In[keyof In]['request']) => unknown;
  /** Checks a result before it resolves a request (the host does not trust what a webview sends back). */
  resultIsValid?: (type: string, result: unknown) => boolean;
  /** How a thrown value reads in an error reply. */
  describeError?: (e: unknown) => string;
  timeoutMs?: number;
  /** Whether the other side listens from the start (a webview's host does; a webview must first say `ready`). */
  ready?: boolean;
  /** The other side as a timeout names it: "the extension", "the panel". */
  peer?: string;
}

interface Pending {
  type: string;
  what: string;
  envelope: RequestEnvelope;
  posted: boolean;
  resolve(result: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class Messenger<Out extends RequestMap, In extends RequestMap = RequestMap> {
  private nextId = 1;
  private isReady: boolean;
  private readonly pending = new Map<number, Pending>();
  private readonly timeoutMs: number;

  constructor(private readonly options: MessengerOptions<In>) {
    this.isReady = options.ready ?? true;
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  /**
   * Asks the other side; resolves with its result, rejects with "`what`: reason" on an error reply, an invalid
   * result or the timeout (which counts from now, waiting for `ready` included).
   */
  request<R extends Out[keyof Out]['request']>(request: R, what: string = request.type): Promise<Out[R['type']]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(id)?.reject(new Error(`${what}: no answer from ${this.options.peer ?? 'the other side'} after ${Math.round(this.timeoutMs / 1000)} s`)),
        this.timeoutMs,
      );
      const envelope: RequestEnvelope = { type: 'request', id, request };
      const entry: Pending = { type: request.type, what, envelope, posted: false, resolve: resolve as (r: unknown) => void, reject, timer };
      this.pending.set(id, entry);
      if (this.isReady) this.send(entry);
    });
  }

  /**
   * The other side listens (true) or has gone away and will say `ready` again (false). Requests made meanwhile wait;
   * ones already sent to a side that went away are sent again once it is back.
   */
  setReady(ready: boolean): void {
    this.isReady = ready;
    for (const entry of this.pending.values()) {
      if (!ready) entry.posted = false;
      else if (!entry.posted) this.send(entry);
    }
  }

  /** Handles a request or reply envelope from the other side. Never throws. */
  async receive(message: RequestEnvelope | ReplyEnvelope): Promise<void> {
    if (message.type === 'reply') return this.onReply(message);
    const { id, request } = message;
    let reply: ReplyEnvelope;
    try {
      if (!this.options.answer) throw new Error(`"${request.type}" is not answered here.`);
      reply = { type: 'reply', id, result: await this.options.answer(request as In[keyof In]['request']) };
    } catch (e) {
      reply = { type: 'reply', id, error: this.options.describeError?.(e) ?? (e instanceof Error ? e.message : String(e)) };
    }
    try {
      this.options.post(reply);
    } catch {
      // The other side went away; it will ask again after `ready`.
    }
  }

  /** Rejects everything still waiting (the analysis was replaced, the panel closed). */
  cancelAll(reason: string): void {
    for (const id of [...this.pending.keys()]) {
      const entry = this.settle(id);
      entry?.reject(new Error(`${entry.what}: ${reason}`));
    }
  }

  /** Requests waiting for an answer. */
  get size(): number {
    return this.pending.size;
  }

  private onReply(reply: ReplyEnvelope): void {
    const entry = this.settle(reply.id);
    if (!entry) return; // late (timed out) or unknown: nobody waits for it
    if ('error' in reply) entry.reject(new Error(`${entry.what}: ${reply.error}`));
    else if (this.options.resultIsValid && !this.options.resultIsValid(entry.type, reply.result)) entry.reject(new Error(`${entry.what}: the answer was malformed`));
    else entry.resolve(reply.result);
  }

  private send(entry: Pending): void {
    entry.posted = true;
    try {
      this.options.post(entry.envelope);
    } catch (e) {
      this.settle(entry.envelope.id)?.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.pending.delete(id);
    return entry;
  }
}
