// Streams one file into blobs/<etag>.incomplete, resumes with Range after a dropped connection, verifies it
// (sha256 for LFS files, size for small ones) and only then renames it to blobs/<etag>. Nothing else sees it before.
import { createHash, Hash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { describeWriteFailure, ensureFolderWithin, isUnwritable } from '../../engine/cacheFolder';
import { isAttentionLensError } from '../../engine/errors';
import { hubCacheUnwritable, hubCancelled, hubChecksumMismatch, hubNetworkError, hubNotFound, hubServerError, hubUnauthorized } from './hubErrors';
import { HubHttpContext, authHeaderFor, hubFetch, networkCause, sleep, toHubError, withServerRetries } from './hubHttp';
import { acquireFileLock } from './hubLock';
import { FileMetadata } from './hubMetadata';
import { SharedJobs } from './sharedJobs';

export interface ByteProgress {
  bytes: number;
  total?: number;
}

export interface BlobDownloadOptions {
  revision: string;
  /** Lock staleness, for tests; see acquireFileLock. */
  lockStaleMs?: number;
  onBytes?: (p: ByteProgress) => void;
}

const sharedBlobs = new SharedJobs<void, ByteProgress>();

/** Files the Hub serves without LFS (configs, tokenizers) are under 10 MB; one that declares no size may not pass this. */
const UNDECLARED_SIZE_LIMIT = 64 * 1024 * 1024;
/** A transfer that delivers less than this within the stall limit (HubHttpContext.timeoutMs) has stalled. */
const STALL_MIN_BYTES = 64 * 1024;
/** Never follow a symlink planted in the cache: a link named like our file must not redirect a write elsewhere. */
const { O_WRONLY, O_CREAT, O_APPEND, O_TRUNC, O_RDONLY, O_NOFOLLOW } = fs.constants;

/** Size of `file` when it is a regular file; anything else under that name (a symlink, a FIFO) is removed, not followed. */
async function fileSize(file: string): Promise<number | undefined> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.lstat(file);
  } catch {
    return undefined;
  }
  if (stat.isFile()) return stat.size;
  await fs.promises.rm(file, { force: true });
  return undefined;
}

/** Hash of the bytes already on disk, so a resumed download still verifies end to end. */
async function hashPrefix(file: string): Promise<Hash> {
  const hash = createHash('sha256');
  const handle = await fs.promises.open(file, O_RDONLY | O_NOFOLLOW);
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return hash;
}

/** A failure to write into the cache (full disk, read-only): reported as such, never retried as a network drop. */
class CacheWriteFailure extends Error {}

async function writing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    throw isUnwritable(e) || (e as NodeJS.ErrnoException).code === 'ELOOP' ? new CacheWriteFailure(describeWriteFailure(e)) : e;
  }
}

