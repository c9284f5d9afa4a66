// text → AttentionResult: open a model folder once, then analyze texts off the main thread, cancellable, cached.
// An encoder–decoder model adds its decoder (encoderDecoder.ts); --generate continues or translates (generate.ts).
import { performance } from 'perf_hooks';
import { AttentionOutput, checkAgainstConfig, expectedFromConfig, isLowerTriangular, toHeadMajor } from './attentionLayouts';
import { decoderStartId, readAttention, Seq2SeqDecoder, TargetRequest } from './encoderDecoder';
import { AttentionLensError } from './errors';
import { checkGenerate, endOfSequenceIds, generatedTokens, greedy } from './generate';
import { GraphSession } from './graphSession';
import { JointDecoder } from './jointEncoderDecoder';
import { causalFromConfig, maxTokensFromConfig, ModelFolder, validateModelFolder, vocabSizeFromConfig } from './modelFolder';
import { repeatProbeScores, scoreHeads, type HeadScoreRow } from './headScores';
import { ATTENTION_MEMORY_BUDGET, memoryLimitNote, tokenLimitForMemory, unknownTokensNote } from './resultNotes';
import type { AttentionPlan } from './onnxAttention';
import { TextTokenizer } from './tokenize';
import type { AttentionResult, ModelInfo, Token } from './types';
import { valueNormOutputName } from './valueNorm';
import { findValueProjections, LayerValueProjection, ValueProjections } from './valueProjection';
import { cancelledError } from './workerClient';
import type { RunExtras } from './workerProtocol';
import { readRegularText, TOKENIZER_MAX_BYTES } from './regularFile';

export { ANY_TEXT_MODEL, ATTENTION_MEMORY_BUDGET, tokenLimitForMemory } from './resultNotes';

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
  /** Encoder–decoder: the target text, teacher-forced as Hugging Face trains. */
  target?: string;
  /** Greedy decoding of up to this many tokens: an encoder–decoder's target, or a decoder-only continuation. */
  generate?: number;
  /** 'value-norm' also returns `valueNormAttention` (computed in the worker); default: the weights only. */
  weighting?: 'weights' | 'value-norm';
  /** Also score every head (result.headScores), in the worker, so the host thread never walks the attention. */
  headScores?: boolean;
  /** Bound on the attention one analysis returns (layers·heads·N²·4 bytes); default ATTENTION_MEMORY_BUDGET. */
  maxAttentionBytes?: number;
}

const RESULT_CACHE_SIZE = 4;
/** bert-base at 512 tokens is 144 MiB of attention per result: keep recent results by bytes, not only by count. */
const RESULT_CACHE_BYTES = 256 * 1024 * 1024;
const PROBE_TEXT = 'Attention Lens looks at attention.';
/** The encoder output a decoder reads, by the names exporters give it. */
const ENCODER_OUTPUTS = ['last_hidden_state', 'encoder_last_hidden_state', 'hidden_states'];

export class AttentionEngine {
  private readonly results = new Map<string, AttentionResult>();
  /** Decoder-only generation needs logits, which the attention copy drops: a second copy, opened on first use. */
  private generator?: Promise<GraphSession>;

  private constructor(
    readonly info: ModelInfo,
    private readonly model: ModelFolder,
    private readonly tokenizer: TextTokenizer,
    private readonly session: GraphSession,
    /** The Softmax outputs that proved to be one attention tensor per layer on the probe run, in layer order. */
    private readonly layers: AttentionOutput[],
    private readonly cacheDir: string | undefined,
    private readonly decoder: Seq2SeqDecoder | undefined,
    private readonly encoderOutput: string | undefined,
    /** An encoder–decoder exported as one graph: its decoder's outputs come from the same run. */
    private readonly joint: JointDecoder | undefined,
    /** What value-norm attention reads from the graph, or why it cannot. */
    readonly valueProjections: ValueProjections,
  ) {}

