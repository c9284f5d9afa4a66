"""Write media/model/README.md (the model card) from config.json, metrics.json and the corpus summary, so every
number in the card is the measured one. Usage: write_model_card.py <work> <model_dir>"""
import json
import os
import sys
from collections import Counter


def licence_summary(sources):
    js = Counter()
    for key, files in sources["javascript"]["licences"].items():
        js[key.split(" ")[0]] += files
    packages = len(sources["javascript"]["licences"])
    return js, packages


def params(cfg):
    h, i, v = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    embed = (v + cfg["max_position_embeddings"] + cfg["type_vocab_size"]) * h + 2 * h
    relative = cfg["num_attention_heads"] * (2 * cfg["attention_lens"]["relative_attention_range"] + 3)
    layer = 4 * (h * h + h) + (h * i + i) + (i * h + h) + 4 * h + relative
    return embed + cfg["num_hidden_layers"] * layer + 2 * h  # + the final LayerNorm


def pct(x):
    return f"{100 * x:.1f}%"


def resumes_text(resumes):
    """A bullet per resume: the budget changed there, so the schedule differs from one uninterrupted run."""
    return "".join(
        f"\n- At step {r['step']:,} the {r['previous_minutes']:g}-minute run was resumed from its checkpoint with a "
        f"{r['minutes']:g}-minute budget (the cosine, by then at its floor, restarted part-way up and decayed again)."
        for r in resumes)


def targets_line(prev, brackets):
    """The limitation that follows from the measured heads against the project targets (80% and 50%)."""
    met = [f"previous-token {pct(prev)} (target 80%)" if prev >= 0.8 else None,
           f"bracket matching {pct(brackets)} (target 50%)" if brackets >= 0.5 else None]
    missed = [f"previous-token {pct(prev)} (target 80%)" if prev < 0.8 else None,
              f"bracket matching {pct(brackets)} (target 50%)" if brackets < 0.5 else None]
    met, missed = [x for x in met if x], [x for x in missed if x]
    if not missed:
        return f"Best heads meet the project targets: {', '.join(met)}."
    return (f"Best heads short of the project targets: {', '.join(missed)}"
            + (f"; met: {', '.join(met)}" if met else "")
            + ". The loss was still falling when the budget ran out;\n  a longer run of `train.sh` (e.g. "
            "`bash scripts/train-default-model/train.sh 120`) is the way to sharper heads.")


