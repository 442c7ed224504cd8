#!/usr/bin/env bash
# Evaluate two checkpoints on the same data and print them side by side.
#
#   SPEC_A=models/flap-tiny.yaml CKPT_A=runs/flap-tiny/best.safetensors \
#   SPEC_B=models/clap-tiny.yaml CKPT_B=runs/clap-tiny/best.safetensors \
#   EVAL_DATA=corpus/small/clotho_captions_test.csv bash examples/compare-checkpoints.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flapc() { node "$root/bin/flapc.js" "$@"; }
: "${SPEC_A:?}" "${CKPT_A:?}" "${CKPT_B:?}" "${EVAL_DATA:?}"
SPEC_B="${SPEC_B:-$SPEC_A}"   # two checkpoints of one spec, or of two specs
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

# --json prints {"a2t": {...}, "t2a": {...}, "clips", "captions", "bad"} with recalls as fractions.
flapc run eval "$SPEC_A" --checkpoint "$CKPT_A" --data "$EVAL_DATA" --json > "$tmp/a.json"
flapc run eval "$SPEC_B" --checkpoint "$CKPT_B" --data "$EVAL_DATA" --json > "$tmp/b.json"

node --input-type=module - "$tmp/a.json" "$tmp/b.json" "$CKPT_A" "$CKPT_B" <<'JS'
import { readFileSync } from 'node:fs';
const [a, b] = process.argv.slice(2, 4).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const [na, nb] = process.argv.slice(4, 6);
console.log(`${'metric'.padEnd(12)} ${'A'.padStart(8)} ${'B'.padStart(8)}  (A = ${na}, B = ${nb}; ${a.clips} clips, ${a.captions} captions)`);
for (const dir of ['a2t', 't2a']) for (const k of ['r1', 'r5', 'r10', 'map10']) {
  const f = (x) => (100 * x).toFixed(1).padStart(8);
  console.log(`${`${dir} ${k}`.padEnd(12)} ${f(a[dir][k])} ${f(b[dir][k])}`);
}
JS
