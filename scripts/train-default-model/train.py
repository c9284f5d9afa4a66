"""Train the bundled masked-language model on <work>/train.bin (uint16 ids from train_tokenizer.js).

Usage: train.py <work> <model_dir> --minutes M
The learning-rate schedule follows wall time (warmup, then cosine over M minutes), so the step count depends on the
machine; the log and the model card record it.
Checkpoints to <work>/ckpt.pt every 200 steps and resumes from it, so a killed run loses little.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch

from model import Config, MaskedLM

SEQ, BATCH = 64, 32  # short windows: most bracket pairs fit, and two shared cores stay fast
LONG_SEQ, LONG_BATCH, LONG_EVERY = 512, 2, 10  # every 10th step trains positions up to 512
MASK_RATE, BRACKET_MASK_RATE = 0.15, 0.30  # brackets masked more often: predicting them needs their partner


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("work")
    p.add_argument("model_dir")
    p.add_argument("--minutes", type=float, default=36.0)
    p.add_argument("--lr", type=float, default=1.5e-3)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--seed", type=int, default=1234)
    return p.parse_args()


def special_ids(model_dir):
    vocab = json.load(open(os.path.join(model_dir, "tokenizer.json")))["model"]["vocab"]
    specials = {t: vocab[t] for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")}
    brackets = [vocab[b] for b in "()[]{}"]
    return specials, brackets, len(vocab)


def batch_of(stream, rng, batch, seq, sp, brackets, vocab_size):
    starts = rng.integers(0, len(stream) - seq, size=batch)
    body = np.stack([stream[s:s + seq - 2] for s in starts]).astype(np.int64)
    ids = np.concatenate([np.full((batch, 1), sp["[CLS]"]), body, np.full((batch, 1), sp["[SEP]"])], axis=1)
    rate = np.where(np.isin(ids, brackets), BRACKET_MASK_RATE, MASK_RATE)
    chosen = (rng.random(ids.shape) < rate) & (ids != sp["[CLS]"]) & (ids != sp["[SEP]"])
    targets = ids[chosen]
    roll = rng.random(ids.shape)
    inputs = ids.copy()
    inputs[chosen & (roll < 0.8)] = sp["[MASK]"]
    randoms = chosen & (roll >= 0.8) & (roll < 0.9)
    inputs[randoms] = rng.integers(5, vocab_size, size=int(randoms.sum()))
    return (torch.from_numpy(inputs), torch.from_numpy(chosen), torch.from_numpy(targets))


def lr_at(step, elapsed, args):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = elapsed / (args.minutes * 60)
    return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def save(model, opt, step, elapsed, cfg, args, ckpt_path, resumes):
    state = {"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "elapsed": elapsed,
             "config": cfg.to_dict(), "args": vars(args), "resumes": resumes}
    torch.save(state, ckpt_path + ".tmp")  # atomic replace: a kill mid-write keeps the previous checkpoint
    os.replace(ckpt_path + ".tmp", ckpt_path)


def main():
    args = parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    sp, brackets, vocab_size = special_ids(args.model_dir)
    stream = np.fromfile(os.path.join(args.work, "train.bin"), dtype=np.uint16)
    cfg = Config(vocab_size=vocab_size, pad_token_id=sp["[PAD]"])
    model = MaskedLM(cfg)
    # Relative position biases are per-head scalars like LayerNorm gains: no weight decay pulling them to zero.
    decay = [p for n, p in model.named_parameters() if p.dim() > 1 and "relative_bias" not in n]
    no_decay = [p for n, p in model.named_parameters() if p.dim() <= 1 or "relative_bias" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98), eps=1e-6)
    ckpt_path = os.path.join(args.work, "ckpt.pt")
    step, elapsed, resumes = 0, 0.0, []
    rng = np.random.default_rng(args.seed)
    if os.path.exists(ckpt_path):
        ckpt = torch.load(ckpt_path)
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["opt"])
        step, elapsed = ckpt["step"], ckpt["elapsed"]
        # The model card says when a run was resumed with a different budget (the cosine then restarts higher).
        resumes = ckpt.get("resumes", []) + [{"step": step, "minutes": args.minutes,
                                              "previous_minutes": ckpt["args"]["minutes"]}]
        rng = np.random.default_rng(args.seed + step)
        print(f"resumed at step {step}", flush=True)
    model.train()
    t0 = time.time() - elapsed
    loss_avg = None
    while time.time() - t0 < args.minutes * 60:
        long = step % LONG_EVERY == LONG_EVERY - 1
        inputs, chosen, targets = batch_of(stream, rng, LONG_BATCH if long else BATCH, LONG_SEQ if long else SEQ,
                                           sp, brackets, vocab_size)
        for group in opt.param_groups:
            group["lr"] = lr_at(step, time.time() - t0, args)
        logits = model(inputs, torch.ones_like(inputs), torch.zeros_like(inputs), chosen)
        loss = torch.nn.functional.cross_entropy(logits, targets)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        loss_avg = loss.item() if loss_avg is None else 0.98 * loss_avg + 0.02 * loss.item()
        if step % 25 == 0:
            print(f"step {step} loss {loss_avg:.3f} lr {opt.param_groups[0]['lr']:.2e} elapsed {time.time() - t0:.0f}s", flush=True)
        if step % 200 == 0:
            save(model, opt, step, time.time() - t0, cfg, args, ckpt_path, resumes)
    save(model, opt, step, time.time() - t0, cfg, args, ckpt_path, resumes)
    print(f"done: {step} steps in {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
