// Small JSON reports (head scores, comparisons) written whole to a temporary file and renamed into place, so a failed
// or interrupted run never leaves half a file under the user's name.
import * as fs from 'fs';
import * as path from 'path';
import { AttentionLensError } from '../engine/errors';

export function writeJsonFile(file: string, value: unknown): void {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, JSON.stringify(value, null, 1) + '\n');
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new AttentionLensError('BAD_ARGUMENT', `Cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, 'Check the path given to --json.', file);
  }
}
