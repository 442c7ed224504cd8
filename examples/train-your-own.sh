#!/usr/bin/env bash
# Train your own FLAP variant on your own Clotho- or AudioCaps-style data, then evaluate it.
#
#   TRAIN=my-data/clotho_captions_development.csv VAL=my-data/clotho_captions_validation.csv \
#   EVAL_DATA=my-data/clotho_captions_evaluation.csv bash examples/train-your-own.sh
#
# Clotho CSVs (file_name,caption_1..caption_5, audio beside the CSV or in a folder named after the
# split), AudioCaps CSVs, JSONL manifests, WebDataset shards and folders with .txt sidecars all work.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flapc() { node "$root/bin/flapc.js" "$@"; }
: "${TRAIN:?set TRAIN to your training manifest}" "${VAL:?set VAL to a validation manifest}" "${EVAL_DATA:=$VAL}"
out="${OUT:-runs/my-flap}"
mkdir -p "$(dirname "$out")"

# 1. A variant is a few lines: extend a base spec and change only the knobs you want.
#    (BASE defaults to the tiny FLAP; models/flap.yaml is paper scale.)
spec="${out}.yaml"
cat > "$spec" <<YAML
extends: ${BASE:-$root/models/flap-tiny.yaml}
name: my-flap
hyper:
  mask_ratio: ${MASK_RATIO:-0.75}   # fraction of patch tokens dropped in each masked view
  views: 2                          # masked views contrasted with each caption
YAML

# 2. Check the data first: every bad file is named, nothing is silently dropped.
flapc data check "$TRAIN" --spec "$spec" || [ $? = 1 ]   # exit 1 = some bad items (skipped in training)

# 3. Train. Checkpoints, metrics.jsonl and run.json go to $out; best.safetensors follows
#    validation mAP@10. Ctrl-C writes a checkpoint; continue with the same command plus --resume.
flapc run train "$spec" --data "$TRAIN" --val "$VAL" --out "$out" --steps "${STEPS:-400}" \
  --val-every "${VAL_EVERY:-100}" --save-every "${SAVE_EVERY:-100}" ${RESUME:+--resume} ${OVERWRITE:+--overwrite}

# 4. Evaluate the best checkpoint on held-out data, and look at the run.
flapc run eval "$spec" --checkpoint "$out/best.safetensors" --data "$EVAL_DATA"
flapc run report "$out"
