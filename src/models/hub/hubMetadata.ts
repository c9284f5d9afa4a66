// What the Hub says about one file before any byte is downloaded: commit, etag, size, and where to GET it.
import { hubNotAHub, hubNotFound, hubUnauthorized, hubServerError } from './hubErrors';
import { HubHttpContext, authHeaderFor, hubFetch, toHubError, withServerRetries } from './hubHttp';

export interface FileMetadata {
  file: string;
  /** The commit the revision resolved to (X-Repo-Commit). */
  commit: string;
  /** Blob name: sha256 for LFS files (X-Linked-Etag), git blob sha1 for small ones (ETag). */
  etag: string;
  /** Expected size in bytes (X-Linked-Size, else Content-Length). */
  size?: number;
  /** True when the etag is a sha256 of the content we can verify. */
  sha256: boolean;
  /** Where the bytes are: the CDN location of an LFS redirect, else the resolve URL. */
  downloadUrl: string;
}

export interface MissingFile {
  file: string;
  missing: true;
  /** The Hub's X-Error-Code, e.g. RepoNotFound, RevisionNotFound, EntryNotFound. */
  hubCode?: string;
}

export function resolveUrl(endpoint: string, id: string, revision: string, file: string): string {
  const encodedFile = file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}/${id}/resolve/${encodeURIComponent(revision)}/${encodedFile}`;
}

/** huggingface_hub's normalisation: drop the weak marker and the quotes. */
export function normalizeEtag(etag: string | null): string | undefined {
  if (!etag) return undefined;
  const e = etag.replace(/^W\//, '').replace(/^"+|"+$/g, '').trim();
  return e || undefined;
}

function parseSize(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

/**
 * HEAD on the resolve URL with redirect: 'manual' — the LFS redirect response itself carries
 * X-Repo-Commit, X-Linked-Etag and X-Linked-Size; its Location is the CDN URL to download from.
 */
export async function fetchFileMetadata(id: string, revision: string, file: string, ctx: HubHttpContext): Promise<FileMetadata | MissingFile> {
  const url = resolveUrl(ctx.endpoint, id, revision, file);
  let response: Response;
  let finalUrl: string;
  try {
    ({ response, url: finalUrl } = await withServerRetries(file, ctx, () => {
      const signal = ctx.signal ? AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]) : AbortSignal.timeout(ctx.timeoutMs);
      return hubFetch(url, { method: 'HEAD', sameOriginRedirectsOnly: true, signal }, ctx);
    }));
  } catch (e) {
    throw toHubError(e, ctx);
  }
  const h = response.headers;
  const hubCode = h.get('x-error-code') ?? undefined;
  if (response.status === 404) return { file, missing: true, hubCode };
  if (response.status === 401 || response.status === 403) {
    const tokenSent = Object.keys(authHeaderFor(finalUrl, ctx)).length > 0;
    throw hubUnauthorized(id, revision, file, response.status, tokenSent, hubCode);
  }
  if (response.status >= 400) {
    if (hubCode === 'RepoNotFound' || hubCode === 'RevisionNotFound') throw hubNotFound(id, revision, file, hubCode);
    throw hubServerError(id, file, `HTTP ${response.status} ${response.statusText}`.trim(), 1);
  }
  const commit = h.get('x-repo-commit')?.trim();
  const linkedEtag = normalizeEtag(h.get('x-linked-etag'));
  const etag = linkedEtag ?? normalizeEtag(h.get('etag'));
  if (!commit || !etag || !/^[0-9a-f]{40}$/.test(commit) || /[/\\]|^\.\.?$/.test(etag)) throw hubNotAHub(ctx.endpoint, id, file);
  const location = response.status >= 300 ? h.get('location') : null;
  return {
    file,
    commit,
    etag,
    size: parseSize(h.get('x-linked-size')) ?? parseSize(h.get('content-length')),
    sha256: linkedEtag !== undefined && /^[0-9a-f]{64}$/.test(linkedEtag),
    downloadUrl: location ? new URL(location, finalUrl).toString() : finalUrl,
  };
}

export function isMissing(m: FileMetadata | MissingFile): m is MissingFile {
  return (m as MissingFile).missing === true;
}
