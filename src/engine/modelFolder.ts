// Finds config.json, tokenizer.json and the ONNX graph in a Hugging Face style folder and reads the model's limits.
import * as fs from 'fs';
import * as path from 'path';
import { allowedRoots, assertInsideModel } from './containment';
import { AttentionLensError } from './errors';
import { CONFIG_MAX_BYTES, readFailure, readRegularText } from './regularFile';

export interface ModelFolder {
  folder: string;
  name: string;
  /** The graph to analyse: the model, or for an encoder–decoder its encoder. */
  onnxFile: string;
  /** An encoder–decoder's decoder (optimum layout: onnx/encoder_model.onnx beside onnx/decoder_model.onnx). */
  decoderFile?: string;
  configFile: string;
  config: Record<string, unknown>;
  tokenizerFile: string;
}

/** Named variants map to the file names transformers.js / optimum use. */
const VARIANT_SUFFIX: Record<string, string> = { quantized: '_quantized', fp16: '_fp16', int8: '_int8', uint8: '_uint8', q4: '_q4', q4f16: '_q4f16', bnb4: '_bnb4' };

/** ONNX files tried in order: encoder/full models first, then a decoder without past, then the merged decoder. */
function candidateFiles(variant?: string): string[] {
  if (variant && !isSafeRelativeName(variant)) {
    throw new AttentionLensError(
      'BAD_ARGUMENT',
      `"${variant}" is not a valid model variant: it must name a file inside the model folder (no "..", no leading "/", no backslashes).`,
      'Name a variant (quantized, fp16) or a file such as onnx/model_quantized.onnx.',
    );
  }
  if (variant && /\.onnx$/i.test(variant)) return [path.join('onnx', variant), variant];
  // An explicit encoder file pairs with its decoder (encoderDecoderPair).
  const suffix = variant ? VARIANT_SUFFIX[variant] ?? `_${variant}` : '';
  const stems = ['model', 'encoder_model', 'decoder_model', 'decoder_model_merged'];
  return stems.flatMap((s) => [path.join('onnx', `${s}${suffix}.onnx`), `${s}${suffix}.onnx`]);
}

/** A relative name with forward slashes only and no empty, `.` or `..` segment. */
function isSafeRelativeName(name: string): boolean {
  if (/[\\\0:]/.test(name) || name.startsWith('/')) return false;
  return name.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Checks the folder holds what the engine needs; throws an AttentionLensError naming what is missing. */
export async function validateModelFolder(folder: string, opts: { variant?: string } = {}): Promise<ModelFolder> {
  const abs = path.resolve(folder);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new AttentionLensError(
      'MODEL_FOLDER_MISSING',
      `Model folder ${abs} does not exist.`,
      'Pass a folder in Hugging Face layout (config.json, tokenizer.json, onnx/model.onnx).',
      abs,
    );
  }
  const roots = allowedRoots(abs);
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) assertInsideModel(roots, path.join(abs, file));
  const configFile = path.join(abs, 'config.json');
  if (!fs.existsSync(configFile)) {
    throw new AttentionLensError('CONFIG_MISSING', `${configFile} is missing.`, 'Copy the model\'s config.json into the folder.', configFile);
  }
  const config = readConfig(configFile);
  const tokenizerFile = path.join(abs, 'tokenizer.json');
  if (!fs.existsSync(tokenizerFile)) {
    throw new AttentionLensError(
      'TOKENIZER_MISSING',
      `${tokenizerFile} is missing.`,
      'Save the fast tokenizer next to the model (AutoTokenizer.from_pretrained(...).save_pretrained(folder) writes tokenizer.json).',
      tokenizerFile,
    );
  }
  for (const optional of ['tokenizer_config.json', 'special_tokens_map.json']) checkOptionalJson(path.join(abs, optional));
  const tried = candidateFiles(opts.variant);
  const found = tried.map((f) => path.join(abs, f)).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (!found) {
    throw new AttentionLensError(
      'ONNX_MISSING',
      `No ONNX graph${opts.variant ? ` for variant "${opts.variant}"` : ''} in ${abs} (looked for ${tried.join(', ')}).`,
      opts.variant ? 'Pick a variant the folder has, or leave the variant out.' : 'Export the model to ONNX (e.g. with optimum) into onnx/model.onnx.',
      abs,
    );
  }
  assertInsideModel(roots, found);
  const pair = encoderDecoderPair(abs, found, opts.variant);
  if (pair.decoderFile) assertInsideModel(roots, pair.decoderFile);
  return { folder: abs, name: path.basename(abs), onnxFile: found, ...pair, configFile, config, tokenizerFile };
}

