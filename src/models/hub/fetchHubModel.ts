// ensureHubModel: a Hub model as a local snapshot folder, downloaded once into the cache huggingface_hub shares.
import * as fs from 'fs';
import { AttentionLensError, isAttentionLensError } from '../../engine/errors';
import { CONFIG_MAX_BYTES, readRegularText } from '../../engine/regularFile';
import { AttentionCheck, checkSnapshotAttention, inspectGraphAttention } from './hubAttentionCheck';
import {
  blobPath,
  isKnownAbsent,
  linkSnapshotFile,
  markAbsent,
  readCachedCommit,
  snapshotFolder,
  snapshotHasFile,
  writeRef,
} from './hubCache';
import { downloadBlob } from './hubDownload';
import { HubSettingsOverrides, hubSettings, HubSettings } from './hubEnv';
import { hubCacheUnwritable, hubCancelled, hubNotFound, hubOfflineNotCached, modelLabel } from './hubErrors';
import { describeWriteFailure, isUnwritable } from '../../engine/cacheFolder';
import { HubHttpContext } from './hubHttp';
import { FileMetadata, fetchFileMetadata, isMissing } from './hubMetadata';
import { HubProgress, ProgressMeter } from './hubProgress';
import { DEFAULT_REVISION, DEFAULT_VARIANT, HubModelRef, assertHubRef, companionOnnxFiles, externalDataFile, looksLikeDecoder, looksLikeEncoderDecoder, onnxCandidates } from './hubRef';
import { describeOnnxFiles, listRepoFiles, onnxGraphFiles } from './hubRepoFiles';
import { SharedJobs } from './sharedJobs';

export type { HubModelRef } from './hubRef';
export type { HubProgress } from './hubProgress';
export type { AttentionCheck } from './hubAttentionCheck';

export interface EnsureHubModelOptions extends HubSettingsOverrides {
  signal?: AbortSignal;
  onProgress?: (p: HubProgress) => void;
  /** Told when the network failed and a cached copy is used instead. */
  onNotice?: (message: string) => void;
  /** Retries after 5xx/429 or a dropped connection (default 3), first backoff in ms (default 500, doubling). */
  retries?: number;
  retryDelayMs?: number;
  /** Metadata request limit and download stall limit in ms (default 15000). */
  timeoutMs?: number;
  /** Graph check after download; false skips it (default: the engine's inspectAttention). */
  checkAttention?: AttentionCheck | false;
}

export interface HubSnapshot {
  id: string;
  revision: string;
  commit: string;
  /** snapshots/<commit> in the cache: a model folder in Hugging Face layout. */
  folder: string;
  /** Repo path of the ONNX graph chosen for the variant, e.g. onnx/model_quantized.onnx. */
  onnxFile: string;
  variant: string;
  /** 'cache' when nothing was downloaded. */
  from: 'cache' | 'download';
}

const REQUIRED_FILES = ['config.json', 'tokenizer.json'];
const OPTIONAL_FILES = ['tokenizer_config.json', 'special_tokens_map.json'];

const sharedModels = new SharedJobs<HubSnapshot, HubProgress>();

/** The snapshot folder of a Hub model, downloading what is missing. See fetchHubModel. */
export async function ensureHubModel(ref: HubModelRef, opts: EnsureHubModelOptions = {}): Promise<string> {
  return (await fetchHubModel(ref, opts)).folder;
}

/**
 * Resolves `ref` to a verified snapshot in the Hugging Face cache. Offline (HF_HUB_OFFLINE or opts.offline) it never
 * touches the network; when the network fails it falls back to a cached snapshot. Concurrent calls for one model share
 * one download.
 */
export function fetchHubModel(ref: HubModelRef, opts: EnsureHubModelOptions = {}): Promise<HubSnapshot> {
  assertHubRef(ref);
  const settings = hubSettings(opts);
  const revision = ref.revision || DEFAULT_REVISION;
  const variant = ref.variant || DEFAULT_VARIANT;
  const key = [settings.cacheDir, settings.endpoint, settings.offline, ref.id, revision, variant].join('\n');
  return sharedModels.run(key, (signal, emit) => fetchUnshared(ref.id, revision, variant, settings, { ...opts, signal }, emit), {
    signal: opts.signal,
    onProgress: opts.onProgress,
    cancelled: () => hubCancelled(ref.id),
  });
}

