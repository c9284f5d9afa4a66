// Shapes the engine returns. No `vscode`, no DOM: the extension, the CLI, the webview and the tests share them.
import type { HeadScoreRow } from './headScores';

/** Facts about the loaded model that every view needs. */
export interface ModelInfo {
  /** Human name: the folder name or Hub id. */
  name: string;
  /** Absolute path of the model folder. */
  folder: string;
  /** The ONNX file actually used (the user's file, not the patched cached copy). */
  onnxFile: string;
  /** `model_type` from config.json (bert, distilbert, roberta, gpt2, …). */
  modelType: string;
  layers: number;
  heads: number;
  /** True for decoder-only (causal) models: attention above the diagonal is zero. */
  causal: boolean;
  /** The model's token limit (max_position_embeddings, n_positions, …), special tokens included. */
  maxTokens: number;
  vocabSize: number;
  /** Present for an encoder–decoder model: then layers/heads/onnxFile above describe its encoder. */
  decoder?: DecoderInfo;
}

/** The decoder of an encoder–decoder model (translation, summarisation: BART, Marian, T5, …). */
export interface DecoderInfo {
  onnxFile: string;
  layers: number;
  /** Heads of the decoder's self-attention and of its cross-attention (the same in every Hub family seen). */
  heads: number;
  crossHeads: number;
  /** Longest target (decoder input) the model accepts. */
  maxTokens: number;
  /** The id that starts a generated decoder input (config.json decoder_start_token_id). */
  startTokenId: number;
  /**
   * How a given target's labels become the decoder input: behind startTokenId, or (mBART, PLBart) behind their own
   * last label, the language code, as Hugging Face's shift_tokens_right does for those models.
   */
  shift: 'start-token' | 'last-label';
}

/** One token, with its place in the analysed text. */
export interface Token {
  id: number;
  /** The tokenizer's piece (e.g. `##ing`, `Ġthe`). */
  text: string;
  /** UTF-16 offsets into the analysed text (JS string / VS Code units); start === end for special tokens. */
  start: number;
  end: number;
  special: boolean;
}

export interface Timings {
  tokenizeMs: number;
  runMs: number;
  totalMs: number;
}

/** Everything one analysis produced. */
export interface AttentionResult {
  model: ModelInfo;
  text: string;
  tokens: Token[];
  /** One Float32Array per layer, length heads·N·N, laid out [head][query][key] (row-major). */
  attention: Float32Array[];
  /**
   * Only when asked for (`weighting: 'value-norm'`): per layer, same layout as `attention`, α_ij · ‖f_h(x_j)‖
   * (Kobayashi et al. 2020), unnormalised.
   */
  valueNormAttention?: Float32Array[];
  /** Only when asked for (`headScores: true`): every head's scores on this text, computed in the worker. */
  headScores?: HeadScoreRow[];
  /** True when the text was longer than the model's limit and was cut. */
  truncated: boolean;
  /** Set when the cut came from the memory bound rather than the token limit: one sentence for the user. */
  memoryLimitNote?: string;
  /** Set when most of the text is unknown to the model's vocabulary ([UNK]): what happened and a model that fits. */
  unknownTokensNote?: string;
  /** UTF-16 range of `text` the tokens cover (the whole text unless truncated). */
  coveredRange: { start: number; end: number };
  timings: Timings;
  /** Encoder–decoder only, when a target was given or generated: what the decoder did with it. */
  target?: TargetAttention;
  /** Decoder-only with generation: where the generated continuation begins in `text` and in `tokens`. */
  continuation?: { start: number; firstToken: number };
}

/**
 * The decoder side of an encoder–decoder analysis, teacher-forced as Hugging Face trains: labels = the target
 * tokenized with its special tokens, decoder input = labels shifted right behind the decoder start token.
 */
export interface TargetAttention {
  text: string;
  /** The decoder input tokens, offsets into `text`; the start token is special with start === end. */
  tokens: Token[];
  /** Decoder self-attention: one Float32Array per decoder layer, [head][targetQuery][targetKey] (causal). */
  attention: Float32Array[];
  /** Cross-attention: one Float32Array per decoder layer, [head][targetQuery][sourceKey], sources = the result's tokens. */
  crossAttention: Float32Array[];
  /** True when `text` is the model's own greedy output rather than a given target. */
  generated: boolean;
}
