#!/usr/bin/env bash
# Tools only the test suite uses: numpy (python3-numpy from Debian) reads flapc checkpoints from
# the documented format alone, as a check that the format is what docs/checkpoints.md says.
set -euo pipefail
if python3 -c 'import numpy' >/dev/null 2>&1; then echo "setup-test-tools: numpy present"; exit 0; fi
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  echo "setup-test-tools: install python3-numpy (as root: apt-get install python3-numpy)" >&2
  exit 3
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends python3-numpy || { apt-get update -q && apt-get install -y -q --no-install-recommends python3-numpy; }
python3 -c 'import numpy' && echo "setup-test-tools: ok"
