// text → AttentionResult: open a model folder once, then analyze texts off the main thread, cancellable, cached.
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { allowedRoots, assertInsideModel } from './containment';
import { isRegularFile } from './regularFile';
import { AttentionLensError, isAttentionLensError } from './errors';
import { causalFromConfig, headsFromConfig, maxTokensFromConfig, ModelFolder, validateModelFolder, vocabSizeFromConfig } from './modelFolder';
import { AttentionPlan, inspectAttention } from './onnxAttention';
import { ensurePatchedModel } from './patchCache';
import { TextTokenizer, TokenizedText } from './tokenize';
import type { AttentionResult, ModelInfo } from './types';
import { cancelledError, InferenceWorker, WorkerFailure } from './workerClient';
import type { FeedTensor, OutputTensor } from './workerProtocol';

export interface OpenOptions {
  /** 'quantized', 'fp16', another suffix, or an explicit .onnx file name. */
  variant?: string;
  /** Where patched copies go (default ~/.cache/attention-lens). */
  cacheDir?: string;
  /** Cap below the model's own limit. */
  maxTokens?: number;
  /** Display name (default: the folder name). */
  name?: string;
}

export interface AnalyzeOptions {
  signal?: AbortSignal;
  maxTokens?: number;
  /** Bound on the attention one analysis returns (layers·heads·N²·4 bytes); default ATTENTION_MEMORY_BUDGET. */
  maxAttentionBytes?: number;
}

/**
 * Attention is layers·heads·N² floats, returned whole and held by the caller: 144 MiB for bert-base at 512 tokens,
 * 38 GB at 8192. Past this bound the token limit is lowered, so no setting can exhaust the extension host's memory.
 */
export const ATTENTION_MEMORY_BUDGET = 1024 * 1024 * 1024;

/** The most tokens whose attention (layers·heads·N²·4 bytes) fits in `bytes`. */
export function tokenLimitForMemory(layers: number, heads: number, bytes = ATTENTION_MEMORY_BUDGET): number {
  return Math.max(2, Math.floor(Math.sqrt(bytes / (Math.max(1, layers) * Math.max(1, heads) * 4))));
}

function gigabytes(bytes: number): string {
  if (bytes < 1024 ** 3) return `${Math.ceil(bytes / 1024 ** 2)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(bytes < 10 * 1024 ** 3 ? 1 : 0)} GB`;
}

const RESULT_CACHE_SIZE = 4;
/** bert-base at 512 tokens is 144 MiB of attention per result: keep recent results by bytes, not only by count. */
const RESULT_CACHE_BYTES = 256 * 1024 * 1024;
const PROBE_TEXT = 'Attention Lens looks at attention.';

export class AttentionEngine {
  private readonly results = new Map<string, AttentionResult>();

  private constructor(
    readonly info: ModelInfo,
    private readonly tokenizer: TextTokenizer,
    private readonly worker: InferenceWorker,
    private readonly plan: AttentionPlan,
    /** The Softmax outputs that proved to be [1, heads, N, N] attention on the probe run, in layer order. */
    private readonly attentionOutputs: string[],
  ) {}

