// Known-good Hub models for the picker: plain (unfused) ONNX exports whose attention Softmax can be exposed.
// Sizes are the ONNX graph plus tokenizer; `sizeSource` says whether we read them off the repo or estimated them.

export interface CuratedModel {
  id: string;
  /** One line for a picker. */
  description: string;
  kind: 'encoder' | 'decoder' | 'encoder-decoder';
  /** ONNX file the default (fp32) variant resolves to (an encoder–decoder's encoder; its decoder_model*.onnx comes with it). */
  onnxFile: string;
  /** Approximate download in MB for fp32 and, where the repo has it, the quantized variant. */
  downloadMB: { fp32: number; quantized?: number };
  /**
   * 'repo listing': read off the Hub's file list (2024–2025); 'estimate': from the parameter count (fp32 = 4 bytes/param);
   * 'unconfirmed': the ONNX sizes are from the listing but the tokenizer's size is not.
   */
  sizeSource: 'repo listing' | 'estimate' | 'unconfirmed';
}

export const CURATED_MODELS: readonly CuratedModel[] = [
  {
    id: 'Xenova/bert-base-uncased',
    description: 'BERT base (uncased), 12 layers × 12 heads: the classic for attention studies',
    kind: 'encoder',
    onnxFile: 'onnx/model.onnx',
    downloadMB: { fp32: 439, quantized: 112 },
    sizeSource: 'repo listing',
  },
  {
    id: 'Xenova/distilbert-base-uncased',
    description: 'DistilBERT (uncased), 6 layers × 12 heads: BERT at half the depth',
    kind: 'encoder',
    onnxFile: 'onnx/model.onnx',
    downloadMB: { fp32: 268, quantized: 68 },
    sizeSource: 'estimate',
  },
  {
    id: 'Xenova/all-MiniLM-L6-v2',
    description: 'MiniLM sentence embedder, 6 layers × 12 heads: small and quick',
    kind: 'encoder',
    onnxFile: 'onnx/model.onnx',
    downloadMB: { fp32: 91, quantized: 23 },
    sizeSource: 'estimate',
  },
  {
    id: 'Xenova/roberta-base',
    description: 'RoBERTa base, 12 layers × 12 heads: byte-level BPE, so code and symbols tokenize well',
    kind: 'encoder',
    onnxFile: 'onnx/model.onnx',
    downloadMB: { fp32: 501, quantized: 128 },
    sizeSource: 'repo listing',
  },
  {
    id: 'onnx-community/codebert-base-ONNX',
    description: 'CodeBERT (RoBERTa trained on code and docstrings), 12 layers × 12 heads: attention over source code',
    kind: 'encoder',
    onnxFile: 'onnx/model.onnx',
    downloadMB: { fp32: 503, quantized: 129 },
    sizeSource: 'estimate',
  },
  {
    id: 'Xenova/distilgpt2',
    description: 'DistilGPT-2, 6 layers × 12 heads, causal: each token attends only to the past',
    kind: 'decoder',
    onnxFile: 'onnx/decoder_model.onnx',
    downloadMB: { fp32: 331, quantized: 86 },
    sizeSource: 'repo listing',
  },
  {
    id: 'Xenova/gpt2',
    description: 'GPT-2 small, 12 layers × 12 heads, causal (uses onnx/decoder_model.onnx, not the merged decoder)',
    kind: 'decoder',
    onnxFile: 'onnx/decoder_model.onnx',
    downloadMB: { fp32: 502, quantized: 130 },
    sizeSource: 'repo listing',
  },
  {
    id: 'Xenova/opus-mt-en-de',
    description: 'Marian English→German translation, 6 + 6 layers × 8 heads: cross-attention shows which English words each German word looks at',
    kind: 'encoder-decoder',
    onnxFile: 'onnx/encoder_model.onnx',
    // encoder_model 196 MB + decoder_model 221 MB (quantized 49.4 + 56.3 MB), listing of onnx/; tokenizer.json not listed there.
    downloadMB: { fp32: 417, quantized: 106 },
    sizeSource: 'unconfirmed',
  },
  {
    id: 'Xenova/t5-small',
    description: 'T5 small, 6 + 6 layers × 8 heads, relative positions: translation and summarisation with a task prefix ("translate English to German: …")',
    kind: 'encoder-decoder',
    onnxFile: 'onnx/encoder_model.onnx',
    // encoder_model 141 MB + decoder_model 167 MB (quantized 35.6 + 42.2 MB) + tokenizer.json 2.4 MB.
    downloadMB: { fp32: 311, quantized: 80 },
    sizeSource: 'repo listing',
  },
  {
    id: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    description: 'SmolLM2 135M (LLaMA architecture, grouped-query attention), 30 layers × 9 heads, causal: a current small LLM with a key/value-cache export',
    kind: 'decoder',
    onnxFile: 'onnx/model.onnx',
    // onnx/model.onnx 654 MB (model_fp16 327 MB, model_q4 200 MB; no _quantized file) + tokenizer.json ~2 MB.
    downloadMB: { fp32: 656 },
    sizeSource: 'repo listing',
  },
];

/** "~439 MB (quantized ~112 MB)" */
export function describeDownloadSize(model: CuratedModel): string {
  const { fp32, quantized } = model.downloadMB;
  return `~${fp32} MB${quantized ? ` (quantized ~${quantized} MB)` : ''}`;
}

