#!/usr/bin/env bash
# Hash the compiled plan of every model (training and evaluation steps, baseline and adapter
# limits): the oracle for refactors that must not change what the compiler emits. Run it before
# and after, then compare: `bash tools/plan-hashes.sh /tmp/before` ... `diff -r /tmp/before /tmp/after`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: tools/plan-hashes.sh OUTDIR}
mkdir -p "$out"
for m in models/*.yaml runtime/exec/fixtures/micro-flap.yaml; do
  n=$(basename "$m" .yaml)
  for g in train eval; do for t in baseline adapter; do
    ./bin/flapc.js compile "$m" --target $t --emit plan --graph $g 2>/dev/null | sha256sum | cut -c1-16 > "$out/$n-$g-$t.sha" &
  done; done
  wait
done
cat "$out"/*.sha | sha256sum