async function fetchUnshared(
  id: string,
  revision: string,
  variant: string,
  settings: HubSettings,
  opts: EnsureHubModelOptions,
  emit: (p: HubProgress) => void,
): Promise<HubSnapshot> {
  const check = opts.checkAttention === false ? undefined : opts.checkAttention ?? inspectGraphAttention;
  if (settings.offline) {
    const cached = findCachedSnapshot(settings.cacheDir, id, revision, variant);
    if ('missing' in cached) throw hubOfflineNotCached(id, revision, settings.cacheDir, 'HF_HUB_OFFLINE is set, so nothing is downloaded', cached.missing);
    return cached;
  }
  const ctx: HubHttpContext = {
    endpoint: settings.endpoint,
    token: settings.token,
    signal: opts.signal,
    retries: opts.retries ?? 3,
    retryDelayMs: opts.retryDelayMs ?? 500,
    timeoutMs: opts.timeoutMs ?? 15_000,
    id,
  };
  let snapshot: HubSnapshot;
  try {
    snapshot = await downloadSnapshot(id, revision, variant, settings, ctx, emit);
  } catch (e) {
    const fallback = networkFallback(e, settings, id, revision, variant);
    if (!fallback) throw e;
    opts.onNotice?.(`${(e as AttentionLensError).message} Using the cached copy of ${modelLabel(id, revision)}.`);
    return fallback;
  }
  if (check && snapshot.from === 'download') {
    const repoOnnxFiles = async () => {
      const files = await listRepoFiles(id, snapshot.commit, ctx);
      return files && onnxGraphFiles(files);
    };
    await checkSnapshotAttention(snapshot.folder, snapshot.onnxFile, modelLabel(id, revision), check, repoOnnxFiles);
  }
  return snapshot;
}

/** On a network or server failure a complete cached snapshot still serves; an uncached model gets a clear message. */
function networkFallback(e: unknown, settings: HubSettings, id: string, revision: string, variant: string): HubSnapshot | undefined {
  if (!isAttentionLensError(e) || (e.code !== 'HUB_NETWORK' && e.code !== 'HUB_SERVER_ERROR')) return undefined;
  const cached = findCachedSnapshot(settings.cacheDir, id, revision, variant);
  if (!('missing' in cached)) return cached;
  // A network error before any download (no file named) means the Hub is unreachable: the offline message fits.
  if (e.code === 'HUB_NETWORK' && e.file === undefined) {
    throw hubOfflineNotCached(id, revision, settings.cacheDir, `the Hub could not be reached (${e.message})`, cached.missing);
  }
  return undefined;
}

/** The cached snapshot for revision+variant, or what is missing from it. Reads only the disk. */
export function findCachedSnapshot(cacheDir: string, id: string, revision: string, variant: string): HubSnapshot | { missing: string } {
  const commit = readCachedCommit(cacheDir, id, revision);
  if (!commit) return { missing: `refs/${revision}` };
  const folder = snapshotFolder(cacheDir, id, commit);
  const absent = REQUIRED_FILES.find((f) => !snapshotHasFile(cacheDir, id, commit, f));
  if (absent) return { missing: absent };
  const config = readJson(`${folder}/config.json`);
  const candidates = onnxCandidates(variant, looksLikeDecoder(config), looksLikeEncoderDecoder(config));
  const onnxFile = candidates.find((f) => snapshotHasFile(cacheDir, id, commit, f));
  if (!onnxFile) return { missing: candidates.join(' or ') };
  const companion = companionOnnxFiles(onnxFile).find((f) => !snapshotHasFile(cacheDir, id, commit, f));
  if (companion) return { missing: companion };
  return { id, revision, commit, folder, onnxFile, variant, from: 'cache' };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readRegularText(file, CONFIG_MAX_BYTES));
  } catch {
    return undefined;
  }
}

interface PlannedFile {
  meta: FileMetadata;
  blob: string;
}