  static async open(folder: string, opts: OpenOptions = {}): Promise<AttentionEngine> {
    const limitCap = checkMaxTokens(opts.maxTokens);
    const model = await validateModelFolder(folder, { variant: opts.variant });
    const tokenizer = TextTokenizer.load(model.tokenizerFile);
    const plan = await inspectAttention(model.onnxFile);
    const roots = allowedRoots(model.folder);
    for (const data of plan.externalData) {
      assertInsideModel(roots, data.file);
      // onnxruntime would block on a FIFO or read a device without end.
      if (!isRegularFile(data.file)) throw new AttentionLensError('EXTERNAL_DATA_MISSING', `${data.file} is not a regular file.`, 'Replace it with the model\'s .onnx_data file.', data.file);
    }
    const vocabSize = checkVocabulary(model, tokenizer, plan);
    const patched = await ensurePatchedModel(plan, opts.cacheDir);
    // Prepacking holds a weight twice while packing it: fine for bert-base (peak 1.1× the file), not when one
    // weight is most of the model, where peak memory would pass 2× the file.
    const prepack = plan.weightBytes.largest <= plan.weightBytes.total / 2;
    const worker = new InferenceWorker(patched.file, patched.externalDataFolder, prepack);
    try {
      await worker.load().catch((e) => Promise.reject(loadError(e, model))).finally(() => {
        // A temporary copy (the cache was read-only or full) is no longer needed once the session holds the graph.
        if (patched.fallback) fs.rmSync(patched.fallback.folder, { recursive: true, force: true });
      });
      const maxTokens = Math.min(maxTokensFromConfig(model.config), limitCap);
      const probe = await tokenizer.tokenize(PROBE_TEXT, maxTokensFromConfig(model.config));
      const outputs = await runOutputs(worker, plan, probe, plan.softmaxOutputs.map((o) => o.name), model);
      const n = probe.ids.length;
      const attention = outputs.filter((o) => o.dims.length === 4 && o.dims[0] === 1 && o.dims[2] === n && o.dims[3] === n);
      const heads = mostCommon(attention.map((o) => o.dims[1]));
      const layers = attention.filter((o) => o.dims[1] === heads);
      if (layers.length === 0) {
        throw new AttentionLensError(
          'NO_ATTENTION',
          `None of the ${plan.softmaxOutputs.length} Softmax outputs of ${model.onnxFile} has the attention shape [1, heads, ${n}, ${n}].`,
          'Use a transformer export whose graph keeps the attention Softmax (optimum\'s default export).',
          model.onnxFile,
        );
      }
      const info: ModelInfo = {
        name: opts.name ?? model.name,
        folder: model.folder,
        onnxFile: model.onnxFile,
        modelType: typeof model.config.model_type === 'string' ? model.config.model_type : 'unknown',
        layers: layers.length,
        heads: heads ?? headsFromConfig(model.config) ?? 0,
        causal: n >= 2 ? layers.every((o) => isLowerTriangular(o.data, o.dims[1], n)) : causalFromConfig(model.config),
        maxTokens,
        vocabSize,
      };
      return new AttentionEngine(info, tokenizer, worker, plan, layers.map((o) => o.name));
    } catch (e) {
      await worker.dispose();
      throw e;
    }
  }

