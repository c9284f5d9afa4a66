// Every Hub failure as an AttentionLensError that names the model and the way forward. Tokens never appear here.
import { AttentionLensError } from '../../engine/errors';

export const TOKEN_HINT =
  'Set a Hugging Face token: in VS Code run "Attention Lens: Set Hugging Face Token"; on the command line set HF_TOKEN (or run `huggingface-cli login`).';

export function modelLabel(id: string, revision: string): string {
  return revision === 'main' ? id : `${id}@${revision}`;
}

/** 404 for the model, the revision or one file; `hubCode` is the Hub's X-Error-Code when it sent one. */
export function hubNotFound(id: string, revision: string, file: string, hubCode?: string, extraHint = ''): AttentionLensError {
  const label = modelLabel(id, revision);
  if (hubCode === 'RepoNotFound') {
    return new AttentionLensError('HUB_NOT_FOUND', `Model ${id} was not found on the Hugging Face Hub.`, `Check the id (org/name, e.g. Xenova/bert-base-uncased). If the model is private, ${TOKEN_HINT}`, file);
  }
  if (hubCode === 'RevisionNotFound') {
    return new AttentionLensError('HUB_NOT_FOUND', `Revision "${revision}" of ${id} was not found on the Hugging Face Hub.`, 'Use an existing branch, tag or commit hash (default: main).', file);
  }
  return new AttentionLensError('HUB_NOT_FOUND', `${label} has no file ${file} on the Hugging Face Hub (404).`, extraHint || 'Check the model id and revision, and that the repo has ONNX weights under onnx/ (Xenova/* repos do).', file);
}

export function hubUnauthorized(id: string, revision: string, file: string, status: number, tokenSent: boolean, hubCode?: string): AttentionLensError {
  const label = modelLabel(id, revision);
  const what = hubCode === 'GatedRepo' ? 'is gated' : 'is private, gated or does not exist';
  const message = tokenSent
    ? `The Hugging Face Hub refused the token for ${label} (${status}): the model ${what}.`
    : `${label} needs a Hugging Face token (${status}): the model ${what}.`;
  const hint = tokenSent
    ? `Check that the token is valid and that your account accepted the model's conditions at https://huggingface.co/${id}. ${TOKEN_HINT}`
    : `If the model is gated, accept its conditions at https://huggingface.co/${id}. ${TOKEN_HINT}`;
  return new AttentionLensError('HUB_UNAUTHORIZED', message, hint, file);
}

export function hubServerError(id: string, file: string, detail: string, attempts: number): AttentionLensError {
  return new AttentionLensError(
    'HUB_SERVER_ERROR',
    `The Hugging Face Hub failed while serving ${file} of ${id}: ${detail}${attempts > 1 ? ` (${attempts} attempts)` : ''}.`,
    'The Hub may be having trouble; try again in a few minutes, or set HF_HUB_OFFLINE=1 to use cached models only.',
    file,
  );
}

export function hubNotAHub(endpoint: string, id: string, file: string): AttentionLensError {
  return new AttentionLensError(
    'HUB_SERVER_ERROR',
    `${endpoint} answered for ${file} of ${id} without the Hub's commit and etag headers.`,
    'A proxy, firewall or captive portal may be in the way, or HF_ENDPOINT points at something that is not a Hugging Face Hub.',
    file,
  );
}

/** `file` is set when a download broke off, unset when the Hub could not be reached at all. */
export function hubNetworkError(id: string, endpoint: string, cause: string, file?: string): AttentionLensError {
  if (file) {
    return new AttentionLensError('HUB_NETWORK', `The download of ${file} from ${id} kept breaking off (${cause}).`, 'Check your connection and run it again: the download resumes where it stopped.', file);
  }
  return new AttentionLensError(
    'HUB_NETWORK',
    `Could not reach the Hugging Face Hub at ${endpoint} to get ${id}: ${cause}.`,
    'Check your network connection and proxy (HF_ENDPOINT sets another server), or use a model that is already cached.',
  );
}

export function hubOfflineNotCached(id: string, revision: string, cacheDir: string, why: string, missing?: string): AttentionLensError {
  const label = modelLabel(id, revision);
  return new AttentionLensError(
    'HUB_OFFLINE_NOT_CACHED',
    `${label} is not in the Hugging Face cache at ${cacheDir}${missing ? ` (missing ${missing})` : ''}, and ${why}.`,
    `Connect to the network (unset HF_HUB_OFFLINE) and run it once to download it, e.g. \`attention-lens analyze --model ${label} "hello"\`, or fetch it with \`huggingface-cli download ${id} --revision ${revision}\`.`,
  );
}

export function hubChecksumMismatch(id: string, file: string, detail: string): AttentionLensError {
  return new AttentionLensError(
    'HUB_CHECKSUM_MISMATCH',
    `The download of ${file} from ${id} was corrupted (${detail}); the file was discarded.`,
    'Try again; if it keeps happening a proxy may be altering downloads.',
    file,
  );
}

/** The cache could not be written: a full disk is named as such, never blamed on the connection. */
export function hubCacheUnwritable(id: string, file: string, cacheDir: string, why: string): AttentionLensError {
  return new AttentionLensError(
    'CACHE_UNWRITABLE',
    `Cannot save ${file} of ${id} in the Hugging Face cache at ${cacheDir}: ${why}.`,
    'Free some disk space, or point HF_HUB_CACHE (or HF_HOME) at a disk with room; the download resumes where it stopped.',
    file,
  );
}

export function hubCancelled(id: string): AttentionLensError {
  return new AttentionLensError('CANCELLED', `Download of ${id} was cancelled.`, 'Run it again to resume where it stopped.');
}
