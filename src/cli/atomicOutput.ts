// Writes an output file so that the path the user named holds either the complete new file or nothing new: the
// bytes go to a temporary file beside it (same folder, so the rename is atomic) and are renamed on success. Failures,
// and Ctrl-C through removePendingOutputs(), delete the temporary file.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Temporary files being written now; a signal handler removes them before the process exits. */
const pending = new Set<string>();

/** Appends text to the output; resolves when the stream can take more (back-pressure). */
export type WriteText = (text: string) => Promise<void> | void;

function temporaryNameBeside(file: string): string {
  const dir = path.dirname(path.resolve(file));
  return path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.partial`);
}

/**
 * Calls `produce` with a writer, then flushes, closes and renames the temporary file onto `file`. If `produce` or
 * the file system fails, the temporary file is removed and the error is rethrown; `file` is untouched.
 */
export async function writeFileAtomically(file: string, produce: (write: WriteText) => Promise<void>): Promise<void> {
  const temp = temporaryNameBeside(file);
  const out = fs.createWriteStream(temp, { flags: 'wx', highWaterMark: 1 << 20 });
  pending.add(temp);
  let failure: Error | undefined;
  const failed = new Promise<never>((_, reject) => out.on('error', (e) => reject((failure = e))));
  failed.catch(() => undefined);
  const opened = new Promise<void>((resolve) => out.once('open', () => resolve()));
  try {
    await Promise.race([opened, failed]);
    const write: WriteText = (text) => {
      if (failure) throw failure;
      if (!out.write(text)) return Promise.race([new Promise<void>((resolve) => out.once('drain', resolve)), failed]);
    };
    await produce(write);
    await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
    if (failure) throw failure;
    fs.renameSync(temp, file);
    pending.delete(temp);
  } catch (e) {
    out.destroy();
    await new Promise<void>((resolve) => (out.closed ? resolve() : out.once('close', () => resolve())));
    removeQuietly(temp);
    throw e;
  }
}

function removeQuietly(temp: string): void {
  pending.delete(temp);
  try {
    fs.rmSync(temp, { force: true });
  } catch {
    // Nothing more can be done; the name starts with a dot and ends in .partial, so it is recognisable.
  }
}

/** Synchronously deletes every temporary file still being written (for SIGINT/SIGTERM handlers). */
export function removePendingOutputs(): void {
  for (const temp of [...pending]) removeQuietly(temp);
}

/** Ctrl-C or a kill while an output file is being written: remove its temporary file, say so, exit 130/143. */
export function exitCleanlyOnSignals(program: string): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      const writing = pending.size > 0;
      removePendingOutputs();
      fs.writeSync(2, `${program}: interrupted (${signal})${writing ? '; the unfinished output file was removed' : ''}.\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}
