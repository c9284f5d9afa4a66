// The on-disk layout of Python's huggingface_hub cache, so models downloaded by either tool serve both:
//   <cache>/models--org--name/blobs/<etag>                 file contents, named by etag (sha256 for LFS files)
//   <cache>/models--org--name/snapshots/<commit>/<path>    relative symlinks to ../../blobs/<etag>
//   <cache>/models--org--name/refs/<revision>              the commit hash a branch or tag pointed to
//   <cache>/models--org--name/.no_exist/<commit>/<path>    empty marker: this optional file is absent at that commit
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { readRegularText } from '../../engine/regularFile';
import { ensureFolderWithin } from '../../engine/cacheFolder';
import { assertSafeRepoPath, isCommitHash } from './hubRef';

/** The path segments of a repo file, refused when it could name something outside the snapshot. */
function segments(file: string): string[] {
  assertSafeRepoPath(file);
  return file.split('/');
}

/** Temp names unique across processes and concurrent jobs, so two writers never share one. */
function uniqueSuffix(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

export function repoFolderName(id: string): string {
  return `models--${id.split('/').join('--')}`;
}

export function repoCacheFolder(cacheDir: string, id: string): string {
  return path.join(cacheDir, repoFolderName(id));
}

export function blobPath(cacheDir: string, id: string, etag: string): string {
  return path.join(repoCacheFolder(cacheDir, id), 'blobs', etag);
}

export function snapshotFolder(cacheDir: string, id: string, commit: string): string {
  return path.join(repoCacheFolder(cacheDir, id), 'snapshots', commit);
}

function refFile(cacheDir: string, id: string, revision: string): string {
  return path.join(repoCacheFolder(cacheDir, id), 'refs', ...revision.split('/'));
}

function noExistFile(cacheDir: string, id: string, commit: string, file: string): string {
  return path.join(repoCacheFolder(cacheDir, id), '.no_exist', commit, ...segments(file));
}

/** The commit a revision points to in the cache, or undefined. A commit hash stands for itself. */
export function readCachedCommit(cacheDir: string, id: string, revision: string): string | undefined {
  if (isCommitHash(revision)) return revision;
  try {
    const commit = readRegularText(refFile(cacheDir, id, revision), 1024).trim();
    return isCommitHash(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

/** Records revision → commit like huggingface_hub does: the bare hash, no newline; commits get no ref. */
export async function writeRef(cacheDir: string, id: string, revision: string, commit: string): Promise<void> {
  if (revision === commit) return;
  const file = refFile(cacheDir, id, revision);
  ensureFolderWithin(cacheDir, path.dirname(file));
  const tmp = `${file}.${uniqueSuffix()}.tmp`;
  await fs.promises.writeFile(tmp, commit);
  await fs.promises.rename(tmp, file);
}

/** True when the snapshot has the file and, for a symlink, its blob exists (a dangling link is not a file). */
export function snapshotHasFile(cacheDir: string, id: string, commit: string, file: string): boolean {
  try {
    return fs.statSync(path.join(snapshotFolder(cacheDir, id, commit), ...segments(file))).isFile();
  } catch {
    return false;
  }
}

export function isKnownAbsent(cacheDir: string, id: string, commit: string, file: string): boolean {
  return fs.existsSync(noExistFile(cacheDir, id, commit, file));
}

export async function markAbsent(cacheDir: string, id: string, commit: string, file: string): Promise<void> {
  const marker = noExistFile(cacheDir, id, commit, file);
  ensureFolderWithin(cacheDir, path.dirname(marker));
  // O_NOFOLLOW and no truncation: a symlink planted under this name is refused, never written through.
  const handle = await fs.promises.open(marker, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW);
  await handle.close();
}

/** Points snapshots/<commit>/<file> at the blob with a relative symlink, replacing any old entry atomically. */
export async function linkSnapshotFile(cacheDir: string, id: string, commit: string, file: string, etag: string): Promise<string> {
  const pointer = path.join(snapshotFolder(cacheDir, id, commit), ...segments(file));
  const blob = blobPath(cacheDir, id, etag);
  ensureFolderWithin(cacheDir, path.dirname(pointer));
  const tmp = `${pointer}.${uniqueSuffix()}.linking`;
  try {
    await fs.promises.symlink(path.relative(path.dirname(pointer), blob), tmp);
  } catch (e) {
    // Windows without developer mode cannot symlink; huggingface_hub then copies the blob, and so do we.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    await fs.promises.copyFile(blob, tmp);
  }
  await fs.promises.rename(tmp, pointer);
  return pointer;
}
