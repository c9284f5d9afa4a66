// Shapes the engine returns. No `vscode`, no DOM: the extension, the CLI, the webview and the tests share them.

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
  /** True when the text was longer than the model's limit and was cut. */
  truncated: boolean;
  /** Set when the cut came from the memory bound rather than the token limit: one sentence for the user. */
  memoryLimitNote?: string;
  /** Set when most of the text is unknown to the model's vocabulary ([UNK]): what happened and a model that fits. */
  unknownTokensNote?: string;
  /** UTF-16 range of `text` the tokens cover (the whole text unless truncated). */
  coveredRange: { start: number; end: number };
  timings: Timings;
}
