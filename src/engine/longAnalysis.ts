// Analyses up to a model's whole context without holding N² per head: the patched graph returns each layer's query
// and key tensors (O(heads·N·d)) and a max-pooled overview computed inside onnxruntime; exact rows are replayed on
// demand (replayRows.ts). The replay is checked against the Softmax outputs on a probe text when the model is
// opened; where it cannot be built or does not match, the engine says why and keeps every Softmax output instead.
import { performance } from 'perf_hooks';
import { AttentionEngine, AnalyzeOptions, checkMaxTokens, checkVocabulary, OpenOptions } from './analyze';
import { isLowerTriangular } from './attentionLayouts';
import { AttentionLensError } from './errors';
import { GraphSession } from './graphSession';
import { noCacheBranch, withNoCacheBranch } from './mergedDecoder';
import { causalFromConfig, maxTokensFromConfig, ModelFolder, validateModelFolder } from './modelFolder';
import { AttentionPlan, inspectAttention, SoftmaxOutput } from './onnxAttention';
import { ONNX_FLOAT16, OnnxGraphSummary, readOnnxGraph } from './onnxGraph';
import { analyzeInWindows, WindowRun, windowRunFromAttention } from './windowedAnalysis';
import { allRows, bytesOf, checkRowIndex, fromFullResult, LongAttention, tileFromRows } from './longAttention';
import { overviewGeometry, overviewGraph, overviewOutputName } from './pooledOverview';
import { replayTensors, ScoreChain, traceScoreChains } from './queryKeyReplay';
import { KeyTensor, LayerReplay, MaskChoice, maskChoices, replayError, Tensor } from './replayRows';
import { TextTokenizer } from './tokenize';
import type { ModelInfo } from './types';
import { cancelledError } from './workerClient';
import type { OutputTensor } from './workerProtocol';

/** Long enough that a causal mask, a scale and every head show on the check; well under 256 tokens (exact overview). */
const PROBE_TEXT = 'Attention Lens looks at attention: every token, every layer, every head, row by row, exactly.';
const TOLERANCE_FLOAT32 = 1e-5;
const TOLERANCE_FLOAT16 = 2e-3;

export interface LongAnalyzeOptions extends Pick<AnalyzeOptions, 'signal' | 'maxTokens'> {
  /** Analyse a text longer than the limit in overlapping windows (encoders) instead of cutting it. */
  windows?: boolean;
}

/** How each layer's keys are read: the repeated MatMul input, or grouped keys with a head mapping. */
type KeyChoice = { layout: 'transposed' } | { layout: 'grouped'; mapping: 'blocked' | 'interleaved' };

interface ReplayModel {
  chains: ScoreChain[];
  masks: MaskChoice[][];
  keys: KeyChoice[];
  fetches: string[];
}

interface ReplaySetup {
  folder: string;
  opts: OpenOptions;
  model: ModelFolder;
  tokenizer: TextTokenizer;
  plan: AttentionPlan;
  vocabSize: number;
  graph: OnnxGraphSummary;
  chains: ScoreChain[];
  limitCap: number;
}

/** Opens models for long texts; `method` says whether rows are replayed or every Softmax output is kept. */
export class LongAttentionEngine {
  private constructor(
    readonly info: ModelInfo,
    readonly method: 'replay' | 'full',
    readonly fallbackReason: string | undefined,
    private readonly tokenizer: TextTokenizer | undefined,
    private readonly session: GraphSession | undefined,
    private readonly replay: ReplayModel | undefined,
    private readonly full: AttentionEngine | undefined,
  ) {}

