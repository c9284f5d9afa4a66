"""Measure the bundled model on held-out files (never trained on) and write <model_dir>/metrics.json.

Usage: evaluate.py <work> <model_dir>
- masked-token top-1 accuracy (15% of non-special tokens replaced by [MASK], fixed seed) vs a unigram baseline
  that always predicts the most frequent training token;
- best head's previous-token score: share of non-special queries (previous token also non-special) whose strongest
  key is the previous token;
- best head's bracket score on held-out code: share of closing ), ], } whose strongest key is the matching opener.
Windows are 128 tokens ([CLS] + 126 + [SEP]), 500 evenly spaced per part.
"""
import json
import os
import sys

import numpy as np
import torch

from export import load

WINDOW = 126
BATCH = 25
MAX_WINDOWS = 500  # per part: enough for stable numbers, short enough to rerun in a minute or two
PAIRS = {")": "(", "]": "[", "}": "{"}


def windows(docs):
    # Full-length windows only, so they batch without padding.
    every = [(doc["ids"][s:s + WINDOW], doc["tokens"][s:s + WINDOW])
             for doc in docs for s in range(0, len(doc["ids"]) - WINDOW + 1, WINDOW)]
    # Evenly spaced windows so every held-out file type (Python, JavaScript, prose) is represented.
    step = max(1, len(every) // MAX_WINDOWS)
    return every[::step][:MAX_WINDOWS]


def bracket_pairs(tokens):
    """(closer, opener) positions inside the window, for properly nested brackets only."""
    stack, pairs = [], []
    for i, t in enumerate(tokens):
        if t in ("(", "[", "{"):
            stack.append((t, i))
        elif t in PAIRS:
            if stack and stack[-1][0] == PAIRS[t]:
                pairs.append((i, stack.pop()[1]))
            else:
                stack.clear()  # mismatched (string content, cut window): stop trusting the stack
    return pairs


def evaluate(model, sp, docs_by_part, unigram_id):
    rng = np.random.default_rng(0)
    heads = model.cfg.num_hidden_layers * model.cfg.num_attention_heads
    stats = {"mlm": {}, "prev_hits": np.zeros(heads), "prev_total": 0, "br_hits": np.zeros(heads), "br_total": 0}
    n = WINDOW + 2
    q = torch.arange(2, n - 1)  # queries whose own and previous token are real tokens
    for part, docs in docs_by_part.items():
        correct = baseline = total = 0
        wins = windows(docs)
        for b in range(0, len(wins), BATCH):
            batch = wins[b:b + BATCH]
            full = torch.tensor([[sp["[CLS]"], *ids, sp["[SEP]"]] for ids, _ in batch])
            ones, zeros = torch.ones_like(full), torch.zeros_like(full)
            chosen = torch.from_numpy(rng.random(full.shape) < 0.15)
            chosen[:, 0] = chosen[:, -1] = False
            masked = full.clone()
            masked[chosen] = sp["[MASK]"]
            with torch.no_grad():
                _, atts = model.encoder(full, ones, zeros, return_attention=True)
                argmax = torch.stack(atts, 1).flatten(1, 2).argmax(-1)  # [window, layer*head, query]
                predicted = model.logits(model.encoder(masked, ones, zeros)[chosen]).argmax(-1)
            targets = full[chosen]
            correct += int((predicted == targets).sum())
            baseline += int((targets == unigram_id).sum())
            total += int(chosen.sum())
            stats["prev_hits"] += (argmax[:, :, q] == (q - 1)).sum((0, 2)).numpy()
            stats["prev_total"] += len(q) * len(batch)
            if part == "code":
                for w, (_, toks) in enumerate(batch):
                    for closer, opener in bracket_pairs(toks):
                        stats["br_hits"] += (argmax[w, :, closer + 1] == opener + 1).numpy()
                        stats["br_total"] += 1
        stats["mlm"][part] = {"masked_tokens": total, "model_top1": correct / total, "unigram_top1": baseline / total}
    return stats


def sample_scores(model, sample):
    """Per-head previous-token and bracket scores on the bundled held-out sample, computed exactly as the unit test
    and `attention-lens demo` do (brackets: src/demo.ts bracketPairs; specials are never brackets)."""
    ids = torch.tensor([sample["ids"]])
    special = sample["special"]
    with torch.no_grad():
        _, atts = model.encoder(ids, torch.ones_like(ids), torch.zeros_like(ids), return_attention=True)
    argmax = torch.cat([a[0] for a in atts]).argmax(-1)
    q = torch.tensor([i for i in range(1, len(special)) if not special[i] and not special[i - 1]])
    prev = ((argmax[:, q] == (q - 1)).float().mean(-1)).numpy()
    pairs = bracket_pairs(sample["tokens"])
    closers, openers = torch.tensor([c for c, _ in pairs]), torch.tensor([o for _, o in pairs])
    brackets = ((argmax[:, closers] == openers).float().mean(-1)).numpy()
    return prev, brackets, len(pairs)


def main():
    work, model_dir = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)  # runs next to training on shared cores
    model, cfg, ckpt = load(work)
    vocab = json.load(open(os.path.join(model_dir, "tokenizer.json")))["model"]["vocab"]
    sp = {t: vocab[t] for t in ("[CLS]", "[SEP]", "[MASK]")}
    counts = np.bincount(np.fromfile(os.path.join(work, "train.bin"), dtype=np.uint16), minlength=cfg.vocab_size)
    counts[:5] = 0  # specials are never a masked target
    unigram_id = int(counts.argmax())
    docs = json.load(open(os.path.join(work, "heldout-tokens.json")))
    sample = docs.pop("sample")
    sample_prev, sample_br, sample_pairs = sample_scores(model, sample)
    s = evaluate(model, sp, docs, unigram_id)
    prev = s["prev_hits"] / max(1, s["prev_total"])
    br = s["br_hits"] / max(1, s["br_total"])
    heads = cfg.num_attention_heads
    inv = {v: k for k, v in vocab.items()}
    all_masked = sum(m["masked_tokens"] for m in s["mlm"].values())
    metrics = {
        "training_steps": ckpt["step"],
        "training_seconds": round(ckpt["elapsed"]),
        "training_lr": ckpt["args"]["lr"],
        "training_resumes": ckpt.get("resumes", []),
        "heldout_files": {part: len(d) for part, d in docs.items()},
        "unigram_token": inv[unigram_id],
        "mlm": s["mlm"],
        "mlm_all": {
            "model_top1": sum(m["model_top1"] * m["masked_tokens"] for m in s["mlm"].values()) / all_masked,
            "unigram_top1": sum(m["unigram_top1"] * m["masked_tokens"] for m in s["mlm"].values()) / all_masked,
        },
        "previous_token": {"best": float(prev.max()), "layer": int(prev.argmax() // heads),
                           "head": int(prev.argmax() % heads), "queries": s["prev_total"],
                           "per_head": [round(float(x), 4) for x in prev]},
        "heldout_sample_previous_token": {"file": "media/samples/heldout-sample.py", "tokens": len(sample["ids"]),
                                          "best": float(sample_prev.max()), "layer": int(sample_prev.argmax() // heads),
                                          "head": int(sample_prev.argmax() % heads)},
        "heldout_sample_brackets": {"file": "media/samples/heldout-sample.py", "pairs": sample_pairs,
                                    "best": float(sample_br.max()), "layer": int(sample_br.argmax() // heads),
                                    "head": int(sample_br.argmax() % heads)},
        "bracket_matching": {"best": float(br.max()), "layer": int(br.argmax() // heads),
                             "head": int(br.argmax() % heads), "closing_brackets": s["br_total"],
                             "per_head": [round(float(x), 4) for x in br]},
    }
    with open(os.path.join(model_dir, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    print(json.dumps({k: v for k, v in metrics.items() if k not in ("previous_token", "bracket_matching")}, indent=2))
    for key in ("previous_token", "bracket_matching"):
        m = metrics[key]
        print(f"{key}: best {m['best']:.3f} (layer {m['layer']}, head {m['head']})")


if __name__ == "__main__":
    main()
