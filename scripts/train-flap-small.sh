#!/usr/bin/env bash
# Reproduces the shipped model, models/flap-small.safetensors: build the full offline corpus,
# augment its training captions with the clips' tags, train flap-small on it (resumable: run this
# again after an interruption and it continues where the last checkpoint left off), evaluate the
# best checkpoint on the test split, and write the F16 weights beside the spec.
# OUT (default runs/flap-small) is the run folder; FLAPC_CORPUS (default corpus/full) the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/flapc-xdg-$(id -u)}"
corpus="${FLAPC_CORPUS:-corpus/full}"
out="${OUT:-runs/flap-small}"
spec=models/flap-small.yaml
./bin/flapc.js data build --out "$corpus" --size full
./bin/flapc.js data augment "$corpus/clotho_captions_train.csv" --tags "$corpus/tags.jsonl" --out "$corpus/train-augmented.jsonl"
./bin/flapc.js tune --if-missing
# Continue a run that has a checkpoint and has not reached its last step; start one otherwise.
state=$(node -e "
  const fs = require('node:fs'); const p = process.argv[1];
  if (!fs.existsSync(p)) { console.log('new'); process.exit(0); }
  const b = fs.readFileSync(p); const h = JSON.parse(b.subarray(8, 8 + Number(b.readBigUInt64LE(0))).toString()).__metadata__;
  console.log(Number(h.step) >= Number(h.total_steps) ? 'done' : 'resume');" "$out/last.safetensors")
case "$state" in
  new) ./bin/flapc.js run train "$spec" --data "$corpus/train-augmented.jsonl" --val "$corpus/clotho_captions_val.csv" --val-every 250 --save-every 100 --out "$out" ;;
  resume) ./bin/flapc.js run train "$spec" --val-every 250 --save-every 100 --out "$out" --resume ;;
  done) echo "$out already finished its steps" ;;
esac
./bin/flapc.js run eval "$spec" --checkpoint "$out/best.safetensors" --data "$corpus/clotho_captions_test.csv" --json > "$out/test.json"
./bin/flapc.js run eval "$spec" --checkpoint "$out/best.safetensors" --data "$corpus/clotho_captions_test.csv"
node --import tsx tools/ship-model.ts "$spec" "$out/best.safetensors" --metrics "$out/test.json" --command "bash scripts/train-flap-small.sh"