  static async open(folder: string, opts: OpenOptions = {}): Promise<LongAttentionEngine> {
    const limitCap = checkMaxTokens(opts.maxTokens);
    const model = await validateModelFolder(folder, { variant: opts.variant });
    const tokenizer = TextTokenizer.load(model.tokenizerFile);
    const plan = await inspectAttention(model.onnxFile);
    const vocabSize = checkVocabulary(model, tokenizer, plan);
    const joint = plan.inputs.some((i) => i.role === 'decoder_input_ids') && plan.inputs.some((i) => i.role === 'input_ids');
    if (joint) return LongAttentionEngine.openFull(folder, opts, 'an encoder–decoder exported as one graph runs its decoder in the same pass');
    const read = readOnnxGraph(model.onnxFile);
    // A merged decoder's attention lives in its no-cache branch, which the patched copy inlines: trace it there.
    const branch = plan.inlineNoCacheBranch === undefined ? undefined : noCacheBranch(read);
    const graph = branch ? withNoCacheBranch(read, branch) : read;
    const traced = traceScoreChains(graph, plan.softmaxOutputs.map((o) => o.name));
    const reason = traced.reason ?? slidingWindowReason(model);
    if (reason !== undefined || !traced.chains) return LongAttentionEngine.openFull(folder, opts, reason ?? 'no replay chain');

    const setup: ReplaySetup = { folder, opts, model, tokenizer, plan, vocabSize, graph, chains: traced.chains, limitCap };
    // Grouped-query keys before repeat_kv first (heads/kv times smaller); the repeated keys if the probe disagrees.
    const grouped = traced.chains.every((c) => c.groupedKeys !== undefined);
    const first = await LongAttentionEngine.openReplay(setup, grouped);
    if (typeof first !== 'string') return first;
    const second = grouped ? await LongAttentionEngine.openReplay(setup, false) : first;
    return typeof second === 'string' ? LongAttentionEngine.openFull(folder, opts, second) : second;
  }

  /** The replay engine, or why it cannot be used (the caller falls back). */
  private static async openReplay(setup: ReplaySetup, grouped: boolean): Promise<LongAttentionEngine | string> {
    const { opts, model, tokenizer, plan, graph, chains } = setup;
    const fetches = [...new Set([...chains.flatMap((c) => replayTensors(c, grouped)), ...chains.map((_, l) => overviewOutputName(l))])];
    const outputs: SoftmaxOutput[] = fetches.map((name, i) => ({
      name,
      node: `attention-lens-output-${i}`,
      axis: -1,
      elemType: graph.valueInfo.get(name)?.elemType ?? (name.startsWith('attention_lens') ? plan.softmaxOutputs[0].elemType : undefined),
      isGraphOutput: false,
    }));
    const layers = chains.map((c) => ({ softmax: c.softmax, matmul: c.matmul, query: c.query, queryElemType: graph.valueInfo.get(c.query)?.elemType }));
    const additions = overviewGraph(layers, graph.opsets.get('') ?? 13);
    const probe = await tokenizer.tokenize(PROBE_TEXT, maxTokensFromConfig(model.config));
    let session: GraphSession | undefined;
    let tensors: Map<string, Tensor>;
    try {
      session = await GraphSession.open(model.onnxFile, model, { cacheDir: opts.cacheDir, plan, expose: { outputs, additions } });
      tensors = byName(await session.run({ ids: probe.ids }, fetches));
    } catch (e) {
      // The added nodes are the likely cause; if the model itself is broken, the full path reports that.
      await session?.dispose();
      return `onnxruntime could not run the replay graph (${(e as Error).message})`;
    }
    try {
      const tolerance = outputs.some((o) => o.elemType === ONNX_FLOAT16) ? TOLERANCE_FLOAT16 : TOLERANCE_FLOAT32;
      const checked = checkReplay(chains, tensors, probe.ids.length, tolerance, grouped);
      if (typeof checked === 'string') {
        await session.dispose();
        return checked;
      }
      const info: ModelInfo = {
        name: opts.name ?? model.name,
        folder: model.folder,
        onnxFile: model.onnxFile,
        modelType: typeof model.config.model_type === 'string' ? model.config.model_type : 'unknown',
        layers: chains.length,
        heads: checked.heads,
        causal: probe.ids.length >= 2 ? checked.causal : causalFromConfig(model.config),
        maxTokens: Math.min(maxTokensFromConfig(model.config), setup.limitCap),
        vocabSize: setup.vocabSize,
      };
      const replay = { chains, masks: checked.masks, keys: checked.keys, fetches };
      return new LongAttentionEngine(info, 'replay', undefined, tokenizer, session, replay, undefined);
    } catch (e) {
      await session.dispose();
      throw e;
    }
  }

  private static async openFull(folder: string, opts: OpenOptions, reason: string): Promise<LongAttentionEngine> {
    const full = await AttentionEngine.open(folder, opts);
    // Its own tokenizer too, for windows: each window is run as ids through the full engine.
    const tokenizer = TextTokenizer.load((await validateModelFolder(folder, { variant: opts.variant })).tokenizerFile);
    return new LongAttentionEngine(full.info, 'full', reason, tokenizer, undefined, undefined, full);
  }

