"""Compact BERT encoder (Hugging Face BertSelfAttention math, pre-LayerNorm) with a tied masked-language-model head.

Pre-LN rather than BERT's post-LN: on two shared CPU cores the post-LN variant sat on a bag-of-words loss plateau
(uniform attention) for 1,500 steps; pre-LN leaves it sooner.

Added to BERT: a learned per-head relative position bias (T5/DeBERTa-lite), bias[h, clip(k - q, -R-1, R+1)], added
to the scores before the mask. With learned absolute positions alone a head needed ~1,400 steps on two cores to
express "the previous token"; with the bias it is one parameter, so positional heads appear early.

Attention is written out as MatMul -> Div -> Add(relative bias) -> Add(mask) -> Softmax -> MatMul so the exported
ONNX graph keeps the plain Softmax that Attention Lens exposes as an extra output.
"""
import math

import torch
from torch import nn


class Config:
    def __init__(self, vocab_size=8000, hidden_size=128, num_hidden_layers=4, num_attention_heads=4,
                 intermediate_size=512, max_position_embeddings=512, type_vocab_size=2, pad_token_id=0,
                 layer_norm_eps=1e-12, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                 relative_attention_range=16):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.type_vocab_size = type_vocab_size
        self.pad_token_id = pad_token_id
        self.layer_norm_eps = layer_norm_eps
        self.hidden_dropout_prob = hidden_dropout_prob
        self.attention_probs_dropout_prob = attention_probs_dropout_prob
        # Offsets -R..R each get a bias; every farther key shares one bucket per side (2R + 3 buckets).
        self.relative_attention_range = relative_attention_range

    def to_dict(self):
        return dict(self.__dict__)


class SelfAttention(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.heads = cfg.num_attention_heads
        self.head_dim = cfg.hidden_size // cfg.num_attention_heads
        self.query = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.key = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.value = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.output = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.norm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(cfg.attention_probs_dropout_prob)
        self.relative_bias = nn.Parameter(torch.zeros(cfg.num_attention_heads, 2 * cfg.relative_attention_range + 3))

    def split(self, x):
        b, n, _ = x.shape
        return x.view(b, n, self.heads, self.head_dim).permute(0, 2, 1, 3)

    def forward(self, hidden, mask_bias, relative_index):
        x = self.norm(hidden)
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        scores = scores + self.relative_bias[:, relative_index]  # [heads, query, key], broadcast over the batch
        probs = torch.softmax(scores + mask_bias, dim=-1)
        context = torch.matmul(self.dropout(probs), v).permute(0, 2, 1, 3).flatten(2)
        return hidden + self.output(context), probs


class Layer(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.attention = SelfAttention(cfg)
        self.intermediate = nn.Linear(cfg.hidden_size, cfg.intermediate_size)
        self.output = nn.Linear(cfg.intermediate_size, cfg.hidden_size)
        self.norm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(cfg.hidden_dropout_prob)

    def forward(self, hidden, mask_bias, relative_index):
        hidden, probs = self.attention(hidden, mask_bias, relative_index)
        ff = self.output(nn.functional.gelu(self.intermediate(self.norm(hidden))))
        return hidden + self.dropout(ff), probs


class Encoder(nn.Module):
    """The part that is exported: ids -> last_hidden_state."""

    def __init__(self, cfg: Config):
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden_size, padding_idx=cfg.pad_token_id)
        self.position_embeddings = nn.Embedding(cfg.max_position_embeddings, cfg.hidden_size)
        self.token_type_embeddings = nn.Embedding(cfg.type_vocab_size, cfg.hidden_size)
        self.embed_norm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.layers = nn.ModuleList(Layer(cfg) for _ in range(cfg.num_hidden_layers))
        self.final_norm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.relative_range = cfg.relative_attention_range

    def relative_index(self, n, device):
        """Bucket of key k for query q: clip(k - q, -R-1, R+1) + R + 1, built from the (dynamic) sequence length."""
        pos = torch.arange(n, device=device)
        r = self.relative_range + 1
        # min/max rather than clamp: exports as plain Min/Max, which onnxruntime runs on int64.
        offset = torch.minimum(torch.maximum(pos[None, :] - pos[:, None], torch.tensor(-r)), torch.tensor(r))
        return offset + r

    def forward(self, input_ids, attention_mask, token_type_ids, return_attention=False):
        n = input_ids.shape[1]
        positions = torch.arange(n, device=input_ids.device).unsqueeze(0)
        hidden = self.word_embeddings(input_ids) + self.position_embeddings(positions) + self.token_type_embeddings(token_type_ids)
        hidden = self.embed_norm(hidden)
        # Same additive mask as transformers' BertModel: 0 for real tokens, float32 min for padding.
        mask_bias = (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min
        relative_index = self.relative_index(n, input_ids.device)
        attentions = []
        for layer in self.layers:
            hidden, probs = layer(hidden, mask_bias, relative_index)
            attentions.append(probs)
        hidden = self.final_norm(hidden)
        return (hidden, attentions) if return_attention else hidden


class MaskedLM(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.transform = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.transform_norm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.decoder_bias = nn.Parameter(torch.zeros(cfg.vocab_size))
        self.apply(self._init)
        self._init_positions(self.encoder.position_embeddings.weight)

    @staticmethod
    def _init_positions(weight, amplitude=0.05):
        # Sinusoidal start for the (still learned) positions: a random start left every head position-blind for
        # 1,500 steps; sinusoids let q/k maps express "the previous token" as a linear function from step one.
        n, d = weight.shape
        pos = torch.arange(n, dtype=torch.float32)[:, None]
        freq = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
        with torch.no_grad():
            weight[:, 0::2] = amplitude * torch.sin(pos * freq)
            weight[:, 1::2] = amplitude * torch.cos(pos * freq)

    @staticmethod
    def _init(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def logits(self, hidden):
        # Decoder tied to the word embeddings: no extra vocab-sized matrix to train or ship.
        h = self.transform_norm(nn.functional.gelu(self.transform(hidden)))
        return h @ self.encoder.word_embeddings.weight.t() + self.decoder_bias

    def forward(self, input_ids, attention_mask, token_type_ids, masked_positions):
        hidden = self.encoder(input_ids, attention_mask, token_type_ids)
        return self.logits(hidden[masked_positions])
