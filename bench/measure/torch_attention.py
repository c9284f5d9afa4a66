"""(c) PyTorch eager computing the same attentions: same module, same weights, output_attentions, batch 1.

Usage: /usr/bin/python3 bench/measure/torch_attention.py <args.json> (same argument file as the Node measurements).
Thread counts come from the environment run.js sets (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS) and args["threads"].
"""
import json
import os
import re
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bert_module import BERT_BASE, BertEncoderModel  # noqa: E402


def blas_libraries():
    """The BLAS actually mapped into this process (Debian picks it through update-alternatives)."""
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower() or "lapack" in line.lower()}
    return sorted(os.path.realpath(p) for p in libs)


def main(args):
    model = BertEncoderModel(BERT_BASE).eval()
    model.load_state_dict(torch.load(args["stateFile"]))
    model.output_attentions = True
    # OpenBLAS runs the matrix products on its own pthreads (OPENBLAS_NUM_THREADS); torch's OpenMP pool runs the
    # rest. Two OpenMP threads spinning next to two OpenBLAS threads can oversubscribe 2 cores, so both intra-op
    # settings are timed, interleaved, and PyTorch is credited with the faster one.
    intra_op = sorted({args["threads"], 1}, reverse=True)
    lengths = {}
    check = None
    with torch.no_grad():
        for length, texts in args["inputs"].items():
            feeds = []
            for t in texts:
                ids = torch.tensor([t["ids"]], dtype=torch.int64)
                feeds.append((ids, torch.ones_like(ids), torch.zeros_like(ids)))
            samples = {n: [] for n in intra_op}
            for i in range(args["warmups"] + args["runs"]):
                for n in intra_op:
                    torch.set_num_threads(n)
                    t0 = time.perf_counter()
                    model(*feeds[i % len(feeds)])
                    if i >= args["warmups"]:
                        samples[n].append((time.perf_counter() - t0) * 1000)
            medians = {n: statistics.median(v) for n, v in samples.items()}
            best = min(medians, key=medians.get)
            lengths[length] = {
                "samplesMs": samples[best],
                "medianMs": medians[best],
                "intraOpThreads": best,
                "byIntraOpThreads": {str(n): {"medianMs": medians[n], "samplesMs": samples[n]} for n in intra_op},
            }
            if check is None:
                hidden, attentions = model(*feeds[0])
                check = {
                    "length": int(length),
                    "lastHiddenStateHead": hidden[0, 0, :8].tolist(),
                    "lastLayerHead0Row0": attentions[-1][0, 0, 0, :16].tolist(),
                }
    config = torch.__config__.show()
    result = {
        "torchVersion": torch.__version__,
        "threads": args["threads"],
        "interopThreads": torch.get_num_interop_threads(),
        "blas": blas_libraries(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "blasInfo": (re.search(r"BLAS_INFO=(\w+)", config) or [None, None])[1],
        "env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
        "lengths": lengths,
        "check": check,
    }
    with open(args["outFile"], "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        main(json.load(f))