  static async open(folder: string, opts: OpenOptions = {}): Promise<AttentionEngine> {
    const limitCap = checkMaxTokens(opts.maxTokens);
    const model = await validateModelFolder(folder, { variant: opts.variant });
    const tokenizer = TextTokenizer.load(model.tokenizerFile);
    const modelLimit = maxTokensFromConfig(model.config, 512, model.configFile);
    const encoderDecoder = model.decoderFile !== undefined;
    const session = await GraphSession.open(model.onnxFile, model, { cacheDir: opts.cacheDir, keep: encoderDecoder ? ENCODER_OUTPUTS : [], exposeValues: true });
    let decoder: Seq2SeqDecoder | undefined;
    try {
      const vocabSize = checkVocabulary(model, tokenizer, session.plan);
      const jointStart = ['input_ids', 'decoder_input_ids'].every((role) => session.plan.inputs.some((i) => i.role === role)) ? decoderStartId(model) : undefined;
      const expected = expectedFromConfig(model.config, encoderDecoder || jointStart !== undefined ? 'encoder' : 'single', model.configFile);
      const probeText = await tokenizer.tokenize(PROBE_TEXT, modelLimit);
      const probe = await session.probe(probeText.ids, [...expected.heads, session.cache.kvHeads ?? 0], { decoderStart: jointStart });
      const n = probe.ids.length;
      if (probe.self.length === 0) {
        throw new AttentionLensError(
          'NO_ATTENTION',
          `None of the ${session.plan.softmaxOutputs.length} Softmax outputs of ${model.onnxFile} is attention over ${n} tokens ([1, heads, ${n}, ${n}], [heads, ${n}, ${n}] or [1, ${n}, heads, ${n}]).`,
          'Use a transformer export whose graph keeps the attention Softmax (optimum\'s default export).',
          model.onnxFile,
        );
      }
      const heads = checkAgainstConfig(probe.self, expected, model.onnxFile, encoderDecoder || jointStart !== undefined ? 'encoder' : 'self');
      const joint = jointStart === undefined ? undefined : JointDecoder.fromProbe(model, tokenizer, probe, jointStart);
      const probeData = (o: AttentionOutput) => toHeadMajor(probe.outputs.find((x) => x.name === o.name)!.data, o.layout, heads, n, n);
      const encoderOutput = session.plan.graphOutputs.find((o) => ENCODER_OUTPUTS.includes(o));
      if (encoderDecoder) {
        if (!encoderOutput) throw new AttentionLensError('NO_ATTENTION', `${model.onnxFile} has no last_hidden_state output for the decoder to read.`, 'Use optimum\'s encoder_model.onnx export.', model.onnxFile);
        const [hidden] = await session.run({ ids: probe.ids }, [encoderOutput]);
        decoder = await Seq2SeqDecoder.open(model, tokenizer, { ids: probe.ids, hidden }, opts.cacheDir);
      }
      const info: ModelInfo = {
        name: opts.name ?? model.name,
        folder: model.folder,
        onnxFile: model.onnxFile,
        modelType: typeof model.config.model_type === 'string' ? model.config.model_type : 'unknown',
        layers: probe.self.length,
        heads,
        causal: n >= 2 ? probe.self.every((o) => isLowerTriangular(probeData(o), heads, n)) : causalFromConfig(model.config),
        maxTokens: Math.min(modelLimit, limitCap),
        vocabSize,
        ...(decoder ?? joint ? { decoder: (decoder ?? joint)!.info } : {}),
      };
      const valueProjections = valueProjectionsOf(session, probe.self);
      return new AttentionEngine(info, model, tokenizer, session, probe.self, opts.cacheDir, decoder, encoderDecoder ? encoderOutput : undefined, joint, valueProjections);
    } catch (e) {
      await decoder?.dispose();
      await session.dispose();
      throw e;
    }
  }

  /** How many source tokens `analyze(text, opts)` would use before any generation, without running the model. */
  async tokenCount(text: string, opts: AnalyzeOptions = {}): Promise<number> {
    const limit = Math.min(this.info.maxTokens, checkMaxTokens(opts.maxTokens));
    return (await this.tokenizer.tokenize(text, limit)).ids.length;
  }

