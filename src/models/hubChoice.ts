// Switching to a Hub model from the picker: fetch and check it first, store the setting only on success, and on
// failure keep the previous model with one short message that fits an extension user (no CLI commands, no
// advice about variables that are not set). No `vscode` here: the picker passes what it needs.
import { isAttentionLensError } from '../engine/errors';
import { validateModelFolder } from '../engine/modelFolder';
import { inspectAttention } from '../engine/onnxAttention';
import { resolveModelSpec, type ResolvedModel, type ResolveModelOptions } from './resolveModel';

/** Downloads (or finds in the cache) a Hub model and checks that the engine can open it and see its attention. */
export async function checkHubModel(spec: string, variant: string | undefined, opts: ResolveModelOptions): Promise<ResolvedModel> {
  const resolved = await resolveModelSpec(spec, { ...opts, variant });
  const model = await validateModelFolder(resolved.folder, { variant: resolved.variant });
  await inspectAttention(model.onnxFile);
  return resolved;
}

export interface HubChoiceDeps {
  check: (spec: string, variant: string | undefined) => Promise<ResolvedModel>;
  /** `variant` undefined leaves the variant setting as it is. */
  store: (spec: string, variant: string | undefined) => Promise<void>;
}

export type HubChoiceOutcome =
  | { ok: true; model: ResolvedModel }
  | { ok: false; cancelled: boolean; message: string; needsToken: boolean; error: unknown };

/** Checks `spec` and stores it only when the check passed; the setting is untouched otherwise. */
export async function switchToHubModel(spec: string, variant: string | undefined, previousName: string, deps: HubChoiceDeps): Promise<HubChoiceOutcome> {
  try {
    const model = await deps.check(spec, variant);
    await deps.store(spec, variant);
    return { ok: true, model };
  } catch (e) {
    const cancelled = isAttentionLensError(e) && e.code === 'CANCELLED';
    const needsToken = isAttentionLensError(e) && e.code === 'HUB_UNAUTHORIZED';
    return { ok: false, cancelled, needsToken, message: pickerFailureMessage(e, spec, previousName), error: e };
  }
}

/** Advice only a terminal user can follow (CLI commands, environment variables, flags). */
const TERMINAL_ADVICE = /attention-lens |huggingface-cli|`|\bHF_[A-Z_]+|--[a-z]/;

/** "Could not use Xenova/x: <what went wrong>. Still using <previous>." — one or two sentences. */
export function pickerFailureMessage(e: unknown, spec: string, previousName: string): string {
  const keep = `Still using ${previousName}.`;
  if (!isAttentionLensError(e)) return `Could not use ${spec}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)} ${keep}`;
  switch (e.code) {
    case 'CANCELLED':
      return `Download of ${spec} cancelled. ${keep}`;
    case 'HUB_OFFLINE_NOT_CACHED':
      return e.message.includes('HF_HUB_OFFLINE is set')
        ? `${spec} is not downloaded yet, and offline mode (HF_HUB_OFFLINE) is on. ${keep}`
        : `Could not reach the Hugging Face Hub to download ${spec}; check your connection. ${keep}`;
    case 'HUB_NETWORK':
      return `The download of ${spec} failed: ${e.file ? 'the connection kept breaking off' : 'the Hugging Face Hub could not be reached'}; check your connection and try again. ${keep}`;
    case 'HUB_UNAUTHORIZED':
      return `${e.message} Set a token with "Attention Lens: Set Hugging Face Token". ${keep}`;
    default: {
      const hint = e.hint && !TERMINAL_ADVICE.test(e.hint) ? ` ${e.hint}` : '';
      return `Could not use ${spec}: ${e.message}${hint} ${keep}`;
    }
  }
}
