// Runs @huggingface/hub's downloadFileToCacheDir (the official JS client's Python-cache download) against the project's
// FakeHub. The fake serves resolve/CDN like the Hub but not two things the official client needs, so a fetch wrapper
// supplies them without touching the fake: the paths-info API (answered from the fake's own repos, as the Hub would
// for a single-commit repo) and the `Range: bytes=0-0` size probe (the fake serves only open ranges, so the probe goes
// out as a HEAD through the same redirect and comes back as the 206 + Content-Range the Hub would send).
import { downloadFileToCacheDir } from '@huggingface/hub';
import type { Server } from 'http';
import { FakeHub, gitBlobSha1, isLfs, sha256 } from '../../test/support/fakeHub';

/** A fetch that answers POST /api/models/{id}/paths-info/{revision} from the fake's repos and forwards the rest. */
export function fetchWithPathsInfo(hub: FakeHub, signal?: AbortSignal): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const match = /^\/api\/models\/([^/]+\/[^/]+)\/paths-info\/([^/]+)$/.exec(url.pathname);
    if (!match || url.origin !== hub.endpoint) {
      if (headerOf(init, 'range') === 'bytes=0-0') return sizeProbe(input, init, signal);
      return fetch(input, { ...init, signal: signal ?? init?.signal });
    }
    // A stopped FakeHub is an unreachable Hub: fail like fetch does instead of answering from memory.
    if (!(hub as unknown as { hub: Server }).hub.listening) throw new TypeError('fetch failed');
    hub.requests.push({ server: 'hub', method: 'POST', path: url.pathname, authorization: headerOf(init, 'authorization') });
    const repo = hub.repos[decodeURIComponent(match[1])];
    if (!repo) return new Response('', { status: 404, headers: { 'x-error-code': 'RepoNotFound' } });
    if (repo.token && headerOf(init, 'authorization') !== `Bearer ${repo.token}`) {
      return new Response('', { status: headerOf(init, 'authorization') ? 403 : 401, headers: { 'x-error-code': 'GatedRepo' } });
    }
    const revision = decodeURIComponent(match[2]);
    const commit = revision === 'main' ? repo.commit : Object.values(repo.refs ?? {}).includes(revision) || revision === repo.commit ? revision : undefined;
    if (!commit) return new Response('', { status: 404, headers: { 'x-error-code': 'RevisionNotFound' } });
    const { paths } = JSON.parse(String(init?.body)) as { paths: string[] };
    const body = paths.filter((p) => repo.files[p]).map((p) => {
      const bytes = repo.files[p];
      return {
        type: 'file', path: p, size: bytes.length, oid: gitBlobSha1(bytes),
        ...(isLfs(p) ? { lfs: { oid: sha256(bytes), size: bytes.length, pointerSize: 134 } } : {}),
        lastCommit: { id: commit, title: 'fixture', date: '2026-01-01T00:00:00.000Z' },
      };
    });
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

async function sizeProbe(input: Parameters<typeof fetch>[0], init: RequestInit | undefined, signal?: AbortSignal): Promise<Response> {
  const headers = new Headers(init?.headers);
  headers.delete('range');
  const head = await fetch(input, { ...init, method: 'HEAD', headers, signal: signal ?? init?.signal });
  if (!head.ok) return new Response(null, { status: head.status, headers: head.headers });
  const answer = new Headers(head.headers);
  answer.set('content-range', `bytes 0-0/${head.headers.get('content-length')}`);
  answer.set('content-length', '1');
  return new Response(new Uint8Array(1), { status: 206, headers: answer });
}

function headerOf(init: RequestInit | undefined, name: string): string | undefined {
  return new Headers(init?.headers).get(name) ?? undefined;
}

export interface OfficialOptions {
  cacheDir: string;
  revision?: string;
  accessToken?: string;
  signal?: AbortSignal;
}

/** Downloads `files` one after another, as a caller of the official client would for one model. */
export async function officialDownload(hub: FakeHub, id: string, files: string[], opts: OfficialOptions): Promise<string[]> {
  const paths: string[] = [];
  for (const file of files) {
    paths.push(await downloadFileToCacheDir({
      repo: { type: 'model', name: id },
      path: file,
      revision: opts.revision,
      hubUrl: hub.endpoint,
      cacheDir: opts.cacheDir,
      accessToken: opts.accessToken,
      fetch: fetchWithPathsInfo(hub, opts.signal),
    }));
  }
  return paths;
}