  /** Tokenizes `text`, runs the model in the worker and returns every layer's attention. */
  async analyze(text: string, opts: AnalyzeOptions = {}): Promise<AttentionResult> {
    const t0 = performance.now();
    if (opts.signal?.aborted) throw cancelledError();
    const requested = Math.min(this.info.maxTokens, checkMaxTokens(opts.maxTokens));
    const budget = opts.maxAttentionBytes ?? ATTENTION_MEMORY_BUDGET;
    const memoryLimit = tokenLimitForMemory(this.info.layers, this.info.heads, budget);
    const limit = Math.min(requested, memoryLimit);
    const key = `${limit}\u0000${text}`;
    const cached = this.results.get(key);
    if (cached) {
      this.results.delete(key);
      this.results.set(key, cached);
      return cached;
    }
    const tokenized = await this.tokenizer.tokenize(text, limit);
    if (opts.signal?.aborted) throw cancelledError();
    const content = tokenized.tokens.filter((t) => !t.special);
    if (text.length > 0 && content.length === 0) {
      // Whitespace alone gives only [CLS]/[SEP]: a 2×2 matrix of specials would look like a result and mean nothing.
      throw new AttentionLensError(
        'NOTHING_TO_ANALYSE',
        text.trim() === '' ? 'The selected text is only whitespace: there are no words to analyse.' : `${this.info.name} finds no tokens in the selected text.`,
        'Select some words or code and run Show Attention again.',
      );
    }
    const t1 = performance.now();
    const n = tokenized.ids.length;
    let attention: Float32Array[] = this.attentionOutputs.map(() => new Float32Array(0));
    if (n > 0) {
      const outputs = await runOutputs(this.worker, this.plan, tokenized, this.attentionOutputs, undefined, opts.signal);
      attention = outputs.map((o) => {
        if (o.dims.length !== 4 || o.dims[0] !== 1 || o.dims[1] !== this.info.heads || o.dims[2] !== n || o.dims[3] !== n) {
          throw new AttentionLensError('INFERENCE_FAILED', `${this.info.onnxFile} returned ${o.name} with shape [${o.dims.join(', ')}], not [1, ${this.info.heads}, ${n}, ${n}].`, 'Report this model; its attention outputs change shape between runs.', this.info.onnxFile);
        }
        return o.data;
      });
    }
    const t2 = performance.now();
    const result: AttentionResult = {
      model: this.info,
      text,
      tokens: tokenized.tokens,
      attention,
      truncated: tokenized.truncated,
      ...unknownTokensNote(content, this.tokenizer.unknownId, this.info.name),
      ...(tokenized.truncated && limit < requested
        ? {
            memoryLimitNote:
              `Cut to ${limit} tokens to bound memory: the attention of ${this.info.layers} layers × ${this.info.heads} heads at ${requested} tokens ` +
              `would need ${gigabytes(this.info.layers * this.info.heads * requested * requested * 4)}, more than the ${gigabytes(budget)} allowed.`,
          }
        : {}),
      coveredRange: tokenized.coveredRange,
      timings: { tokenizeMs: t1 - t0, runMs: t2 - t1, totalMs: t2 - t0 },
    };
    this.remember(key, result);
    return result;
  }

  /** Keeps the newest results within RESULT_CACHE_SIZE entries and RESULT_CACHE_BYTES of attention. */
  private remember(key: string, result: AttentionResult): void {
    const bytes = (r: AttentionResult) => r.attention.reduce((sum, a) => sum + a.byteLength, 0);
    if (bytes(result) > RESULT_CACHE_BYTES) return;
    this.results.set(key, result);
    let total = 0;
    for (const r of this.results.values()) total += bytes(r);
    while (this.results.size > RESULT_CACHE_SIZE || total > RESULT_CACHE_BYTES) {
      const oldest = this.results.keys().next().value as string;
      total -= bytes(this.results.get(oldest)!);
      this.results.delete(oldest);
    }
  }

  async dispose(): Promise<void> {
    this.results.clear();
    await this.worker.dispose();
  }
}

/** A model fitting any text: byte-level BPE has a token for every byte, so nothing is [UNK]. */
export const ANY_TEXT_MODEL = 'Xenova/roberta-base';

/** When at least half of the content tokens are the unknown token, say so and name a model that reads them. */
function unknownTokensNote(content: { id: number; text: string }[], unknownId: number | undefined, modelName: string): { unknownTokensNote?: string } {
  if (unknownId === undefined || content.length === 0) return {};
  const unknown = content.filter((t) => t.id === unknownId).length;
  if (unknown * 2 < content.length) return {};
  return {
    unknownTokensNote:
      `${unknown} of ${content.length} tokens are ${content.find((t) => t.id === unknownId)?.text ?? 'unknown'}: ${modelName}'s vocabulary has no pieces for most of this text ` +
      `(emoji, CJK or other scripts), so its attention says little. ${ANY_TEXT_MODEL} (byte-level, every character has tokens) reads it.`,
  };
}

function checkMaxTokens(maxTokens: number | undefined): number {
  if (maxTokens === undefined) return Infinity;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new AttentionLensError('BAD_ARGUMENT', `maxTokens must be a positive integer, got ${maxTokens}.`, 'Pass a whole number such as 128.');
  }
  return maxTokens;
}

