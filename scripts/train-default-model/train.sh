#!/usr/bin/env bash
# Rebuild the bundled default model (media/model) from scratch: corpus -> tokenizer -> training -> ONNX -> check ->
# held-out evaluation. CPU only (2 threads); about 50 minutes. CI never runs this.
# Usage: bash scripts/train-default-model/train.sh [minutes of training, default 44]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${ATTENTION_LENS_TRAIN_DIR:-/tmp/attention-lens-train}"
minutes="${1:-44}"
py=/usr/bin/python3  # Debian python3-torch / python3-onnx live here, not in the python3 on PATH
export OMP_WAIT_POLICY=PASSIVE  # shared cores: sleep instead of spinning while waiting for the other thread

rm -f "$work/ckpt.pt"
"$py" "$here/build_corpus.py" "$work"
"$py" "$here/write_samples.py" "$work" "$root/media/samples"
node "$here/train_tokenizer.js" "$work" "$root/media/model"
node "$here/tokenize_heldout.js" "$work" "$root/media/model" "$root/media/samples"
(cd "$here" && "$py" train.py "$work" "$root/media/model" --minutes "$minutes" | tee "$work/train.log")
(cd "$here" && "$py" export.py "$work" "$root/media/model")
node "$here/check_onnx.js" "$work" "$root/media/model"
(cd "$here" && "$py" evaluate.py "$work" "$root/media/model")
"$py" "$here/write_model_card.py" "$work" "$root/media/model"
