// What the shared Hugging Face cache holds, for a model picker: every models--org--name repo with its snapshots.
import * as fs from 'fs';
import * as path from 'path';
import { hubCacheDir } from './hubEnv';
import { readRegularText } from '../../engine/regularFile';

/** A ref file holds one commit hash; anything larger is not a ref. */
const REF_MAX_BYTES = 4096;

export interface CachedRevision {
  commit: string;
  /** Branches/tags in refs/ that point at this commit (may be empty: fetched by hash). */
  refs: string[];
  folder: string;
  /** Repo paths present in the snapshot, e.g. ["config.json", "onnx/model.onnx"]. */
  files: string[];
  /** ONNX graphs in the snapshot. */
  onnxFiles: string[];
  lastModified: Date;
}

export interface CachedModel {
  id: string;
  /** Folder models--org--name. */
  repoFolder: string;
  revisions: CachedRevision[];
  /** Bytes of all blobs (each counted once, as huggingface_hub's scan-cache does). */
  sizeOnDisk: number;
}

/** Models in the cache (HF_HUB_CACHE / HF_HOME) sorted by id; an unreadable or missing cache gives []. */
export function listCachedModels(cacheDir: string = hubCacheDir()): CachedModel[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(cacheDir);
  } catch {
    return [];
  }
  return entries
    .filter((name) => /^models--[^-].*--.+/.test(name))
    .map((name) => readCachedRepo(path.join(cacheDir, name)))
    .filter((m): m is CachedModel => m !== undefined && m.revisions.length > 0)
    .sort((a, b) => a.id.localeCompare(b.id));
}

function readCachedRepo(repoFolder: string): CachedModel | undefined {
  const parts = path.basename(repoFolder).slice('models--'.length).split('--');
  if (parts.length !== 2) return undefined;
  const refs = readRefs(path.join(repoFolder, 'refs'));
  const snapshotsDir = path.join(repoFolder, 'snapshots');
  let commits: string[];
  try {
    commits = fs.readdirSync(snapshotsDir).filter((c) => /^[0-9a-f]{40}$/.test(c));
  } catch {
    return undefined;
  }
  const revisions = commits.map((commit) => {
    const folder = path.join(snapshotsDir, commit);
    const files = listFiles(folder);
    return {
      commit,
      refs: [...refs].filter(([, c]) => c === commit).map(([r]) => r).sort(),
      folder,
      files,
      onnxFiles: files.filter((f) => f.endsWith('.onnx')),
      lastModified: fs.statSync(folder).mtime,
    };
  });
  revisions.sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
  return { id: parts.join('/'), repoFolder, revisions, sizeOnDisk: blobsSize(path.join(repoFolder, 'blobs')) };
}

/** refs/<name> files, including nested ones such as refs/pr/1. */
function readRefs(refsDir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(refsDir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const d of names) {
    const full = path.join(refsDir, d.name);
    if (d.isDirectory()) readRefs(full, `${prefix}${d.name}/`).forEach((c, r) => out.set(r, c));
    else {
      // A ref is a 40-character commit; anything that is not a small regular file (a planted FIFO would hang) is skipped.
      try {
        out.set(`${prefix}${d.name}`, readRegularText(full, REF_MAX_BYTES).trim());
      } catch {
        continue;
      }
    }
  }
  return out;
}

/** Files (followed through symlinks) whose target exists, as forward-slash repo paths. */
function listFiles(folder: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, d.name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      continue; // dangling symlink: its blob is gone
    }
    if (stat.isDirectory()) out.push(...listFiles(full, `${prefix}${d.name}/`));
    else if (stat.isFile()) out.push(`${prefix}${d.name}`);
  }
  return out.sort();
}

/** Finished blobs only: .incomplete and .lock files are not part of the cache yet. */
function blobsSize(blobsDir: string): number {
  try {
    return fs
      .readdirSync(blobsDir)
      .filter((b) => !b.endsWith('.incomplete') && !b.endsWith('.lock'))
      .reduce((sum, b) => sum + fs.statSync(path.join(blobsDir, b)).size, 0);
  } catch {
    return 0;
  }
}
