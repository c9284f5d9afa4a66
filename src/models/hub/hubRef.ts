// Hub ids, revisions and ONNX variants: which file in a repo a request means.
import { AttentionLensError } from '../../engine/errors';

export interface HubModelRef {
  /** `org/name`, e.g. `Xenova/bert-base-uncased`. */
  id: string;
  /** Branch, tag or commit hash; default `main`. */
  revision?: string;
  /** `fp32` (default), `quantized`, `fp16`, `int8`, `uint8`, `q4`, `q4f16`, `bnb4`, or a path such as `onnx/decoder_model.onnx`. */
  variant?: string;
}

export const DEFAULT_REVISION = 'main';
export const DEFAULT_VARIANT = 'fp32';
/** The dtype suffixes transformers.js exports use: onnx/model_<suffix>.onnx. */
export const KNOWN_VARIANTS = ['fp32', 'quantized', 'fp16', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;

const REPO_PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;

/** True for `org/name` in the Hub's spelling (no `..`, `--`, leading or trailing punctuation). */
export function isHubId(id: string): boolean {
  const parts = id.split('/');
  return parts.length === 2 && parts.every((p) => REPO_PART.test(p) && !p.includes('..') && !p.includes('--'));
}

/** Parses `org/name[@revision][:variant]`; undefined when the text is not shaped like a Hub id. */
export function parseHubSpec(spec: string): HubModelRef | undefined {
  const m = /^([^@:\s]+)(?:@([^:\s]+))?(?::([^\s]+))?$/.exec(spec.trim());
  if (!m || !isHubId(m[1])) return undefined;
  return { id: m[1], revision: m[2], variant: m[3] };
}

export function assertHubRef(ref: HubModelRef): void {
  if (!isHubId(ref.id)) {
    throw new AttentionLensError('BAD_ARGUMENT', `"${ref.id}" is not a Hugging Face model id.`, 'Use the form org/name, e.g. Xenova/bert-base-uncased.');
  }
  if (ref.variant && isExplicitOnnxPath(ref.variant)) assertSafeRepoPath(ref.variant, 'model variant');
  const rev = ref.revision ?? DEFAULT_REVISION;
  if (!rev || rev.includes('..') || rev.startsWith('/') || /[\s\\:~^?*[]/.test(rev)) {
    throw new AttentionLensError('BAD_ARGUMENT', `"${rev}" is not a valid revision of ${ref.id}.`, 'Use a branch, a tag or a commit hash, e.g. main.');
  }
}

export function isCommitHash(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}

/**
 * A file name inside a repository or model folder: relative, forward slashes, no `.`/`..`/empty segments, no
 * backslash, drive letter or NUL. Anything else could name a file outside the cache or the folder.
 */
export function isSafeRepoPath(file: string): boolean {
  if (!file || file.length > 1000 || /[\\\0:]/.test(file) || file.startsWith('/')) return false;
  return file.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export function assertSafeRepoPath(file: string, what = 'file name'): void {
  if (!isSafeRepoPath(file)) {
    throw new AttentionLensError(
      'BAD_ARGUMENT',
      `"${file}" is not a valid ${what}: it must be a relative path inside the model (no "..", no leading "/", no backslashes).`,
      'Name a variant (fp32, quantized, fp16) or a file such as onnx/model_quantized.onnx.',
    );
  }
}

/** A variant given as a path names the file itself. */
export function isExplicitOnnxPath(variant: string): boolean {
  return variant.endsWith('.onnx');
}

function variantSuffix(variant: string): string {
  if (variant === 'fp32') return '';
  if ((KNOWN_VARIANTS as readonly string[]).includes(variant)) return `_${variant}`;
  throw new AttentionLensError(
    'BAD_ARGUMENT',
    `Unknown model variant "${variant}".`,
    `Use one of ${KNOWN_VARIANTS.join(', ')}, or a file path such as onnx/model.onnx.`,
  );
}

/**
 * ONNX files to try for a variant, most likely first: encoders use onnx/model*.onnx, decoders onnx/decoder_model*.onnx,
 * encoder–decoders onnx/encoder_model*.onnx (with its decoder as a companion, see companionOnnxFiles).
 */
export function onnxCandidates(variant: string, decoderFirst: boolean, encoderDecoder = false): string[] {
  if (isExplicitOnnxPath(variant)) {
    assertSafeRepoPath(variant, 'model variant');
    return [variant];
  }
  const s = variantSuffix(variant);
  if (encoderDecoder) return [`onnx/encoder_model${s}.onnx`, `onnx/model${s}.onnx`];
  const encoder = `onnx/model${s}.onnx`;
  const decoder = `onnx/decoder_model${s}.onnx`;
  return decoderFirst ? [decoder, encoder] : [encoder, decoder];
}

/** The variant name a file stands for (`onnx/model_fp16.onnx` → fp16), or undefined for other files. */
export function variantOfFile(file: string): string | undefined {
  const m = /^onnx\/(?:model|decoder_model|encoder_model)(?:_([a-z0-9]+))?\.onnx$/.exec(file);
  if (!m) return undefined;
  const name = m[1] ?? 'fp32';
  return (KNOWN_VARIANTS as readonly string[]).includes(name) ? name : undefined;
}

/** Graphs that must come with `onnxFile`: an encoder's decoder (optimum's encoder–decoder layout). */
export function companionOnnxFiles(onnxFile: string): string[] {
  const m = /^(.*\/)?encoder_model(_[a-z0-9]+)?\.onnx$/.exec(onnxFile);
  return m ? [`${m[1] ?? ''}decoder_model${m[2] ?? ''}.onnx`] : [];
}

/** Encoder–decoder models (BART, Marian, T5, …): exported as encoder_model + decoder_model. */
export function looksLikeEncoderDecoder(config: unknown): boolean {
  return !!config && typeof config === 'object' && (config as { is_encoder_decoder?: unknown }).is_encoder_decoder === true;
}

/** Decoder-only models (GPT-2 and kin) are exported as onnx/decoder_model*.onnx. */
export function looksLikeDecoder(config: unknown): boolean {
  if (!config || typeof config !== 'object') return false;
  const c = config as { architectures?: unknown; model_type?: unknown; is_decoder?: unknown; is_encoder_decoder?: unknown };
  if (c.is_encoder_decoder === true) return false;
  const archs = Array.isArray(c.architectures) ? c.architectures.filter((a): a is string => typeof a === 'string') : [];
  if (archs.some((a) => /(CausalLM|LMHeadModel)$/.test(a) && !/ForMaskedLM$/.test(a))) return true;
  const decoderTypes = ['gpt2', 'gpt_neo', 'gpt_neox', 'gptj', 'llama', 'mistral', 'qwen2', 'phi', 'phi3', 'opt', 'bloom', 'falcon', 'codegen', 'gpt_bigcode'];
  return typeof c.model_type === 'string' && decoderTypes.includes(c.model_type);
}

/** External weights next to an ONNX file, as optimum and transformers.js name them. */
export function externalDataFile(onnxFile: string): string {
  return `${onnxFile}_data`;
}
