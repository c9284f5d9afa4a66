// An encoder–decoder exported as one graph (optimum's feature-extraction export of BART, mBART, Marian, Pegasus,
// Blenderbot, T5: inputs input_ids, attention_mask, decoder_input_ids, decoder_attention_mask). One run gives the
// encoder's attention, the decoder's self-attention and its cross-attention. Without a target the decoder input is
// what Hugging Face's BartModel uses then: the source ids shifted right behind decoder_start_token_id.
import { AttentionOutput, checkAgainstConfig, expectedFromConfig } from './attentionLayouts';
import { readAttention, shiftedRight, shiftRule } from './encoderDecoder';
import { AttentionLensError } from './errors';
import type { ProbeResult } from './graphSession';
import { maxTokensFromConfig, ModelFolder } from './modelFolder';
import type { TextTokenizer } from './tokenize';
import type { DecoderInfo, TargetAttention, Token } from './types';
import type { OutputTensor } from './workerProtocol';

export class JointDecoder {
  private constructor(
    readonly info: DecoderInfo,
    private readonly tokenizer: TextTokenizer,
    private readonly self: AttentionOutput[],
    private readonly cross: AttentionOutput[],
  ) {}

  /** The decoder half of the probe run, checked against config.json's decoder layers and heads. */
  static fromProbe(model: ModelFolder, tokenizer: TextTokenizer, probe: ProbeResult, start: number): JointDecoder {
    if (probe.decoderSelf.length === 0 || probe.cross.length === 0) {
      throw new AttentionLensError(
        'NO_ATTENTION',
        `${model.onnxFile} takes decoder_input_ids, but no Softmax output is shaped like decoder ${probe.decoderSelf.length === 0 ? 'self' : 'cross'}-attention on a probe run.`,
        'Export the model with optimum\'s text2text-generation task (encoder_model.onnx + decoder_model.onnx).',
        model.onnxFile,
      );
    }
    const expected = expectedFromConfig(model.config, 'decoder', model.configFile);
    const heads = checkAgainstConfig(probe.decoderSelf, expected, model.onnxFile, 'decoder self');
    const crossHeads = checkAgainstConfig(probe.cross, expected, model.onnxFile, 'cross');
    const maxTokens = maxTokensFromConfig(model.config, 512, model.configFile);
    const info: DecoderInfo = { onnxFile: model.onnxFile, layers: probe.decoderSelf.length, heads, crossHeads, maxTokens, startTokenId: start, shift: shiftRule(model) };
    return new JointDecoder(info, tokenizer, probe.decoderSelf, probe.cross);
  }

  fetches(): string[] {
    return [...this.self, ...this.cross].map((o) => o.name);
  }

  /** The decoder input: the target's labels (or, without a target, the source tokens) shifted right. */
  async decoderInput(target: string | undefined, source: { text: string; tokens: Token[] }): Promise<{ text: string; tokens: Token[] }> {
    if (target === undefined) return { text: source.text, tokens: shiftedRight(this.tokenizer, this.info, source.tokens) };
    const labels = await this.tokenizer.tokenize(target, this.info.maxTokens);
    return { text: target, tokens: shiftedRight(this.tokenizer, this.info, labels.tokens) };
  }

  /** Decoder self- and cross-attention from the run's outputs that follow the encoder's. */
  read(outputs: OutputTensor[], input: { text: string; tokens: Token[] }, sourceLength: number): TargetAttention {
    const t = input.tokens.length;
    return {
      ...input,
      attention: this.self.map((o, i) => readAttention(outputs[i], o, t, t, this.info.onnxFile)),
      crossAttention: this.cross.map((o, i) => readAttention(outputs[this.self.length + i], o, t, sourceLength, this.info.onnxFile)),
      generated: false,
    };
  }
}
