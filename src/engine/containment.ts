// Real-path containment: every file a model is read from must resolve inside its folder, or inside the same
// models--org--name folder of the Hugging Face cache (snapshots/<commit>/* are links into ../../blobs/). A symlink to
// /etc/passwd named model.onnx_data is refused, not loaded.
import * as fs from 'fs';
import * as path from 'path';
import { AttentionLensError } from './errors';

/** The real folders a model in `folder` may read from. */
export function allowedRoots(folder: string): string[] {
  const real = fs.realpathSync(folder);
  const roots = [real];
  const snapshots = path.dirname(real);
  if (path.basename(snapshots) === 'snapshots' && path.basename(path.dirname(snapshots)).startsWith('models--')) roots.push(path.dirname(snapshots));
  return roots;
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Throws FILE_OUTSIDE_MODEL when `file` (after following every link) is not inside one of `roots`. */
export function assertInsideModel(roots: string[], file: string): void {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return; // a missing file is reported by whoever needs it, with its own message
  }
  if (roots.some((root) => isInside(root, real))) return;
  throw new AttentionLensError(
    'FILE_OUTSIDE_MODEL',
    `${file} resolves to ${real}, outside the model folder ${roots[0]}; Attention Lens reads a model only from its own folder.`,
    'Copy the file into the model folder instead of linking to it.',
    file,
  );
}