/** An encoder graph found first means an encoder–decoder: pair it with the decoder without past (or the merged one). */
function encoderDecoderPair(folder: string, found: string, variant?: string): { onnxFile?: string; decoderFile?: string } {
  const base = path.basename(found);
  if (!base.startsWith('encoder_model')) return {};
  const suffix = base.slice('encoder_model'.length, -'.onnx'.length);
  const dir = path.dirname(found);
  const decoder = ['decoder_model', 'decoder_model_merged'].map((s) => path.join(dir, `${s}${suffix}.onnx`)).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (!decoder) {
    throw new AttentionLensError(
      'ONNX_MISSING',
      `${folder} has the encoder ${path.relative(folder, found)} but no decoder${variant ? ` for variant "${variant}"` : ''} beside it (looked for decoder_model${suffix}.onnx and decoder_model_merged${suffix}.onnx).`,
      `Download the matching decoder_model${suffix}.onnx into ${dir}.`,
      folder,
    );
  }
  return { decoderFile: decoder };
}

/** The tokenizer's side files are optional, but a damaged one means a damaged download: say so. */
function checkOptionalJson(file: string): void {
  if (!fs.existsSync(file)) return;
  let text: string;
  try {
    text = readRegularText(file, CONFIG_MAX_BYTES);
  } catch (e) {
    throw new AttentionLensError('TOKENIZER_INVALID', `${file} ${readFailure(e)}.`, `Restore the original ${path.basename(file)} or delete it.`, file);
  }
  try {
    JSON.parse(text);
  } catch (e) {
    throw new AttentionLensError('TOKENIZER_INVALID', `${file} is not valid JSON (${(e as Error).message.split('\n')[0]}).`, `Restore the original ${path.basename(file)} or delete it.`, file);
  }
}

function readConfig(configFile: string): Record<string, unknown> {
  let text: string;
  try {
    text = readRegularText(configFile, CONFIG_MAX_BYTES);
  } catch (e) {
    throw new AttentionLensError('CONFIG_INVALID', `${configFile} ${readFailure(e)}.`, 'Restore the model\'s original config.json.', configFile);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new AttentionLensError('CONFIG_INVALID', `${configFile} is not valid JSON (${(e as Error).message.split('\n')[0]}).`, 'Restore the model\'s original config.json.', configFile);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AttentionLensError('CONFIG_INVALID', `${configFile} does not hold a JSON object.`, 'Restore the model\'s original config.json.', configFile);
  }
  return parsed as Record<string, unknown>;
}

function num(config: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = config[k];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  }
  return undefined;
}

/** Models whose position ids start after padding_idx, so two positions are unusable. */
const PADDED_POSITIONS = new Set(['roberta', 'xlm-roberta', 'camembert', 'longformer', 'data2vec-text', 'xmod', 'roberta-prelayernorm', 'ibert', 'mpnet']);

const POSITION_KEYS = ['max_position_embeddings', 'n_positions', 'max_seq_length', 'max_sequence_length', 'n_ctx', 'seq_length'];

/** Largest number of tokens (specials included) the model accepts, from config.json; refuses limits that leave none. */
export function maxTokensFromConfig(config: Record<string, unknown>, fallback = 512, configFile = 'config.json'): number {
  const key = POSITION_KEYS.find((k) => config[k] !== undefined && config[k] !== null);
  if (key === undefined) return fallback;
  const positions = config[key];
  const padded = PADDED_POSITIONS.has(String(config.model_type));
  const padding = typeof config.pad_token_id === 'number' ? config.pad_token_id : 1;
  const limit = typeof positions === 'number' ? (padded ? positions - padding - 1 : positions) : NaN;
  if (!Number.isInteger(limit) || limit < 1) {
    const how = padded ? ` minus pad_token_id ${padding} minus 1 (${config.model_type} numbers positions after the padding index)` : '';
    throw new AttentionLensError(
      'CONFIG_INVALID',
      `${configFile} gives ${key} = ${JSON.stringify(positions)}${how}, which leaves ${Number.isFinite(limit) ? limit : 'no whole number of'} token positions: the model cannot take any text.`,
      `Restore the model's original config.json (${key} must exceed ${padded ? padding + 1 : 0}).`,
      configFile,
    );
  }
  return limit;
}

export function vocabSizeFromConfig(config: Record<string, unknown>): number | undefined {
  return num(config, 'vocab_size', 'n_vocab');
}

export function headsFromConfig(config: Record<string, unknown>): number | undefined {
  return num(config, 'num_attention_heads', 'n_head', 'num_heads', 'n_heads', 'encoder_attention_heads');
}

/** Decoder-only (causal) model, judged from config.json; the engine confirms it on the probe run. */
export function causalFromConfig(config: Record<string, unknown>): boolean {
  const archs = Array.isArray(config.architectures) ? config.architectures.map(String) : [];
  if (archs.some((a) => /CausalLM$|LMHeadModel$/.test(a))) return true;
  if (config.is_decoder === true) return true;
  return ['gpt2', 'gpt_neo', 'gptj', 'gpt_neox', 'llama', 'mistral', 'qwen2', 'phi', 'opt', 'bloom', 'falcon', 'codegen'].includes(String(config.model_type));
}