  /** Tokenizes `text`, runs the model in the worker and returns every layer's attention (and the target's). */
  async analyze(text: string, opts: AnalyzeOptions = {}): Promise<AttentionResult> {
    const t0 = performance.now();
    if (opts.signal?.aborted) throw cancelledError();
    const requested = Math.min(this.info.maxTokens, checkMaxTokens(opts.maxTokens));
    const budget = opts.maxAttentionBytes ?? ATTENTION_MEMORY_BUDGET;
    const limit = Math.min(requested, tokenLimitForMemory(this.info.layers, this.info.heads, budget));
    const generate = checkGenerate(opts.generate);
    const request: TargetRequest | undefined = opts.target !== undefined ? { target: opts.target } : generate !== undefined ? { generate } : undefined;
    if (this.joint && generate !== undefined) {
      throw new AttentionLensError('BAD_ARGUMENT', `${this.info.onnxFile} runs encoder and decoder as one graph without logits, so it cannot generate.`, 'Give the target text instead, or use the text2text-generation export (onnx/encoder_model.onnx + onnx/decoder_model.onnx) to generate.');
    }
    if (request && 'target' in request && !this.decoder && !this.joint) {
      throw new AttentionLensError('BAD_ARGUMENT', `${this.info.name} is not an encoder–decoder model, so it has no target text.`, 'Leave out the target, or use --generate to continue the text.');
    }
    const valueNorm = opts.weighting === 'value-norm' ? this.valueNormLayers() : undefined;
    const key = [limit, opts.target ?? '', generate ?? '', valueNorm ? 'value-norm' : 'weights', opts.headScores ? 'scores' : '', text].join('\u0000');
    const cached = this.results.get(key);
    if (cached) {
      this.results.delete(key);
      this.results.set(key, cached);
      return cached;
    }
    const continues = !this.decoder && !this.joint && generate !== undefined;
    if (continues && (!this.info.causal || !this.session.plan.graphOutputs.includes('logits'))) {
      throw new AttentionLensError('BAD_ARGUMENT', `${this.info.name} is not a text generator (${this.info.causal ? 'its graph has no logits output' : 'it attends in both directions'}), so it cannot continue the text.`, 'Use --generate with a decoder-only model (GPT-2, LLaMA, …) or an encoder–decoder model (Marian, T5, …).');
    }
    const tokenized = await this.tokenizer.tokenize(text, continues ? Math.max(1, limit - (generate as number)) : limit);
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
    let ids = tokenized.ids;
    let tokens = tokenized.tokens;
    let shownText = text;
    let coveredRange = tokenized.coveredRange;
    let continuation: AttentionResult['continuation'];
    if (continues && ids.length > 0) {
      const generated = await greedy(await this.generatorSession(), ids, Math.min(generate as number, limit - ids.length), endOfSequenceIds(this.model.config, this.model.folder), opts.signal);
      const more = await generatedTokens(this.tokenizer, generated);
      shownText = text.slice(0, coveredRange.end) + more.text;
      continuation = { start: coveredRange.end, firstToken: ids.length };
      tokens = [...tokens, ...more.tokens.map((t) => ({ ...t, start: t.start + coveredRange.end, end: t.end + coveredRange.end }))];
      ids = [...ids, ...generated];
      coveredRange = { start: 0, end: shownText.length };
    }
    const n = ids.length;
    let attention: Float32Array[] = this.layers.map(() => new Float32Array(0));
    let valueNormAttention: Float32Array[] | undefined = valueNorm && attention.map(() => new Float32Array(0));
    let headScores: HeadScoreRow[] | undefined = opts.headScores ? [] : undefined;
    let target: AttentionResult['target'];
    if (n > 0) {
      const jointInput = this.joint ? await this.joint.decoderInput(opts.target, { text, tokens }) : undefined;
      const extra = jointInput ? this.joint!.fetches() : request && this.encoderOutput ? [this.encoderOutput] : [];
      const names = this.layers.map((o) => o.name);
      // The worker scores heads itself when the outputs are already [1, heads, N, N]; other layouts are scored here.
      const scoreInWorker = opts.headScores && this.headsFirst();
      const extras: RunExtras = {
        valueNorm,
        headScores: scoreInWorker ? { text: shownText, tokens, heads: this.info.heads, attention: names } : undefined,
      };
      const fetches = [...names, ...extra, ...(valueNorm?.map((l) => l.values) ?? [])];
      const reply = await this.session.runWithExtras({ ids, decoderIds: jointInput?.tokens.map((t) => t.id) }, fetches, valueNorm || scoreInWorker ? extras : undefined, opts.signal);
      const outputs = reply.outputs;
      attention = this.layers.map((o, i) => readAttention(outputs[i], o, n, n, this.info.onnxFile));
      if (valueNorm) {
        const byName = new Map(outputs.map((o) => [o.name, o.data]));
        valueNormAttention = names.map((name) => byName.get(valueNormOutputName(name)) ?? new Float32Array(0));
      }
      if (opts.headScores) headScores = reply.analysis?.headScores ?? scoreHeads({ text: shownText, tokens, heads: this.info.heads, attention });
      const rest = outputs.slice(this.layers.length, this.layers.length + extra.length);
      if (jointInput) target = this.joint!.read(rest, jointInput, n);
      else if (request && this.decoder) target = await this.decoder.analyze(rest[0], request, opts.signal);
    }
    const t2 = performance.now();
    const result: AttentionResult = {
      model: this.info,
      text: shownText,
      tokens,
      attention,
      ...(valueNormAttention ? { valueNormAttention } : {}),
      ...(headScores ? { headScores } : {}),
      truncated: tokenized.truncated,
      ...unknownTokensNote(content, this.tokenizer.unknownId, this.info.name),
      ...memoryLimitNote({ truncated: tokenized.truncated, limit, requested, layers: this.info.layers, heads: this.info.heads, budget }),
      coveredRange,
      timings: { tokenizeMs: t1 - t0, runMs: t2 - t1, totalMs: t2 - t0 },
      ...(target ? { target } : {}),
      ...(continuation ? { continuation } : {}),
    };
    this.remember(key, result);
    return result;
  }