  /** How the replay reads keys: per layer 'grouped/blocked', 'grouped/interleaved' or 'repeated'; [] on the full path. */
  get keyLayouts(): string[] {
    return (this.replay?.keys ?? []).map((k) => (k.layout === 'grouped' ? `grouped/${k.mapping}` : 'repeated'));
  }

  /** How many tokens analyze() would use for `text` (with `windows`, every token of the text). */
  async tokenCount(text: string, opts: LongAnalyzeOptions = {}): Promise<number> {
    if (this.full && !opts.windows) return this.full.tokenCount(text, opts);
    const limit = opts.windows ? Infinity : Math.min(this.info.maxTokens, checkMaxTokens(opts.maxTokens));
    return (await (this.tokenizer as TextTokenizer).tokenize(text, limit)).ids.length;
  }

  /**
   * Tokenizes `text` and runs the model once; returns the overview and exact rows on demand. With `windows`, a text
   * longer than the limit is analysed in overlapping windows instead of being cut (see encoderWindows.ts).
   */
  async analyze(text: string, opts: LongAnalyzeOptions = {}): Promise<LongAttention> {
    const t0 = performance.now();
    if (opts.signal?.aborted) throw cancelledError();
    const limit = Math.min(this.info.maxTokens, checkMaxTokens(opts.maxTokens));
    const tokenizer = this.tokenizer as TextTokenizer;
    const whole = opts.windows ? await tokenizer.tokenize(text, Infinity) : undefined;
    if (whole && whole.ids.length > limit) {
      const full = this.full;
      const run = full ? async (ids: number[]) => windowRunFromAttention(await full.attentionForIds(ids, opts.signal), this.info.heads, ids.length) : (ids: number[]) => this.runIds(ids, opts.signal);
      return analyzeInWindows(this.info, whole, limit, run, { text, t0, method: this.method, fallbackReason: this.fallbackReason });
    }
    if (this.full) return fromFullResult(await this.full.analyze(text, opts), this.fallbackReason ?? '');
    const tokenized = await tokenizer.tokenize(text, limit);
    const t1 = performance.now();
    const run = await this.runIds(tokenized.ids, opts.signal);
    const t2 = performance.now();
    const result: LongAttention = {
      model: this.info,
      text,
      tokens: tokenized.tokens,
      truncated: tokenized.truncated,
      coveredRange: tokenized.coveredRange,
      timings: { tokenizeMs: t1 - t0, runMs: t2 - t1, totalMs: t2 - t0 },
      method: 'replay',
      overview: run.overview,
      heldBytes: run.bytes,
      row: (layer, head, query) => {
        checkRowIndex(result, layer, head, query);
        return run.layers[layer].row(head, query);
      },
      queryRows: (query) => allRows(result, query),
      tile: (layer, head, queries, keys) => tileFromRows(result, layer, head, queries, keys),
    };
    return result;
  }

  /** One run over `ids`: each layer's replay and pooled overview. */
  private async runIds(ids: number[], signal?: AbortSignal): Promise<WindowRun> {
    const n = ids.length;
    const replay = this.replay as ReplayModel;
    const { tile, cells } = overviewGeometry(Math.max(n, 1));
    if (n === 0) return { layers: [], overview: { tile, cells, layers: replay.chains.map(() => new Float32Array(0)) }, bytes: 0 };
    const tensors = byName(await (this.session as GraphSession).run({ ids }, replay.fetches, signal));
    const layers = replay.chains.map((chain, l) => replayLayer(chain, tensors, replay.masks[l], replay.keys[l], n, this.info));
    const overview = replay.chains.map((_, l) => {
      const pooled = tensors.get(overviewOutputName(l)) as Tensor;
      if (pooled.dims.join() !== [1, this.info.heads, cells, cells].join()) throw shapeChanged(this.info, overviewOutputName(l), pooled.dims);
      return pooled.data;
    });
    return { layers, overview: { tile, cells, layers: overview }, bytes: bytesOf([...tensors.values()].map((t) => t.data)) };
  }

  async dispose(): Promise<void> {
    await this.session?.dispose();
    await this.full?.dispose();
  }
}

