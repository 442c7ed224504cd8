#!/usr/bin/env bash
# The main job on the built-in default: build the small offline corpus from Debian packages
# (cached, resumable), augment its captions with the clips' event tags (offline rules), train
# flap-tiny on it on the WebGPU adapter, save a checkpoint and print retrieval metrics on the
# held-out test split. STEPS (default 400) sets the training length.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/flapc-xdg-$(id -u)}"
corpus="${FLAPC_CORPUS:-corpus/small}"
./bin/flapc.js data build --out "$corpus" --size small
./bin/flapc.js data augment "$corpus/clotho_captions_train.csv" --tags "$corpus/tags.jsonl" --out "$corpus/train-augmented.jsonl"
# Pick the matmul variants for this adapter once (~30 s, cached): ~1.2x faster steps on lavapipe.
./bin/flapc.js tune --if-missing
mkdir -p runs
./bin/flapc.js run models/flap-tiny.yaml --data "$corpus/train-augmented.jsonl" --steps "${STEPS:-400}" \
  --save runs/flap-tiny.safetensors --eval "$corpus/clotho_captions_test.csv"
