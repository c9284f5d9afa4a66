// Creating cache folders without Node's `mkdir({ recursive: true })`, which never returns under /proc (mkdir there
// answers ENOENT for a parent that exists, and Node retries forever).
import * as fs from 'fs';
import * as path from 'path';

/** Creates `dir` and its missing parents one at a time; throws the errno error of the first that cannot be made. */
export function ensureFolder(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (stat) {
      if (!stat.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), { code: 'ENOTDIR', path: current });
      break;
    }
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      fs.mkdirSync(folder);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Creates `dir` below `base` like ensureFolder, but every folder between them must be a real folder: a symlink planted
 * inside a cache (blobs → /elsewhere) must not redirect writes. `base` itself may be a link the user made.
 */
export function ensureFolderWithin(base: string, dir: string): void {
  const rel = path.relative(base, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw Object.assign(new Error(`EINVAL: ${dir} is not inside ${base}`), { code: 'EINVAL' });
  ensureFolder(base);
  let current = base;
  for (const part of rel.split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (!stat) {
      try {
        fs.mkdirSync(current);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        stat = fs.lstatSync(current);
      }
    }
    if (stat && !stat.isDirectory()) {
      throw Object.assign(new Error(`ELOOP: ${current} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; nothing is written through it`), { code: 'ELOOP' });
    }
  }
}

/** Errors that mean "this folder cannot be written", as opposed to a bug. */
export function isUnwritable(e: unknown): boolean {
  return ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'ENOENT', 'EEXIST', 'ENOTEMPTY', 'ELOOP', 'EISDIR', 'EINVAL'].includes(
    (e as NodeJS.ErrnoException).code ?? '',
  );
}

/** "the disk is full (ENOSPC)" and the like, for messages. */
export function describeWriteFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOSPC' || code === 'EDQUOT') return `the disk is full (${code})`;
  if (code === 'EROFS') return 'it is on a read-only file system (EROFS)';
  if (code === 'EACCES' || code === 'EPERM') return `it is not writable (${code})`;
  if (code === 'ELOOP') return (e as Error).message.replace(/^ELOOP: /, '');
  return code ? `it cannot be written (${code})` : `it cannot be written (${(e as Error).message})`;
}