def main():
    work, model_dir = sys.argv[1], sys.argv[2]
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    m = json.load(open(os.path.join(model_dir, "metrics.json")))
    sources = json.load(open(os.path.join(work, "sources.json")))
    onnx_bytes = os.path.getsize(os.path.join(model_dir, "onnx", "model.onnx"))
    js, packages = licence_summary(sources)
    js_text = ", ".join(f"{k} {n}" for k, n in js.most_common())
    minutes = m["training_seconds"] / 60
    prev, br, sample = m["previous_token"], m["bracket_matching"], m["heldout_sample_previous_token"]
    sample_br = m["heldout_sample_brackets"]
    rel = cfg["attention_lens"]["relative_attention_range"]
    mlm_rows = "\n".join(
        f"| masked-token top-1, held-out {part} ({v['masked_tokens']} masked tokens) | {pct(v['unigram_top1'])} | {pct(v['model_top1'])} |"
        for part, v in m["mlm"].items())
    card = f"""# Attention Lens default model

A small BERT-style encoder that Attention Lens trains itself and ships in `media/model/`, so the extension shows
real attention patterns with no download. It was trained from scratch on this project's build machine for one
purpose: heads that do recognisable things (look at the previous token, match brackets) on code and prose. It is not
a general-purpose language model.

## Files

| File | What |
|---|---|
| `onnx/model.onnx` | encoder only, fp32, opset 14, inputs `input_ids` / `attention_mask` / `token_type_ids`, output `last_hidden_state` (no attention outputs, like a Hub export; Attention Lens exposes the Softmax nodes itself). {onnx_bytes / 1e6:.2f} MB |
| `config.json` | `model_type: bert`, `BertModel` |
| `tokenizer.json`, `tokenizer_config.json`, `special_tokens_map.json` | WordPiece tokenizer, Hugging Face format |
| `metrics.json` | the held-out measurements below, per head |

## Training data

Only text that is on the build machine and free to use; one file in ten (chosen by a SHA-1 hash of its path) is
held out and never trained on.

| Source | Licence | Training characters (files) | Held-out characters |
|---|---|---|---|
| CPython 3.11 standard library (`/usr/lib/python3.11/**/*.py`) | PSF License 2.0 | {sources['python']['train_chars']:,} ({sources['python']['train_files']}) | {sources['python']['heldout_chars']:,} |
| JavaScript/TypeScript sources of {packages} npm packages in `node_modules` (≤ 60 kB each, minified files skipped) | per package.json, files: {js_text} | {sources['javascript']['train_chars']:,} ({sources['javascript']['train_files']}) | {sources['javascript']['heldout_chars']:,} |
| Debian `/usr/share/doc` READMEs / NEWS / FAQ / text docs and `/usr/share/common-licenses` | each package's free licence (see its `copyright` file); licence texts may be copied verbatim | {sources['prose']['train_chars']:,} ({sources['prose']['train_files']}) | {sources['prose']['heldout_chars']:,} |

## Tokenizer

WordPiece trained with the `tokenizers` library (Node binding 0.23.2) on the training files, pruned to
{cfg['vocab_size']:,} ids (5 specials, printable ASCII and Latin letters with and without `##`, then pieces in the
trainer's order). Cased, accents kept (`bertNormalizer` with `lowercase: false`), `BertPreTokenizer` splitting: every
punctuation character is its own token, so `(`, `)`, `[`, `]`, `{{`, `}}` are single tokens. Whitespace and
indentation are not tokens; offsets map every token back to the source text. Specials `[PAD]=0 [UNK]=1 [CLS]=2
[SEP]=3 [MASK]=4`, BERT post-processor (`[CLS] … [SEP]`).

## Architecture

| | |
|---|---|
| Type | BERT-style encoder with an added relative position bias: Hugging Face `BertSelfAttention` math (q·kᵀ/√d + mask → softmax → ·v) plus a learned per-head bias on the scores before the mask; pre-LayerNorm (LayerNorm before attention and feed-forward, one after the last layer; post-LN sat on a uniform-attention plateau in a first try), GELU |
| Layers × heads | {cfg['num_hidden_layers']} × {cfg['num_attention_heads']} (head size {cfg['hidden_size'] // cfg['num_attention_heads']}) |
| Hidden / feed-forward | {cfg['hidden_size']} / {cfg['intermediate_size']} |
| Positions | learned absolute, {cfg['max_position_embeddings']}, plus a learned relative bias per layer and head: one value per key offset −{rel}…+{rel} from the query, one shared value for every key farther left and one for every key farther right ({2 * rel + 3} values; T5/DeBERTa-style, computed from the actual sequence length in the graph) |
| Vocabulary | {cfg['vocab_size']:,} |
| Parameters (exported encoder) | {params(cfg):,} |
| ONNX size | {onnx_bytes:,} bytes (fp32) |

Pre-training head: masked-language model (dense + GELU + LayerNorm, decoder tied to the word embeddings); it is not
exported.

## Training

- Objective: masked-language modelling, 15% of tokens (30% of bracket tokens, whose prediction needs their partner),
  80/10/10 mask/random/keep.
- {m['training_steps']:,} steps in {minutes:.0f} minutes on 2 shared cores of an Intel Xeon @ 2.80 GHz (CPU only,
  PyTorch 1.13, 2 threads, other jobs sharing the cores). AdamW (lr {m['training_lr']:g}, betas 0.9/0.98, weight decay 0.01), 200 warm-up steps, then cosine decay to
  a tenth of it over the wall-time budget; gradients clipped at 1.0; no dropout. Batches: 32 windows of 64 tokens; every
  10th step 2 windows of 512 tokens so all 512 positions are trained.
- Position embeddings are learned but start as scaled sinusoids (amplitude 0.05); relative biases start at 0 and
  have no weight decay. Earlier tries on the same data without the relative bias: post-LN with random positions
  (1,500 steps) and pre-LN with random positions (600 steps) stayed on a bag-of-words plateau (loss ≈ 5.4, every
  head near-uniform); pre-LN with sinusoid-initialised positions spent ~1,400 steps there and after 4,872 steps
  (36 minutes) reached 13.3% masked-token top-1 but only 16.4% previous-token and 5.3% bracket matching (best heads).
  The relative bias lets a head express "the previous token" with one parameter.{resumes_text(m.get('training_resumes', []))}

## Evaluation (held-out files only)

Windows of up to 128 tokens (`[CLS]` + 126 + `[SEP]`), 500 evenly spaced windows per part. "Best head" is the best of
the {cfg['num_hidden_layers'] * cfg['num_attention_heads']} heads; a head scores a token when its strongest key is the expected one.

| Measure | Unigram baseline | This model |
|---|---|---|
{mlm_rows}
| masked-token top-1, all held-out | {pct(m['mlm_all']['unigram_top1'])} | {pct(m['mlm_all']['model_top1'])} |
| previous-token score, best head (layer {prev['layer']}, head {prev['head']}; {prev['queries']:,} tokens, specials excluded) | – | {pct(prev['best'])} |
| bracket matching, best head (layer {br['layer']}, head {br['head']}; {br['closing_brackets']:,} closing brackets in held-out code) | – | {pct(br['best'])} |
| previous-token score on `media/samples/heldout-sample.py` ({sample['tokens']} tokens), best head (layer {sample['layer']}, head {sample['head']}) | – | {pct(sample['best'])} |
| bracket matching on `media/samples/heldout-sample.py` ({sample_br['pairs']} pairs), best head (layer {sample_br['layer']}, head {sample_br['head']}) | – | {pct(sample_br['best'])} |

Because of the relative bias, `transformers`' own `BertModel` cannot load these weights; the ONNX graph is the model
(Attention Lens only runs the ONNX).

The unigram baseline always predicts the most frequent training token (`{m['unigram_token']}`). Layers and heads count
from 0. Reproduce the numbers (needs the corpus work folder from a training run):

```
cd scripts/train-default-model && /usr/bin/python3 evaluate.py /tmp/attention-lens-train ../../media/model
```

`test/unit/model/` checks the shipped ONNX through the Attention Lens engine against the held-out sample scores.

## Reproduce

```
bash scripts/train-default-model/train.sh        # corpus, tokenizer, {minutes:.0f}-minute training, export, check, evaluation, this card
```

The corpus is built deterministically (sorted file lists, hash split, fixed caps, fixed seeds), but the files on
another machine differ, the step count follows wall time, and the `tokenizers` WordPiece trainer numbers `##` pieces
in hash-map order, so a rerun gives a comparable model, not these exact bytes. CI never trains.

## Limitations

- {targets_line(prev['best'], br['best'])}
- Tiny and briefly trained: its masked-token predictions are far from a real code model; use it to see what
  attention heads do, not for predictions.
- Trained on Python, JavaScript/TypeScript and English technical prose only; other languages and natural languages
  mostly fall apart into short pieces.
- Held-out JavaScript can have near-copies in training (packages ship the same code as `esm/`, `commonjs/` and
  `browser/` builds), so JavaScript scores may be optimistic; Python and prose files are distinct files.
- Whitespace is not tokenized, so no head can attend to indentation itself.
- Most training windows are 64 tokens; long selections (up to 512 tokens) work but saw fewer updates.
"""
    with open(os.path.join(model_dir, "README.md"), "w") as f:
        f.write(card)
    print(f"wrote {os.path.join(model_dir, 'README.md')}")


if __name__ == "__main__":
    main()