  /**
   * Induction and duplicate-token scores ([layer][head]) of one repeated-sequence probe: `ids` are `prefix` tokens, a
   * sequence of `length` ids and the same sequence again. Scored in the worker when it can read the layout.
   */
  async repeatProbe(ids: number[], prefix: number, length: number, signal?: AbortSignal): Promise<{ induction: number[][]; duplicate: number[][] }> {
    if (ids.length === 0 || ids.length > this.info.maxTokens) throw new AttentionLensError('BAD_ARGUMENT', `A probe needs 1 to ${this.info.maxTokens} token ids, got ${ids.length}.`, 'Use a shorter probe.');
    const names = this.layers.map((o) => o.name);
    const heads = this.info.heads;
    if (this.headsFirst()) {
      const extras: RunExtras = { repeatProbe: { heads, attention: names, prefix, length } };
      const { analysis } = await this.session.runWithExtras({ ids }, names, extras, signal);
      if (!analysis?.repeatProbe) throw new AttentionLensError('INFERENCE_FAILED', `The probe run of ${this.info.onnxFile} returned no scores.`, 'Report this model.', this.info.onnxFile);
      return analysis.repeatProbe;
    }
    const n = ids.length;
    const outputs = await this.session.run({ ids }, names, signal);
    return repeatProbeScores(this.layers.map((o, i) => readAttention(outputs[i], o, n, n, this.info.onnxFile)), heads, n, prefix, length);
  }

  /** Every layer's attention ([head][query][key]) for ids the caller prepared, e.g. one window of a longer text. */
  async attentionForIds(ids: number[], signal?: AbortSignal): Promise<Float32Array[]> {
    const n = ids.length;
    const outputs = await this.session.run({ ids }, this.layers.map((o) => o.name), signal);
    return this.layers.map((o, i) => readAttention(outputs[i], o, n, n, this.info.onnxFile));
  }

