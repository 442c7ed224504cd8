#!/usr/bin/env bash
# The main job on the built-in default: build the small offline corpus from Debian packages
# (cached, resumable), augment its captions with the clips' event tags (offline rules), train
# flap-small's recipe on it on the WebGPU adapter (models/flap-small-quick.yaml: validating as it
# goes, keeping the best checkpoint), evaluate the best checkpoint on the held-out test split and
# write the run's HTML report. STEPS (default: the spec's 2400) sets the training length; OUT
# (default runs/quickstart) the run folder.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/flapc-xdg-$(id -u)}"
corpus="${FLAPC_CORPUS:-corpus/small}"
out="${OUT:-runs/quickstart}"
spec=models/flap-small-quick.yaml
./bin/flapc.js data build --out "$corpus" --size small
./bin/flapc.js data augment "$corpus/clotho_captions_train.csv" --tags "$corpus/tags.jsonl" --out "$corpus/train-augmented.jsonl"
# Pick the matmul variants for this adapter once (~30 s, cached): ~1.2x faster steps on lavapipe.
./bin/flapc.js tune --if-missing
# A fresh run each time (--overwrite); an interrupted one continues with the same line plus --resume.
./bin/flapc.js run train "$spec" --data "$corpus/train-augmented.jsonl" --val "$corpus/clotho_captions_val.csv" \
  ${STEPS:+--steps "$STEPS"} --val-every 200 --out "$out" --overwrite
echo "== retrieval of the best checkpoint on the held-out test split =="
./bin/flapc.js run eval "$spec" --checkpoint "$out/best.safetensors" --data "$corpus/clotho_captions_test.csv"
report="$(./bin/flapc.js run report "$out")"
echo "report: $report (open it in a browser; it works offline)"
