// Known-good Hub models for the picker: plain (unfused) ONNX exports whose attention Softmax can be exposed.
// Sizes are the ONNX graph plus tokenizer; `sizeSource` says whether we read them off the repo or estimated them.

export interface CuratedModel {
  id: string;
  /** One line for a picker. */
  description: string;
  kind: 'encoder' | 'decoder';
  /** ONNX file the default (fp32) variant resolves to. */
  onnxFile: string;
  /** Approximate download in MB for fp32 and, where the repo has it, the quantized variant. */
  downloadMB: { fp32: number; quantized?: number };
  /** 'repo listing': read off the Hub's file list (2024–2025); 'estimate': from the parameter count (fp32 = 4 bytes/param). */
  sizeSource: 'repo listing' | 'estimate';
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
];

/** "~439 MB (quantized ~112 MB)" */
export function describeDownloadSize(model: CuratedModel): string {
  const { fp32, quantized } = model.downloadMB;
  return `~${fp32} MB${quantized ? ` (quantized ~${quantized} MB)` : ''}`;
}

