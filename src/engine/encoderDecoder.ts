// The decoder half of an encoder–decoder model (optimum layout): teacher-forced on a target text, or greedy
// generation of one, returning decoder self-attention and cross-attention per layer as [head][query][key].
import { AttentionOutput, checkAgainstConfig, expectedFromConfig, layoutOf, toHeadMajor } from './attentionLayouts';
import { AttentionLensError } from './errors';
import { endOfSequenceIds, generatedTokens, greedy } from './generate';
import { GraphSession } from './graphSession';
import type { FeedValues } from './inputs';
import { maxTokensFromConfig, ModelFolder } from './modelFolder';
import type { TextTokenizer } from './tokenize';
import type { DecoderInfo, TargetAttention, Token } from './types';
import type { OutputTensor } from './workerProtocol';

export type EncoderHidden = NonNullable<FeedValues['encoderHidden']>;

export type TargetRequest = { target: string } | { generate: number };

/** mBART and PLBart have no single start token: their labels are shifted right behind their last label. */
const WRAPS_LAST_LABEL = new Set(['mbart', 'plbart']);

export function shiftRule(model: ModelFolder): DecoderInfo['shift'] {
  return WRAPS_LAST_LABEL.has(String(model.config.model_type)) ? 'last-label' : 'start-token';
}

/** config.json's decoder_start_token_id, which Hugging Face requires to shift labels right (mBART may use bos). */
export function decoderStartId(model: ModelFolder): number {
  const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  const start = model.config.decoder_start_token_id;
  if (!isId(start) && shiftRule(model) === 'last-label' && isId(model.config.bos_token_id)) return model.config.bos_token_id;
  if (!isId(start)) {
    throw new AttentionLensError(
      'CONFIG_INVALID',
      `${model.configFile} has no decoder_start_token_id, so the decoder input (the target shifted right behind that token) cannot be formed.`,
      'Restore the model\'s original config.json (Hugging Face encoder–decoder configs state decoder_start_token_id).',
      model.configFile,
    );
  }
  return start;
}

/**
 * The decoder input Hugging Face trains on: the start token (special, empty range) — or for 'last-label' models the
 * last label — then every label but the last.
 */
export function shiftedRight(tokenizer: TextTokenizer, info: DecoderInfo, labels: Token[], shift = info.shift): Token[] {
  const first = shift === 'last-label' && labels.length > 0 ? labels[labels.length - 1].id : info.startTokenId;
  return [{ id: first, text: tokenizer.piece(first), start: 0, end: 0, special: true }, ...labels.slice(0, -1)];
}

export class Seq2SeqDecoder {
  private constructor(
    readonly info: DecoderInfo,
    private readonly session: GraphSession,
    private readonly tokenizer: TextTokenizer,
    private readonly self: AttentionOutput[],
    private readonly cross: AttentionOutput[],
    private readonly eos: Set<number>,
  ) {}

  /** Loads the decoder and sorts its Softmax outputs into self- and cross-attention on a probe run. */
  static async open(model: ModelFolder, tokenizer: TextTokenizer, probeSource: { ids: number[]; hidden: EncoderHidden }, cacheDir?: string): Promise<Seq2SeqDecoder> {
    const decoderFile = model.decoderFile as string;
    const start = decoderStartId(model);
    const session = await GraphSession.open(decoderFile, model, { cacheDir, keep: ['logits'] });
    try {
      const expected = expectedFromConfig(model.config, 'decoder', model.configFile);
      const probe = await session.probe([start, ...probeSource.ids], expected.heads, { encoderHidden: probeSource.hidden });
      if (probe.self.length === 0 || probe.cross.length === 0) {
        throw new AttentionLensError(
          'NO_ATTENTION',
          `${decoderFile} has no Softmax output shaped like decoder ${probe.self.length === 0 ? 'self' : 'cross'}-attention on a probe run (${probe.outputs.map((o) => `[${o.dims.join(', ')}]`).join(' ') || 'none'}).`,
          'Use optimum\'s default export of the decoder (onnx/decoder_model.onnx), without fused attention.',
          decoderFile,
        );
      }
      const heads = checkAgainstConfig(probe.self, expected, decoderFile, 'decoder self');
      const crossHeads = checkAgainstConfig(probe.cross, expected, decoderFile, 'cross');
      const info: DecoderInfo = {
        onnxFile: decoderFile,
        layers: probe.self.length,
        heads,
        crossHeads,
        maxTokens: maxTokensFromConfig(model.config, 512, model.configFile),
        startTokenId: start,
        shift: shiftRule(model),
      };
      return new Seq2SeqDecoder(info, session, tokenizer, probe.self, probe.cross, endOfSequenceIds(model.config, model.folder));
    } catch (e) {
      await session.dispose();
      throw e;
    }
  }

  /** Teacher-forces `request.target` (or a greedy generation) on the encoder output `hidden`. */
  async analyze(hidden: EncoderHidden, request: TargetRequest, signal?: AbortSignal): Promise<TargetAttention> {
    let text: string;
    let labels: Token[];
    // A generated target was decoded behind the start token, so that is its decoder input whatever the shift rule.
    let shift = this.info.shift;
    if ('target' in request) {
      // Labels keep room for the start token: decoder input = start + labels[:-1] never exceeds the limit.
      const tokenized = await this.tokenizer.tokenize(request.target, this.info.maxTokens);
      text = request.target;
      labels = tokenized.tokens;
    } else {
      const ids = await greedy(this.session, [this.info.startTokenId], Math.min(request.generate, this.info.maxTokens), this.eos, signal, hidden);
      ({ text, tokens: labels } = await generatedTokens(this.tokenizer, ids));
      shift = 'start-token';
    }
    const tokens = shiftedRight(this.tokenizer, this.info, labels, shift);
    const t = tokens.length;
    const s = hidden.dims[1];
    const outputs = await this.session.run({ ids: tokens.map((x) => x.id), encoderHidden: hidden }, [...this.self, ...this.cross].map((o) => o.name), signal);
    const read = (o: AttentionOutput, i: number, keys: number) => this.headMajor(outputs[i], o, t, keys);
    return {
      text,
      tokens,
      attention: this.self.map((o, i) => read(o, i, t)),
      crossAttention: this.cross.map((o, i) => read(o, this.self.length + i, s)),
      generated: !('target' in request),
    };
  }

  private headMajor(out: OutputTensor, o: AttentionOutput, queries: number, keys: number): Float32Array {
    return readAttention(out, o, queries, keys, this.info.onnxFile);
  }

  dispose(): Promise<void> {
    return this.session.dispose();
  }
}

/** A run's output as [head][query][key], after checking it still has the layout the probe found. */
export function readAttention(out: OutputTensor, o: AttentionOutput, queries: number, keys: number, onnxFile: string): Float32Array {
  const m = layoutOf(out.dims, queries, keys, -1);
  const ok = m === 'ambiguous' ? o.heads === queries : m !== undefined && m.layout === o.layout && m.heads === o.heads;
  if (!ok) {
    throw new AttentionLensError('INFERENCE_FAILED', `${onnxFile} returned ${out.name} with shape [${out.dims.join(', ')}], not ${o.layout} attention with ${o.heads} heads for ${queries} × ${keys} tokens.`, 'Report this model; its attention outputs change shape between runs.', onnxFile);
  }
  return toHeadMajor(out.data, o.layout, o.heads, queries, keys);
}