  /** What the tokenizer wraps around a text (a BOS; [CLS] … [SEP]) and every id it treats as special. */
  async specialTokens(): Promise<{ leading: number[]; trailing: number[]; ids: Set<number> }> {
    const sample = await this.tokenizer.tokenize('a', this.info.maxTokens);
    const ids = new Set(sample.tokens.filter((t: Token) => t.special).map((t: Token) => t.id));
    try {
      const json = JSON.parse(readRegularText(this.tokenizer.file, TOKENIZER_MAX_BYTES)) as { added_tokens?: { id: number; special?: boolean }[] };
      for (const t of json.added_tokens ?? []) if (t.special) ids.add(t.id);
    } catch {
      // Already parsed once by TextTokenizer.load; a file changed since then only loses the extra special ids.
    }
    const first = sample.tokens.findIndex((t: Token) => !t.special);
    const last = sample.tokens.map((t: Token) => t.special).lastIndexOf(false);
    return { leading: first < 0 ? [] : sample.ids.slice(0, first), trailing: first < 0 ? [] : sample.ids.slice(last + 1), ids };
  }

  /** True when every layer's attention output is already [1, heads, N, N], the layout the worker's scoring reads. */
  private headsFirst(): boolean {
    return this.layers.every((o) => o.layout === 'heads-first');
  }

  /** The layers' value-norm inputs, or a clear error saying what the graph lacks. */
  private valueNormLayers(): LayerValueProjection[] {
    const p = this.valueProjections;
    if ('layers' in p) return p.layers;
    throw new AttentionLensError('VALUE_NORM_UNAVAILABLE', `Value-norm attention is not available for ${this.info.onnxFile}: ${p.missing}.`, 'Use the plain attention weights for this model, or an export that keeps the usual MatMul → Transpose → Reshape → MatMul attention output chain (optimum\'s default export).', this.info.onnxFile);
  }

  private generatorSession(): Promise<GraphSession> {
    if (!this.generator) {
      this.generator = GraphSession.open(this.model.onnxFile, this.model, { cacheDir: this.cacheDir, keep: ['logits'] });
      this.generator.catch(() => (this.generator = undefined));
    }
    return this.generator;
  }

  /** Keeps the newest results within RESULT_CACHE_SIZE entries and RESULT_CACHE_BYTES of attention. */
  private remember(key: string, result: AttentionResult): void {
    const sum = (arrays: Float32Array[] = []) => arrays.reduce((total, a) => total + a.byteLength, 0);
    const bytes = (r: AttentionResult) => sum(r.attention) + sum(r.valueNormAttention) + sum(r.target?.attention) + sum(r.target?.crossAttention);
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
    const generator = this.generator;
    this.generator = undefined;
    await Promise.all([this.session.dispose(), this.decoder?.dispose(), generator?.then((g) => g.dispose(), () => undefined)]);
  }
}

export function checkMaxTokens(maxTokens: number | undefined): number {
  if (maxTokens === undefined) return Infinity;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new AttentionLensError('BAD_ARGUMENT', `maxTokens must be a positive integer, got ${maxTokens}.`, 'Pass a whole number such as 128.');
  }
  return maxTokens;
}

/** Token ids beyond the embedding table would crash inside onnxruntime; refuse them up front. */
export function checkVocabulary(model: ModelFolder, tokenizer: TextTokenizer, plan: AttentionPlan): number {
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


/** Value-norm reads [1, heads, N, N] attention and its value tensor; other layouts say so instead. */
function valueProjectionsOf(session: GraphSession, layers: AttentionOutput[]): ValueProjections {
  const other = layers.find((o) => o.layout !== 'heads-first');
  if (other) return { missing: `its attention comes as ${other.layout} (${other.name}), and value-norm weighting reads [1, heads, N, N] attention` };
  if (!session.graph) return { missing: 'its graph was not read for value tensors' };
  return findValueProjections(session.onnxFile, session.graph, layers.map((o) => o.name));
}
