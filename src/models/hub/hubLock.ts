// A lock file next to a blob's .incomplete so two processes (two VS Code windows, a CLI) never write one file at once.
import * as fs from 'fs';
import * as os from 'os';
import { sleep } from './hubHttp';

export interface LockOptions {
  signal?: AbortSignal;
  /** A lock untouched for this long is abandoned (its holder refreshes it far more often). */
  staleMs?: number;
  pollMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  try {
    // A symlink or FIFO under the lock's name is no lock of ours: stale, removed (rm removes the link, not its target).
    if (!(await fs.promises.lstat(lockPath)).isFile()) return true;
    const [stat, text] = await Promise.all([fs.promises.stat(lockPath), fs.promises.readFile(lockPath, 'utf8')]);
    if (Date.now() - stat.mtimeMs > staleMs) return true;
    const owner = JSON.parse(text) as Partial<LockOwner>;
    return owner.host === os.hostname() && typeof owner.pid === 'number' && owner.pid !== process.pid && !isProcessAlive(owner.pid);
  } catch (e) {
    // A half-written lock (no JSON yet) is fresh; a vanished one is free and the next create will tell.
    return false;
  }
}

/** Waits until this process holds the lock; returns the function that releases it. */
export async function acquireFileLock(lockPath: string, opts: LockOptions = {}): Promise<() => Promise<void>> {
  const staleMs = opts.staleMs ?? 60_000;
  const pollMs = opts.pollMs ?? 200;
  for (;;) {
    try {
      const handle = await fs.promises.open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies LockOwner));
      await handle.close();
      const refresh = setInterval(() => {
        const now = new Date();
        fs.promises.utimes(lockPath, now, now).catch(() => undefined);
      }, Math.max(50, Math.floor(staleMs / 4)));
      refresh.unref();
      return async () => {
        clearInterval(refresh);
        await fs.promises.rm(lockPath, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (await isStale(lockPath, staleMs)) {
      await fs.promises.rm(lockPath, { force: true });
      continue;
    }
    await sleep(pollMs, opts.signal);
  }
}
