"""Writes a bert-base-shaped model with random weights the way an ordinary Hub export looks.

Usage: /usr/bin/python3 bench/export_bert.py <model folder> <seed>
Writes config.json, onnx/model.onnx (opset 14, dynamic axes, last_hidden_state only, no attention outputs)
and torch_state.pt (the same weights, for the PyTorch baseline). The tokenizer is written by the Node side.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bert_module import BERT_BASE, BertEncoderModel  # noqa: E402


def hf_config(c):
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": c["hidden_size"],
        "initializer_range": c["initializer_range"],
        "intermediate_size": c["intermediate_size"],
        "layer_norm_eps": c["layer_norm_eps"],
        "max_position_embeddings": c["max_position_embeddings"],
        "num_attention_heads": c["num_attention_heads"],
        "num_hidden_layers": c["num_hidden_layers"],
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "type_vocab_size": c["type_vocab_size"],
        "vocab_size": c["vocab_size"],
    }


def main(folder, seed):
    torch.manual_seed(seed)
    model = BertEncoderModel(BERT_BASE).eval()
    os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)
    torch.save(model.state_dict(), os.path.join(folder, "torch_state.pt"))
    ids = torch.randint(1000, 2000, (1, 16))
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            os.path.join(folder, "onnx", "model.onnx"),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch_size", 1: "sequence_length"},
                "attention_mask": {0: "batch_size", 1: "sequence_length"},
                "token_type_ids": {0: "batch_size", 1: "sequence_length"},
                "last_hidden_state": {0: "batch_size", 1: "sequence_length"},
            },
            opset_version=14,
            do_constant_folding=True,
        )
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(hf_config(BERT_BASE), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
