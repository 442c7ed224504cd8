#!/usr/bin/env bash
# Zero-shot classification with a trained checkpoint: each label becomes the prompt
# "the sound of {label}" and each clip gets the nearest one. LABELS is a CSV with the columns
# file_name,label (paths relative to the CSV).
#
#   LABELS=my-data/labels.csv SPEC=models/flap-tiny.yaml CKPT=runs/flap-tiny/best.safetensors bash examples/zero-shot.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flapc() { node "$root/bin/flapc.js" "$@"; }
: "${LABELS:?}" "${SPEC:?}" "${CKPT:?}"
# Accuracy and a confusion table (rows: true label, columns: predicted).
flapc run eval "$SPEC" --checkpoint "$CKPT" --zero-shot "$LABELS" --prompt "${PROMPT:-the sound of {label}}"
