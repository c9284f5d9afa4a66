"""Export the trained encoder to ONNX like a Hugging Face Hub export: inputs input_ids / attention_mask /
token_type_ids, one output last_hidden_state (no attention outputs; Attention Lens exposes the Softmax itself).

Usage: export.py <work> <model_dir>
Writes <model_dir>/onnx/model.onnx, <model_dir>/config.json and <work>/export-check.json (a torch reference the
onnxruntime check in check_onnx.js compares against).
"""
import json
import os
import sys

import torch

from model import Config, MaskedLM


class ExportedEncoder(torch.nn.Module):
    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.encoder(input_ids, attention_mask, token_type_ids)


def load(work):
    ckpt = torch.load(os.path.join(work, "ckpt.pt"))
    cfg = Config(**ckpt["config"])
    model = MaskedLM(cfg)
    model.load_state_dict(ckpt["model"])
    model.eval()
    return model, cfg, ckpt


def hf_config(cfg: Config, ckpt):
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": cfg.vocab_size,
        "hidden_size": cfg.hidden_size,
        "num_hidden_layers": cfg.num_hidden_layers,
        "num_attention_heads": cfg.num_attention_heads,
        "intermediate_size": cfg.intermediate_size,
        "hidden_act": "gelu",
        "hidden_dropout_prob": cfg.hidden_dropout_prob,
        "attention_probs_dropout_prob": cfg.attention_probs_dropout_prob,
        "max_position_embeddings": cfg.max_position_embeddings,
        "type_vocab_size": cfg.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": cfg.layer_norm_eps,
        "pad_token_id": cfg.pad_token_id,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        # Not a transformers option: the ONNX graph carries the per-head relative position bias; this records it.
        "attention_lens": {"training_steps": ckpt["step"], "training_seconds": round(ckpt["elapsed"]),
                           "relative_attention_range": cfg.relative_attention_range},
    }


def main():
    work, model_dir = sys.argv[1], sys.argv[2]
    torch.set_num_threads(2)
    model, cfg, ckpt = load(work)
    encoder = ExportedEncoder(model.encoder).eval()
    os.makedirs(os.path.join(model_dir, "onnx"), exist_ok=True)
    ids = torch.tensor([[2, 40, 9, 60, 10, 3]], dtype=torch.long)
    mask, types = torch.ones_like(ids), torch.zeros_like(ids)
    onnx_path = os.path.join(model_dir, "onnx", "model.onnx")
    axes = {0: "batch_size", 1: "sequence_length"}
    with torch.no_grad():
        torch.onnx.export(encoder, (ids, mask, types), onnx_path, opset_version=14,
                          input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["last_hidden_state"],
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                                        "last_hidden_state": axes},
                          do_constant_folding=True)
        # A longer padded reference so the check covers masking and positions past the export example.
        ref_ids = torch.randint(5, cfg.vocab_size, (2, 40), generator=torch.Generator().manual_seed(0))
        ref_mask = torch.ones_like(ref_ids)
        ref_mask[1, 30:] = 0
        hidden, attentions = model.encoder(ref_ids, ref_mask, torch.zeros_like(ref_ids), return_attention=True)
    with open(os.path.join(model_dir, "config.json"), "w") as f:
        json.dump(hf_config(cfg, ckpt), f, indent=2)
        f.write("\n")
    with open(os.path.join(work, "export-check.json"), "w") as f:
        json.dump({"input_ids": ref_ids.tolist(), "attention_mask": ref_mask.tolist(),
                   "last_hidden_state": hidden.flatten().tolist(),
                   "layer0_attention": attentions[0][0].flatten().tolist()}, f)
    print(f"exported step {ckpt['step']} -> {onnx_path} ({os.path.getsize(onnx_path)} bytes)")


if __name__ == "__main__":
    main()
