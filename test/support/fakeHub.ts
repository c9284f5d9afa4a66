// A local stand-in for the Hugging Face Hub's resolve endpoints, with an LFS "CDN" on a second origin and
// injectable faults (dropped connections, error statuses, corrupted bytes, slow streams). Used by test/unit/hub.
import { createHash } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';

export interface FakeRepo {
  /** Commit hash the default branch points at. */
  commit: string;
  /** Extra branches/tags → commit. `main` → commit is implied. */
  refs?: Record<string, string>;
  files: Record<string, Buffer>;
  /** Gated: needs `Authorization: Bearer <token>`. */
  token?: string;
}

export interface LoggedRequest {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  /** Repo path of the file for resolve/CDN requests. */
  file?: string;
  range?: string;
  authorization?: string;
}

export interface Fault {
  /** Which file (repo path) the fault hits. */
  file: string;
  /** Only GET or HEAD requests (default: both). */
  method?: 'GET' | 'HEAD';
  /** How many matching requests it hits (default: all). */
  times?: number;
  /** Answer with this status instead. */
  status?: number;
  /** Send the headers and this many body bytes, then cut the connection. */
  dropAfterBytes?: number;
  /** Serve bytes that do not match the advertised sha256/size. */
  corrupt?: boolean;
  /** Send the body in 4 KiB chunks this many ms apart. */
  chunkDelayMs?: number;
  /** Send the true bytes without a Content-Length, then garbage forever (a server that never stops). */
  endless?: boolean;
  /** Send one byte every this many ms (a stalled transfer that never quite stops). */
  trickleMs?: number;
  /** Declare this X-Linked-Size for an LFS file instead of its real size. */
  declaredSize?: number;
}

/** The content-addressed id Git gives a small file; the Hub's ETag for non-LFS files. */
export function gitBlobSha1(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** ONNX graphs and their weights are LFS files on the Hub; configs and tokenizers are plain git files. */
export function isLfs(file: string): boolean {
  return /\.onnx(_data)?$/.test(file);
}

export class FakeHub {
  readonly requests: LoggedRequest[] = [];
  readonly faults: Fault[] = [];
  /** Set false to make the /api/models listing answer 404 (like a mirror without the API). */
  apiEnabled = true;
  /** Set true to make the /api/models listing an endless JSON body (a hostile server). */
  apiEndless = false;
  private hub = http.createServer((q, s) => this.serveHub(q, s));
  private cdn = http.createServer((q, s) => this.serveCdn(q, s));
  private autoStop?: NodeJS.Timeout;
  endpoint = '';
  cdnOrigin = '';

  constructor(readonly repos: Record<string, FakeRepo>) {}

  async start(): Promise<this> {
    const listen = (server: http.Server) =>
      new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
    this.endpoint = await listen(this.hub);
    this.cdnOrigin = await listen(this.cdn);
    // A forgotten server must not keep mocha alive.
    this.autoStop = setTimeout(() => void this.stop(), 120_000);
    this.autoStop.unref();
    return this;
  }

  async stop(): Promise<void> {
    clearTimeout(this.autoStop);
    for (const server of [this.hub, this.cdn]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Requests that transferred file bytes (GETs answered by a body), per repo path. */
  getsOf(file: string): LoggedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && r.file === file);
  }

  private takeFault(file: string, method: string): Fault | undefined {
    const fault = this.faults.find((f) => f.file === file && (!f.method || f.method === method) && (f.times === undefined || f.times > 0));
    if (fault && fault.times !== undefined) fault.times--;
    return fault;
  }

  private log(server: 'hub' | 'cdn', req: http.IncomingMessage, file?: string): void {
    this.requests.push({
      server,
      method: req.method ?? 'GET',
      path: req.url ?? '',
      file,
      range: req.headers.range,
      authorization: req.headers.authorization,
    });
  }

  private serveHub(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.endpoint);
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (api) return this.serveApi(req, res, api[1], decodeURIComponent(api[2]));
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const file = m ? m[3].split('/').map(decodeURIComponent).join('/') : undefined;
    this.log('hub', req, file);
    if (!m || !file) return end(res, 404, { 'x-error-code': 'EntryNotFound' });
    const repo = this.repos[m[1]];
    if (!repo) return end(res, 404, { 'x-error-code': 'RepoNotFound', 'x-error-message': 'Repository not found' });
    if (repo.token && req.headers.authorization !== `Bearer ${repo.token}`) {
      return end(res, req.headers.authorization ? 403 : 401, { 'x-error-code': 'GatedRepo', 'x-error-message': 'Access to this model is restricted' });
    }
    const commit = resolveRevision(repo, decodeURIComponent(m[2]));
    if (!commit) return end(res, 404, { 'x-error-code': 'RevisionNotFound' });
    const bytes = repo.files[file];
    if (!bytes) return end(res, 404, { 'x-error-code': 'EntryNotFound', 'x-repo-commit': commit });
    const fault = this.takeFault(file, req.method ?? 'GET');
    if (fault?.status) return end(res, fault.status, {});
    if (isLfs(file)) {
      // Like the Hub: the redirect itself carries the commit, the sha256 and the size; the CDN has the bytes.
      return end(res, 302, {
        location: `${this.cdnOrigin}/repos/${encodeURIComponent(m[1])}/${sha256(bytes)}?file=${encodeURIComponent(file)}`,
        'x-repo-commit': commit,
        'x-linked-etag': `"${sha256(bytes)}"`,
        'x-linked-size': String(fault?.declaredSize ?? bytes.length),
        etag: `"${gitBlobSha1(bytes)}"`,
      });
    }
    sendBytes(req, res, bytes, fault, { etag: `"${gitBlobSha1(bytes)}"`, 'x-repo-commit': commit });
  }

  private serveApi(req: http.IncomingMessage, res: http.ServerResponse, id: string, revision: string): void {
    this.log('hub', req);
    const repo = this.repos[id];
    const commit = repo && resolveRevision(repo, revision);
    if (!this.apiEnabled || !repo || !commit) return end(res, 404, {});
    if (this.apiEndless) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"siblings":[');
      return streamForever(res, Buffer.alloc(0));
    }
    const body = Buffer.from(JSON.stringify({ id, sha: commit, siblings: Object.keys(repo.files).map((rfilename) => ({ rfilename })) }));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  }

  private serveCdn(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.cdnOrigin);
    const file = url.searchParams.get('file') ?? undefined;
    this.log('cdn', req, file);
    const m = /^\/repos\/([^/]+)\/([0-9a-f]{64})$/.exec(url.pathname);
    const repo = m && this.repos[decodeURIComponent(m[1])];
    const bytes = repo && file ? repo.files[file] : undefined;
    if (!bytes || !file || sha256(bytes) !== m![2]) return end(res, 404, {});
    sendBytes(req, res, bytes, this.takeFault(file, req.method ?? 'GET'), { etag: `"${m![2]}"` });
  }
}

