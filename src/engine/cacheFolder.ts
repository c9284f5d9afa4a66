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
  return code ? `it cannot be written (${code})` : `it cannot be written (${(e as Error).message})`;
}