async function freeBytes(folder: string): Promise<number | undefined> {
  try {
    const s = await fs.promises.statfs(folder);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

function formatMB(bytes: number): string {
  return `${Math.ceil(bytes / (1024 * 1024))} MB`;
}

/** <cache> from <cache>/models--org--name/blobs/<etag>, for messages. */
function cacheOf(blob: string): string {
  return path.dirname(path.dirname(path.dirname(blob)));
}

async function blobIsComplete(blob: string, meta: FileMetadata): Promise<boolean> {
  const size = await fileSize(blob);
  return size !== undefined && (meta.size === undefined || size === meta.size);
}

/** Downloads meta.file into `blob` unless it is already there; one download per blob in this process and across processes. */
export function downloadBlob(meta: FileMetadata, blob: string, ctx: HubHttpContext, opts: BlobDownloadOptions): Promise<void> {
  return sharedBlobs.run(blob, (signal, emit) => lockedDownload(meta, blob, { ...ctx, signal }, opts, emit), {
    signal: ctx.signal,
    onProgress: opts.onBytes,
    cancelled: () => hubCancelled(ctx.id),
  });
}

async function lockedDownload(meta: FileMetadata, blob: string, ctx: HubHttpContext, opts: BlobDownloadOptions, emit: (p: ByteProgress) => void): Promise<void> {
  if (await blobIsComplete(blob, meta)) return;
  try {
    ensureFolderWithin(cacheOf(blob), path.dirname(blob));
  } catch (e) {
    if (isUnwritable(e) || (e as NodeJS.ErrnoException).code === 'ELOOP') throw hubCacheUnwritable(ctx.id, meta.file, cacheOf(blob), describeWriteFailure(e));
    throw e;
  }
  const free = await freeBytes(path.dirname(blob));
  if (meta.size !== undefined && free !== undefined && meta.size > free) {
    // Said before the first byte, not after filling the disk.
    throw hubCacheUnwritable(ctx.id, meta.file, cacheOf(blob), `the disk is full: the file is ${formatMB(meta.size)}, ${formatMB(free)} are free (ENOSPC)`);
  }
  let release: () => Promise<void>;
  try {
    release = await acquireFileLock(`${blob}.lock`, { signal: ctx.signal, staleMs: opts.lockStaleMs });
  } catch (e) {
    throw toHubError(e, ctx);
  }
  try {
    // Another process may have finished it while we waited for the lock.
    if (await blobIsComplete(blob, meta)) return;
    await fs.promises.rm(blob, { force: true });
    await streamWithResume(meta, blob, ctx, opts, emit);
  } finally {
    await release();
  }
}

interface Progressive {
  hash: Hash;
  bytes: number;
}

async function streamWithResume(meta: FileMetadata, blob: string, ctx: HubHttpContext, opts: BlobDownloadOptions, emit: (p: ByteProgress) => void): Promise<void> {
  const incomplete = `${blob}.incomplete`;
  let state: Progressive | undefined;
  for (let attempt = 0; ; attempt++) {
    let offset = (await fileSize(incomplete)) ?? 0;
    if (meta.size !== undefined && offset > meta.size) {
      await fs.promises.rm(incomplete, { force: true });
      offset = 0;
    }
    if (!state || state.bytes !== offset) state = offset > 0 ? { hash: await hashPrefix(incomplete), bytes: offset } : { hash: createHash('sha256'), bytes: 0 };
    if (meta.size !== undefined && offset === meta.size && offset > 0) break;
    let outcome: 'done' | 'dropped';
    let dropCause = '';
    try {
      outcome = await fetchInto(meta, incomplete, state, ctx, opts, emit);
    } catch (e) {
      if (ctx.signal?.aborted) throw toHubError(e, ctx);
      if (e instanceof CacheWriteFailure) throw hubCacheUnwritable(ctx.id, meta.file, cacheOf(blob), e.message);
      if (!(e instanceof DroppedConnection)) throw toHubError(e, ctx);
      outcome = 'dropped';
      dropCause = e.message;
    }
    if (outcome === 'done') break;
    if (attempt >= ctx.retries) {
      throw hubNetworkError(ctx.id, ctx.endpoint, `${dropCause || 'connection closed early'}; ${attempt + 1} attempts`, meta.file);
    }
    await sleep(ctx.retryDelayMs * 2 ** attempt, ctx.signal).catch((e) => {
      throw toHubError(e, ctx);
    });
  }
  await verifyAndCommit(meta, incomplete, blob, state!, ctx);
}

class DroppedConnection extends Error {}

/** One GET from the current offset. Resolves 'done' when the body ended complete, 'dropped' when it ended short. */
async function fetchInto(
  meta: FileMetadata,
  incomplete: string,
  state: Progressive,
  ctx: HubHttpContext,
  opts: BlobDownloadOptions,
  emit: (p: ByteProgress) => void,
): Promise<'done' | 'dropped'> {
  const idle = new AbortController();
  let idleTimer: NodeJS.Timeout | undefined;
  let bytesAtArm = state.bytes;
  // A trickle (one byte every few seconds) is a stall too: the timer restarts only after real progress.
  const armIdle = () => {
    clearTimeout(idleTimer);
    bytesAtArm = state.bytes;
    idleTimer = setTimeout(() => idle.abort(new DroppedConnection(`less than ${STALL_MIN_BYTES / 1024} KiB in ${ctx.timeoutMs} ms`)), ctx.timeoutMs);
  };
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, idle.signal]) : idle.signal;
  armIdle();
  try {
    const headers: Record<string, string> = state.bytes > 0 ? { range: `bytes=${state.bytes}-` } : {};
    let response: Response;
    let finalUrl: string;
    try {
      ({ response, url: finalUrl } = await withServerRetries(meta.file, ctx, () => hubFetch(meta.downloadUrl, { method: 'GET', headers, signal }, ctx)));
    } catch (e) {
      if (ctx.signal?.aborted || !(e instanceof TypeError || idle.signal.aborted)) throw e;
      throw new DroppedConnection(networkCause(e));
    }
    checkStatus(meta, response, finalUrl, ctx, opts);
    const restart = response.status === 200 || !contentRangeStartsAt(response, state.bytes);
    if (response.status === 416) {
      await response.body?.cancel().catch(() => undefined);
      await fs.promises.rm(incomplete, { force: true });
      return 'dropped';
    }
    if (restart && state.bytes > 0) {
      // The server ignored Range (or answered another range): start over from byte 0.
      state.hash = createHash('sha256');
      state.bytes = 0;
    }
    const total = meta.size ?? lengthFrom(response, state.bytes);
    // Never more than the declared size (a server that streams forever), nor unbounded when nothing is declared.
    const limit = total ?? UNDECLARED_SIZE_LIMIT;
    const flags = O_WRONLY | O_CREAT | O_NOFOLLOW | (state.bytes === 0 ? O_TRUNC : O_APPEND);
    const handle = await writing(() => fs.promises.open(incomplete, flags, 0o644));
    try {
      if (!response.body) return 'done';
      for await (const received of response.body as unknown as AsyncIterable<Uint8Array>) {
        const chunk = received.subarray(0, Math.max(0, limit - state.bytes));
        await writing(() => handle.write(chunk));
        state.hash.update(chunk);
        state.bytes += chunk.byteLength;
        if (state.bytes - bytesAtArm >= STALL_MIN_BYTES) armIdle();
        emit({ bytes: state.bytes, total });
        if (state.bytes >= limit) {
          if (total === undefined) throw hubServerError(ctx.id, meta.file, `sent more than ${UNDECLARED_SIZE_LIMIT / (1024 * 1024)} MB without declaring a size`, 1);
          break; // leaving the loop cancels the rest of the body
        }
      }
    } catch (e) {
      if (ctx.signal?.aborted || e instanceof CacheWriteFailure || isAttentionLensError(e)) throw e;
      throw new DroppedConnection(idle.signal.aborted ? String((idle.signal.reason as Error).message) : networkCause(e));
    } finally {
      await handle.close();
    }
    return total !== undefined && state.bytes < total ? 'dropped' : 'done';
  } finally {
    clearTimeout(idleTimer);
  }
}