async function downloadSnapshot(
  id: string,
  revision: string,
  variant: string,
  settings: HubSettings,
  ctx: HubHttpContext,
  emit: (p: HubProgress) => void,
): Promise<HubSnapshot> {
  const { cacheDir } = settings;
  const configMeta = await fetchFileMetadata(id, revision, 'config.json', ctx);
  if (isMissing(configMeta)) {
    throw hubNotFound(id, revision, 'config.json', configMeta.hubCode, 'Attention Lens needs a transformers model with config.json, tokenizer.json and onnx/*.onnx (Xenova/* repos have them).');
  }
  // Every later file is asked for at this commit, so a push in the middle cannot mix two versions.
  const commit = configMeta.commit;
  const planned: PlannedFile[] = [{ meta: configMeta, blob: blobPath(cacheDir, id, configMeta.etag) }];
  const absent: string[] = [];
  const configDownloads = await fetchAll(planned, ctx, revision, emit);
  const config = readJson(planned[0].blob);
  const decoderFirst = looksLikeDecoder(config);

  const tokenizer = await fetchFileMetadata(id, commit, 'tokenizer.json', ctx);
  if (isMissing(tokenizer)) {
    throw hubNotFound(id, revision, 'tokenizer.json', tokenizer.hubCode, 'Attention Lens needs the fast tokenizer file tokenizer.json; pick a repo that has it (Xenova/* repos do).');
  }
  planned.push({ meta: tokenizer, blob: blobPath(cacheDir, id, tokenizer.etag) });
  for (const file of OPTIONAL_FILES) await planOptional(file, id, commit, ctx, cacheDir, planned, absent);

  const onnxFile = await planOnnx(id, revision, commit, variant, decoderFirst, ctx, cacheDir, planned, looksLikeEncoderDecoder(config));
  await planOptional(externalDataFile(onnxFile), id, commit, ctx, cacheDir, planned, absent);
  // An encoder–decoder's decoder comes with its encoder (the engine opens both).
  for (const file of companionOnnxFiles(onnxFile)) {
    await planOnnx(id, revision, commit, file, false, ctx, cacheDir, planned);
    await planOptional(externalDataFile(file), id, commit, ctx, cacheDir, planned, absent);
  }

  const downloaded = await fetchAll(planned, ctx, revision, emit);
  // Only now, with every blob verified, does anything appear under snapshots/ and refs/.
  try {
    for (const { meta } of planned) await linkSnapshotFile(cacheDir, id, commit, meta.file, meta.etag);
    for (const file of absent) await markAbsent(cacheDir, id, commit, file);
    await writeRef(cacheDir, id, revision, commit);
  } catch (e) {
    if (isUnwritable(e) || (e as NodeJS.ErrnoException).code === 'ELOOP') throw hubCacheUnwritable(id, `snapshots/${commit}`, cacheDir, describeWriteFailure(e));
    throw e;
  }
  return { id, revision, commit, folder: snapshotFolder(cacheDir, id, commit), onnxFile, variant, from: downloaded + configDownloads > 0 ? 'download' : 'cache' };
}

async function planOptional(file: string, id: string, commit: string, ctx: HubHttpContext, cacheDir: string, planned: PlannedFile[], absent: string[]): Promise<void> {
  if (isKnownAbsent(cacheDir, id, commit, file)) return;
  const meta = await fetchFileMetadata(id, commit, file, ctx);
  if (isMissing(meta)) absent.push(file);
  else planned.push({ meta, blob: blobPath(cacheDir, id, meta.etag) });
}

async function planOnnx(
  id: string,
  revision: string,
  commit: string,
  variant: string,
  decoderFirst: boolean,
  ctx: HubHttpContext,
  cacheDir: string,
  planned: PlannedFile[],
  encoderDecoder = false,
): Promise<string> {
  const candidates = onnxCandidates(variant, decoderFirst, encoderDecoder);
  for (const file of candidates) {
    const meta = await fetchFileMetadata(id, commit, file, ctx);
    if (isMissing(meta)) continue;
    planned.push({ meta, blob: blobPath(cacheDir, id, meta.etag) });
    return file;
  }
  const files = await listRepoFiles(id, commit, ctx);
  const available = files ? describeOnnxFiles(files) : '';
  const hint = files
    ? available
      ? `Variants in this repo: ${available}. Pick one of them.`
      : 'This repo has no ONNX files; pick a repo with onnx/*.onnx (e.g. Xenova/bert-base-uncased), or export one with optimum.'
    : 'Pick another variant (fp32, quantized, fp16), or check the repo\'s onnx/ folder on huggingface.co.';
  throw hubNotFound(id, revision, candidates.join(' or '), undefined, hint);
}

/** Downloads the planned blobs that are not cached yet, one after another; returns how many were downloaded. */
async function fetchAll(planned: PlannedFile[], ctx: HubHttpContext, revision: string, emit: (p: HubProgress) => void): Promise<number> {
  const todo = planned.filter((p) => !blobComplete(p));
  for (const [i, { meta, blob }] of todo.entries()) {
    const meter = new ProgressMeter(emit, meta.file, i + 1, todo.length);
    await downloadBlob(meta, blob, ctx, { revision, onBytes: ({ bytes, total }) => meter.update(bytes, total) });
  }
  return todo.length;
}

function blobComplete({ meta, blob }: PlannedFile): boolean {
  try {
    const size = fs.statSync(blob).size;
    return meta.size === undefined || size === meta.size;
  } catch {
    return false;
  }
}