/** Token ids beyond the embedding table would crash inside onnxruntime; refuse them up front. */
function checkVocabulary(model: ModelFolder, tokenizer: TextTokenizer, plan: AttentionPlan): number {
  const configVocab = vocabSizeFromConfig(model.config);
  const sizes = [configVocab, plan.embeddingRows].filter((v): v is number => v !== undefined);
  const rows = sizes.length ? Math.min(...sizes) : tokenizer.idLimit;
  if (tokenizer.idLimit > rows) {
    const where = plan.embeddingRows !== undefined && plan.embeddingRows === rows ? `the embedding table of ${model.onnxFile}` : `vocab_size in ${model.configFile}`;
    throw new AttentionLensError(
      'TOKENIZER_VOCAB_TOO_LARGE',
      `${model.tokenizerFile} produces token ids up to ${tokenizer.idLimit - 1}, but ${where} has only ${rows} entries.`,
      'The tokenizer does not belong to this model: copy the tokenizer.json that was exported with it.',
      model.tokenizerFile,
    );
  }
  return configVocab ?? plan.embeddingRows ?? tokenizer.idLimit;
}

function feedsFor(plan: AttentionPlan, ids: number[]): FeedTensor[] {
  const n = ids.length;
  const valuesFor = (name: string): number[] => {
    if (name === 'input_ids') return ids;
    if (name === 'attention_mask') return ids.map(() => 1);
    if (name === 'position_ids') return ids.map((_, i) => i);
    return ids.map(() => 0);
  };
  return plan.inputs.map((input) => {
    const values = valuesFor(input.name);
    const data = input.type === 'int64' ? BigInt64Array.from(values, (v) => BigInt(v)) : Int32Array.from(values);
    return { name: input.name, type: input.type, data, dims: [1, n] };
  });
}

async function runOutputs(
  worker: InferenceWorker,
  plan: AttentionPlan,
  tokenized: TokenizedText,
  fetches: string[],
  model?: ModelFolder,
  signal?: AbortSignal,
): Promise<OutputTensor[]> {
  try {
    return await worker.run(feedsFor(plan, tokenized.ids), fetches, signal);
  } catch (e) {
    if (isAttentionLensError(e)) throw e;
    if (model && e instanceof WorkerFailure && e.phase === 'load') throw loadError(e, model);
    throw new AttentionLensError(
      'INFERENCE_FAILED',
      `onnxruntime failed to run ${plan.onnxFile}: ${(e as Error).message}.`,
      'Check that the model folder holds a complete, matching export.',
      plan.onnxFile,
    );
  }
}

/** onnxruntime's load errors, in terms of the user's files. */
function loadError(e: unknown, model: ModelFolder): AttentionLensError {
  if (isAttentionLensError(e)) return e;
  const message = (e as Error).message;
  if (/external|\.onnx_data|data file/i.test(message) && /exist|open|find|no such/i.test(message)) {
    return new AttentionLensError('EXTERNAL_DATA_MISSING', `onnxruntime could not read the external weights of ${model.onnxFile}: ${message}.`, 'Download the model\'s .onnx_data file(s) next to the graph.', model.onnxFile);
  }
  return new AttentionLensError('ONNX_INVALID', `onnxruntime could not load ${model.onnxFile}: ${message}.`, 'Re-export or re-download the model; it may be damaged or use operators this onnxruntime lacks.', model.onnxFile);
}

function mostCommon(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | undefined;
  for (const [v, c] of counts) if (best === undefined || c > (counts.get(best) ?? 0)) best = v;
  return best;
}

/** Every head has exactly zero weight above the diagonal: a causal (decoder-only) model. */
function isLowerTriangular(data: Float32Array, heads: number, n: number): boolean {
  for (let h = 0; h < heads; h++) {
    for (let q = 0; q < n; q++) {
      for (let k = q + 1; k < n; k++) if (data[h * n * n + q * n + k] !== 0) return false;
    }
  }
  return true;
}