function checkStatus(meta: FileMetadata, response: Response, url: string, ctx: HubHttpContext, opts: BlobDownloadOptions): void {
  const { status } = response;
  if (status === 200 || status === 206 || status === 416) return;
  response.body?.cancel().catch(() => undefined);
  if (status === 404) throw hubNotFound(ctx.id, opts.revision, meta.file, response.headers.get('x-error-code') ?? undefined);
  if (status === 401 || status === 403) {
    throw hubUnauthorized(ctx.id, opts.revision, meta.file, status, Object.keys(authHeaderFor(url, ctx)).length > 0, response.headers.get('x-error-code') ?? undefined);
  }
  throw hubServerError(ctx.id, meta.file, `HTTP ${status} ${response.statusText}`.trim(), 1);
}

function contentRangeStartsAt(response: Response, offset: number): boolean {
  if (response.status !== 206) return offset === 0;
  const m = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return m !== null && Number(m[1]) === offset;
}

function lengthFrom(response: Response, offset: number): number | undefined {
  const length = Number(response.headers.get('content-length'));
  return Number.isFinite(length) && response.headers.has('content-length') ? offset + length : undefined;
}

async function verifyAndCommit(meta: FileMetadata, incomplete: string, blob: string, state: Progressive, ctx: HubHttpContext): Promise<void> {
  const size = (await fileSize(incomplete)) ?? 0;
  let problem: string | undefined;
  if (meta.size !== undefined && size !== meta.size) problem = `expected ${meta.size} bytes, got ${size}`;
  else if (meta.sha256) {
    const digest = state.bytes === size ? state.hash.digest('hex') : (await hashPrefix(incomplete)).digest('hex');
    if (digest !== meta.etag) problem = `sha256 ${digest.slice(0, 12)}… does not match the Hub's ${meta.etag.slice(0, 12)}…`;
  }
  if (problem) {
    await fs.promises.rm(incomplete, { force: true });
    throw hubChecksumMismatch(ctx.id, meta.file, problem);
  }
  await fs.promises.rename(incomplete, blob);
}