function resolveRevision(repo: FakeRepo, revision: string): string | undefined {
  const refs: Record<string, string> = { main: repo.commit, ...repo.refs };
  if (refs[revision]) return refs[revision];
  const all = new Set(Object.values(refs));
  return all.has(revision) ? revision : undefined;
}

/** The body, then zeros without end (or everything one byte at a time): stops only when the client hangs up. */
function streamForever(res: http.ServerResponse, body: Buffer, trickleMs?: number): void {
  let offset = 0;
  const garbage = Buffer.alloc(64 * 1024);
  const pump = () => {
    if (res.destroyed) return;
    if (trickleMs) {
      res.write(body.subarray(offset, offset + 1));
      offset++;
      setTimeout(pump, trickleMs);
      return;
    }
    const chunk = offset < body.length ? body.subarray(offset, offset + garbage.length) : garbage;
    offset += chunk.length;
    if (res.write(chunk)) setImmediate(pump);
    else res.once('drain', pump);
  };
  pump();
}

function end(res: http.ServerResponse, status: number, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-length': '0', ...headers });
  res.end();
}

/** 200 or 206 (for `Range: bytes=N-`), optionally slow, corrupted or cut off mid-body. */
function sendBytes(req: http.IncomingMessage, res: http.ServerResponse, original: Buffer, fault: Fault | undefined, headers: Record<string, string>): void {
  if (fault?.status) return end(res, fault.status, {});
  let bytes = original;
  if (fault?.corrupt) {
    bytes = Buffer.from(original);
    bytes[bytes.length >> 1] ^= 0xff;
  }
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  if (start > bytes.length) return end(res, 416, { 'content-range': `bytes */${bytes.length}` });
  const body = bytes.subarray(start);
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'accept-ranges': 'bytes',
    'content-type': 'application/octet-stream',
    // An endless or trickling body is chunked: the size is declared only by the Hub's X-Linked-Size.
    ...(fault?.endless || fault?.trickleMs ? {} : { 'content-length': String(body.length) }),
    ...(range ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
  });
  if (req.method === 'HEAD') return void res.end();
  if (fault?.endless || fault?.trickleMs) return streamForever(res, body, fault.trickleMs);
  if (fault?.dropAfterBytes !== undefined) {
    res.write(body.subarray(0, fault.dropAfterBytes), () => res.socket?.destroy());
    return;
  }
  if (!fault?.chunkDelayMs) return void res.end(body);
  let offset = 0;
  const pump = () => {
    if (res.destroyed) return;
    if (offset >= body.length) return void res.end();
    res.write(body.subarray(offset, offset + 4096));
    offset += 4096;
    setTimeout(pump, fault.chunkDelayMs);
  };
  pump();
}
