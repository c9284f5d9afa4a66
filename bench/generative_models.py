"""Generates the generative bench models (random weights, exported as optimum lays them out):
  bench/models/marian-shaped/  encoder_model.onnx + decoder_model.onnx, BART/Marian code, 6 + 6 layers, 8 heads, d_model 512
  bench/models/llama-shaped/   onnx/model.onnx with past_key_values inputs, LLaMA code, 12 layers, 9 heads / 3 kv heads, hidden 576
Usage: /usr/bin/python3 bench/generative_models.py <benchModelsDir>
"""
import json
import os
import shutil
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, 'scripts', 'fixtures'))
import hf_decoders  # noqa: E402
import hf_seq2seq  # noqa: E402
from export_more_models import BART, LLAMA, export_decoder, export_seq2seq, initialise  # noqa: E402

MARIAN = dict(BART, model_type='marian', architectures=['MarianMTModel'], d_model=512, encoder_layers=6, decoder_layers=6,
              encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048,
              max_position_embeddings=512, num_hidden_layers=6, scale_embedding=True, vocab_size=58101, eos_token_id=58100,
              forced_eos_token_id=58100)
LLAMA_SHAPED = dict(LLAMA, hidden_size=576, num_attention_heads=9, num_key_value_heads=3, num_hidden_layers=12,
                    intermediate_size=1536, max_position_embeddings=2048, vocab_size=49152, eos_token_id=49151)
TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']


def folder_for(models_dir, name, config, tokenizer_from):
    folder = os.path.join(models_dir, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(os.path.join(folder, 'onnx'))
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(config, f, indent=2)
    for file in TOKENIZER_FILES:
        shutil.copy(os.path.join(ROOT, 'test', 'fixtures', 'models', tokenizer_from, file), os.path.join(folder, file))
    return folder


def main():
    models_dir = sys.argv[1]
    torch.set_num_threads(2)
    marian = initialise(hf_seq2seq.BartForConditionalGeneration(MARIAN), 21, MARIAN['d_model'])
    export_seq2seq(marian, os.path.join(folder_for(models_dir, 'marian-shaped', MARIAN, 'bart'), 'onnx'), list(range(4, 11)))
    llama = initialise(hf_decoders.LlamaForCausalLM(LLAMA_SHAPED), 22, LLAMA_SHAPED['hidden_size'])
    export_decoder(llama, LLAMA_SHAPED, os.path.join(folder_for(models_dir, 'llama-shaped', LLAMA_SHAPED, 'llama-kv-cache'), 'onnx', 'model.onnx'), list(range(4, 11)))
    print('generative bench models written to', models_dir)


if __name__ == '__main__':
    main()