function byName(outputs: OutputTensor[]): Map<string, Tensor> {
  return new Map(outputs.map((o) => [o.name, { dims: o.dims, data: o.data }]));
}

function shapeChanged(info: ModelInfo, name: string, dims: number[]): AttentionLensError {
  return new AttentionLensError('INFERENCE_FAILED', `${info.onnxFile} returned ${name} with shape [${dims.join(', ')}], unlike on the check run.`, 'Report this model; its attention tensors change layout between runs.', info.onnxFile);
}

/** The key tensor of `chain` as `choice` reads it from this run's outputs. */
function keyTensor(chain: ScoreChain, tensors: Map<string, Tensor>, choice: KeyChoice): KeyTensor {
  if (choice.layout === 'transposed') return { layout: 'transposed', tensor: tensors.get(chain.keyT) as Tensor };
  return { layout: 'grouped', tensor: tensors.get(chain.groupedKeys as string) as Tensor, mapping: choice.mapping };
}

function replayLayer(chain: ScoreChain, tensors: Map<string, Tensor>, masks: MaskChoice[], keys: KeyChoice, n: number, info: ModelInfo): LayerReplay {
  const query = tensors.get(chain.query) as Tensor;
  const key = keyTensor(chain, tensors, keys);
  if (LayerReplay.shapeProblem(query, key, n) || query.dims[1] !== info.heads) throw shapeChanged(info, chain.query, query.dims);
  return new LayerReplay(chain, query, key, tensors, masks);
}

/**
 * Replays every row of the probe and compares it with the exact attention (the overview at ≤ 256 tokens); picks,
 * per layer, the mask reading ('none' or 'causal' for each mask step) and, for grouped keys, the head mapping that
 * reproduce it, or says why none does.
 */
function checkReplay(chains: ScoreChain[], tensors: Map<string, Tensor>, n: number, tolerance: number, grouped: boolean): { masks: MaskChoice[][]; keys: KeyChoice[]; heads: number; causal: boolean } | string {
  const masks: MaskChoice[][] = [];
  const keys: KeyChoice[] = [];
  let heads = 0;
  let causal = true;
  const keyChoices: KeyChoice[] = grouped ? [{ layout: 'grouped', mapping: 'blocked' }, { layout: 'grouped', mapping: 'interleaved' }] : [{ layout: 'transposed' }];
  for (let l = 0; l < chains.length; l++) {
    const chain = chains[l];
    const query = tensors.get(chain.query) as Tensor;
    const problem = LayerReplay.shapeProblem(query, keyTensor(chain, tensors, keyChoices[0]), n);
    if (problem) return `layer ${l}: ${problem}`;
    const expected = tensors.get(overviewOutputName(l)) as Tensor;
    heads = query.dims[1];
    if (expected.dims.join() !== [1, heads, n, n].join()) return `layer ${l}: its Softmax output has shape [${expected.dims.join(', ')}], not [1, ${heads}, ${n}, ${n}]`;
    let best: { mask: MaskChoice[]; key: KeyChoice; error: number } | undefined;
    search: for (const key of keyChoices) {
      for (const mask of maskChoices(LayerReplay.maskSteps(chain))) {
        const error = replayError(new LayerReplay(chain, query, keyTensor(chain, tensors, key), tensors, mask), expected.data);
        if (!best || error < best.error) best = { mask, key, error };
        if (error <= tolerance) break search;
      }
    }
    if (!best || !(best.error <= tolerance)) {
      return `layer ${l}: replaying its query·key scores differs from its Softmax output by ${best?.error.toExponential(1)} (a position bias such as ALiBi or relative positions, or a mask other than causal)`;
    }
    masks.push(best.mask);
    keys.push(best.key);
    causal &&= isLowerTriangular(expected.data, heads, n);
  }
  return { masks, keys, heads, causal };
}

/** Sliding-window attention (Mistral, Qwen2 with use_sliding_window) masks more than a causal mask does. */
function slidingWindowReason(model: ModelFolder): string | undefined {
  const window = model.config.sliding_window;
  if (typeof window !== 'number' || model.config.use_sliding_window === false) return undefined;
  if (window >= maxTokensFromConfig(model.config)) return undefined;
  return `config.json sets sliding_window = ${window}, a mask the replay does not reproduce`;
}
