#!/usr/bin/env bash
# Embed a folder of audio into a vector index (LanceDB, on disk) and search it by text and by
# example. Any mix of audio files, folders and manifests can be embedded; embedding the same
# files again replaces their rows.
#
#   AUDIO=~/sounds SPEC=models/flap-tiny.yaml CKPT=runs/flap-tiny/best.safetensors bash examples/embed-and-search.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flapc() { node "$root/bin/flapc.js" "$@"; }
: "${AUDIO:?set AUDIO to a folder of audio}" "${SPEC:?}" "${CKPT:?}"
index="${INDEX:-runs/my-sounds.lance}"

flapc run embed "$SPEC" --checkpoint "$CKPT" "$AUDIO" --index "$index"
# The index remembers its model: search needs no --spec/--checkpoint unless they moved.
flapc run search --index "$index" "${QUERY:-a dog barking}" -k 5
# Query by example, and filter with SQL on the row's columns (path, duration, captions, tags).
first="$(find "$AUDIO" -type f \( -name '*.wav' -o -name '*.flac' -o -name '*.ogg' -o -name '*.mp3' \) | sort | head -1)"
flapc run search --index "$index" --audio "$first" -k 3 --where "duration > 0.2"
flapc run search --index "$index" "${QUERY:-a dog barking}" -k 3 --json   # {"results": [{"id", "path", "score", ...}]}
