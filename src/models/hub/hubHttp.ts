// HTTP to the Hub: redirects followed by hand so the token only ever reaches the endpoint's own origin,
// bounded retries with backoff for 5xx/429, and failures turned into AttentionLensErrors.
import { AttentionLensError, isAttentionLensError } from '../../engine/errors';
import { hubCancelled, hubNetworkError, hubServerError } from './hubErrors';

export interface HubHttpContext {
  endpoint: string;
  token?: string;
  /** The caller's cancellation. */
  signal?: AbortSignal;
  /** Retries after a 5xx/429 or a dropped download (not counting the first attempt). */
  retries: number;
  /** First backoff delay; doubles each retry. */
  retryDelayMs: number;
  /** Limit for a metadata request, and for silence in the middle of a download. */
  timeoutMs: number;
  /** The model being fetched, for messages. */
  id: string;
}

const MAX_REDIRECTS = 10;

/** The Authorization header, only for URLs on the endpoint's origin (never for a CDN elsewhere). */
export function authHeaderFor(url: string, ctx: Pick<HubHttpContext, 'endpoint' | 'token'>): Record<string, string> {
  if (!ctx.token) return {};
  return new URL(url).origin === new URL(ctx.endpoint).origin ? { authorization: `Bearer ${ctx.token}` } : {};
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Backoff before retry number `attempt` (1-based): doubling from retryDelayMs, or the server's Retry-After (capped). */
export function retryDelay(ctx: HubHttpContext, attempt: number, retryAfter?: string | null): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 30_000);
  return ctx.retryDelayMs * 2 ** (attempt - 1);
}

/** One line about why a fetch failed, without URLs that might carry secrets. */
export function networkCause(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  if (e instanceof Error && e.name === 'TimeoutError') return 'timed out';
  if (cause?.message) return cause.message;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Turns a thrown fetch error into an AttentionLensError: CANCELLED when the caller aborted, else HUB_NETWORK.
 * AttentionLensErrors pass through.
 */
export function toHubError(e: unknown, ctx: HubHttpContext): AttentionLensError {
  if (isAttentionLensError(e)) return e;
  if (ctx.signal?.aborted) return hubCancelled(ctx.id);
  return hubNetworkError(ctx.id, ctx.endpoint, networkCause(e));
}

export interface HubRequest {
  method: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** Follow only redirects within the current origin (a renamed repo) and stop at the first one elsewhere (the LFS CDN). */
  sameOriginRedirectsOnly?: boolean;
  signal: AbortSignal;
}

/** One request with redirects handled here; the Authorization header is re-decided for every hop. */
export async function hubFetch(url: string, req: HubRequest, ctx: HubHttpContext): Promise<{ response: Response; url: string }> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await fetch(current, {
      method: req.method,
      redirect: 'manual',
      signal: req.signal,
      headers: { 'accept-encoding': 'identity', 'user-agent': 'attention-lens', ...req.headers, ...authHeaderFor(current, ctx) },
    });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || !location) return { response, url: current };
    const next = new URL(location, current);
    if (req.sameOriginRedirectsOnly && next.origin !== new URL(current).origin) return { response, url: current };
    await response.body?.cancel().catch(() => undefined);
    current = next.toString();
  }
  throw hubServerError(ctx.id, url.split('/').pop() ?? url, 'too many redirects', 1);
}

/** Runs `attempt` until it returns a non-retryable status, retrying 5xx/429 with backoff. */
export async function withServerRetries(
  file: string,
  ctx: HubHttpContext,
  attempt: () => Promise<{ response: Response; url: string }>,
): Promise<{ response: Response; url: string }> {
  for (let n = 0; ; n++) {
    const result = await attempt();
    const { status } = result.response;
    if (!isRetryableStatus(status)) return result;
    await result.response.body?.cancel().catch(() => undefined);
    if (n >= ctx.retries) {
      throw hubServerError(ctx.id, file, `HTTP ${status} ${result.response.statusText}`.trim(), n + 1);
    }
    await sleep(retryDelay(ctx, n + 1, result.response.headers.get('retry-after')), ctx.signal);
  }
}
