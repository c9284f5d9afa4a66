// The patched model (attention exposed) lives in a cache folder keyed by the source file's sha256, never next to
// the user's files. Written under a temporary name and renamed into place so readers never see half a file.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeWriteFailure, ensureFolder, isUnwritable } from './cacheFolder';
import { AttentionLensError } from './errors';
import type { AttentionPlan } from './onnxAttention';
import { WeightLayout, weightLayout, writePatchedGraph } from './patchedGraph';
import { isRegularFile } from './regularFile';

/** Bump when the patch format changes so old cached copies are not reused. v5: one file name per key. */
const PATCH_VERSION = 'v5';
/** The patched graph's name in its key folder: fixed, so one graph reached under two names (two links to one Hub blob) shares one folder. */
const PATCHED_NAME = 'model.onnx';

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'attention-lens');
}

/** sha256 of a file's content, streamed so memory stays flat. */
export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    fs.createReadStream(file, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export interface PatchedModel {
  file: string;
  /** False when this call wrote the copy, true when an earlier one was reused. */
  reused: boolean;
  /** The folder the patched graph's weight references are relative to (the session's external data folder). */
  externalDataFolder: string;
  /**
   * Set when the cache folder could not be written and the copy went to a private temporary folder instead: why, and
   * the folder to delete once the session has loaded the graph.
   */
  fallback?: { reason: string; folder: string };
}

/** Returns the patched copy of `plan.onnxFile`, writing it when absent; a read-only or full cache falls back to a temporary copy. */
export async function ensurePatchedModel(plan: AttentionPlan, cacheDir = defaultCacheDir(), keep: readonly string[] = []): Promise<PatchedModel> {
  const contentHash = await hashFile(plan.onnxFile);
  // Weights stay in the user's folder (the patched graph references them; see patchedGraph.ts): the key is the
  // graph's content plus the relative locations written into the copy.
  const layout = weightLayout(plan);
  const keyParts = [PATCH_VERSION, contentHash, ...plan.softmaxOutputs.map((o) => o.name), layout.graphLocation, ...layout.dataLocations.values(), `keep:${keep.join(',')}`, `inline:${plan.inlineNoCacheBranch ?? ''}`];
  const key = crypto.createHash('sha256').update(keyParts.join('\n')).digest('hex').slice(0, 32);
  const externalDataFolder = layout.folder;
  try {
    return { ...writeOnce(plan, layout, keep, path.join(cacheDir, 'patched'), key), externalDataFolder };
  } catch (e) {
    if (!isUnwritable(e)) throw e;
    const reason = `${path.join(cacheDir, 'patched')}: ${describeWriteFailure(e)}`;
    let folder: string;
    try {
      // A fresh private folder (mode 0700): never a predictable name in a shared /tmp that someone else could plant.
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-patched-'));
      writePatchedGraph(plan.onnxFile, plan.softmaxOutputs, layout, path.join(folder, PATCHED_NAME), keep, plan.inlineNoCacheBranch);
    } catch (e2) {
      throw new AttentionLensError(
        'CACHE_UNWRITABLE',
        `Cannot write the patched copy of ${plan.onnxFile}: the cache folder ${reason}, and the temporary folder ${os.tmpdir()}: ${describeWriteFailure(e2)}.`,
        'Free some disk space, or point the cache elsewhere (--cache-dir on the command line, XDG_CACHE_HOME for the extension).',
        cacheDir,
      );
    }
    return { file: path.join(folder, PATCHED_NAME), reused: false, externalDataFolder, fallback: { reason, folder } };
  }
}

/** Writes `root/key/model.onnx` unless present: into a temporary folder renamed into place, so readers never see half a file. */
function writeOnce(plan: AttentionPlan, layout: WeightLayout, keep: readonly string[], root: string, key: string): { file: string; reused: boolean } {
  const finalDir = path.join(root, key);
  const file = path.join(finalDir, PATCHED_NAME);
  if (isRegularFile(file)) return { file, reused: true };
  ensureFolder(root);
  const tmpDir = fs.mkdtempSync(path.join(root, `.tmp-${key}-`));
  try {
    writePatchedGraph(plan.onnxFile, plan.softmaxOutputs, layout, path.join(tmpDir, PATCHED_NAME), keep, plan.inlineNoCacheBranch);
    try {
      fs.renameSync(tmpDir, finalDir);
    } catch (e) {
      // Another process may have finished the same copy first: use theirs. A damaged folder (no graph in it) is replaced.
      if (isRegularFile(file)) return { file, reused: true };
      if (!['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
      fs.rmSync(finalDir, { recursive: true, force: true });
      fs.renameSync(tmpDir, finalDir);
    }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  return { file, reused: false };
}
