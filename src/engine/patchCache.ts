// The patched model (attention exposed) lives in a cache folder keyed by the source file's sha256, never next to
// the user's files. Written under a temporary name and renamed into place so readers never see half a file.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AttentionPlan } from './onnxAttention';
import { weightLayout, writePatchedGraph } from './patchedGraph';

/** Bump when the patch format changes so old cached copies are not reused. */
const PATCH_VERSION = 'v4';

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
}

/** Returns the patched copy of `plan.onnxFile`, writing it when absent. */
export async function ensurePatchedModel(plan: AttentionPlan, cacheDir = defaultCacheDir(), keep: readonly string[] = []): Promise<PatchedModel> {
  const contentHash = await hashFile(plan.onnxFile);
  // Weights stay in the user's folder (the patched graph references them; see patchedGraph.ts): the key is the
  // graph's content plus the relative locations written into the copy.
  const layout = weightLayout(plan);
  const keyParts = [PATCH_VERSION, contentHash, ...plan.softmaxOutputs.map((o) => o.name), layout.graphLocation, ...layout.dataLocations.values(), `keep:${keep.join(',')}`, `inline:${plan.inlineNoCacheBranch ?? ''}`];
  const key = crypto.createHash('sha256').update(keyParts.join('\n')).digest('hex').slice(0, 32);
  const root = path.join(cacheDir, 'patched');
  const finalDir = path.join(root, key);
  const file = path.join(finalDir, path.basename(plan.onnxFile));
  const externalDataFolder = layout.folder;
  if (fs.existsSync(file)) return { file, reused: true, externalDataFolder };
  fs.mkdirSync(root, { recursive: true });
  const tmpDir = fs.mkdtempSync(path.join(root, `.tmp-${key}-`));
  try {
    writePatchedGraph(plan.onnxFile, plan.softmaxOutputs, layout, path.join(tmpDir, path.basename(plan.onnxFile)), keep, plan.inlineNoCacheBranch);
    fs.renameSync(tmpDir, finalDir);
  } catch (e) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    // Another process may have finished the same copy first; use theirs.
    if (fs.existsSync(file)) return { file, reused: true, externalDataFolder };
    throw e;
  }
  return { file, reused: false, externalDataFolder };
}
