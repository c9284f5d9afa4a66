// One entry point from "what the user typed" to a model folder: nothing → bundled, a path → that folder,
// org/name[@revision][:variant] → a verified snapshot from the Hugging Face Hub.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AttentionLensError, isAttentionLensError } from '../engine/errors';
import { BUNDLED_MODEL_NAME, bundledModelFolder } from './bundled';
import { EnsureHubModelOptions, fetchHubModel } from './hub/fetchHubModel';
import { modelLabel } from './hub/hubErrors';
import { parseHubSpec } from './hub/hubRef';

export interface ResolvedModel {
  folder: string;
  /** For titles and logs: "bundled model", the folder name, or "Xenova/gpt2@main (fp32)". */
  label: string;
  source: 'bundled' | 'local' | 'hub';
  /** Variant to hand to the engine (AttentionEngine.open(folder, { variant })); for Hub models the exact file, e.g. onnx/model_quantized.onnx. */
  variant?: string;
  /** Hub only: absolute path of the ONNX graph downloaded for the variant. */
  onnxFile?: string;
  /** Hub only: the commit the snapshot holds. */
  commit?: string;
}

export interface ResolveModelOptions extends EnsureHubModelOptions {
  /** Variant when the spec names none (fp32, quantized, fp16, or onnx/<file>.onnx). */
  variant?: string;
  /**
   * Base for relative paths: the CLI passes its working directory, the extension its workspace folder. Without one,
   * a relative path is never looked up (the extension host's working directory means nothing to a user).
   */
  cwd?: string;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

export async function resolveModelSpec(spec: string | undefined, opts: ResolveModelOptions = {}): Promise<ResolvedModel> {
  const text = spec?.trim();
  if (!text) return { folder: bundledModelFolder(), label: BUNDLED_MODEL_NAME, source: 'bundled' };

  const expanded = expandHome(text);
  const ref = parseHubSpec(text);
  const local = path.isAbsolute(expanded) ? expanded : opts.cwd !== undefined ? path.resolve(opts.cwd, expanded) : undefined;
  // The engine reads a missing variant as fp32; it does not know the name 'fp32'.
  if (local && fs.existsSync(local)) {
    // Like Python's from_pretrained a folder wins over a Hub id of the same shape, but never silently.
    if (ref) opts.onNotice?.(`Using the local folder ${local} for "${text}", not the Hugging Face model ${ref.id}; rename or move the folder to use the Hub model.`);
    return { folder: local, label: ref ? `${path.basename(local)} (local folder ${local})` : path.basename(local), source: 'local', variant: opts.variant === 'fp32' ? undefined : opts.variant };
  }

  if (!ref && !local) {
    throw new AttentionLensError(
      'MODEL_FOLDER_MISSING',
      `"${text}" is a relative path, and there is no folder to resolve it against.`,
      'Give the model folder as an absolute path (or starting with ~/), or open the folder that contains it as a workspace.',
    );
  }
  if (!ref) {
    throw new AttentionLensError(
      'MODEL_FOLDER_MISSING',
      `"${text}" is neither an existing folder nor a Hugging Face model id.`,
      'Pass a folder in Hugging Face layout (config.json, tokenizer.json, onnx/model.onnx) or a Hub id such as Xenova/bert-base-uncased[@revision][:quantized].',
      local,
    );
  }
  const variant = ref.variant ?? opts.variant;
  try {
    const snap = await fetchHubModel({ ...ref, variant }, opts);
    return {
      folder: snap.folder,
      label: `${modelLabel(snap.id, snap.revision)} (${snap.variant})`,
      source: 'hub',
      variant: snap.onnxFile,
      onnxFile: path.join(snap.folder, ...snap.onnxFile.split('/')),
      commit: snap.commit,
    };
  } catch (e) {
    // "models/bert" may have been meant as a folder: say that it does not exist either.
    const unknownRepo = isAttentionLensError(e) && (e.code === 'HUB_OFFLINE_NOT_CACHED' || (e.code === 'HUB_NOT_FOUND' && e.message.startsWith('Model ')));
    if (unknownRepo && local) {
      throw new AttentionLensError(e.code, e.message, `${e.hint} (No local folder ${local} exists either.)`, e.file);
    }
    throw e;
  }
}
