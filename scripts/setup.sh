#!/usr/bin/env bash
# Everything a fresh Debian bookworm machine needs: a WebGPU adapter (setup-gpu.sh; pass
# --swiftshader for the second Vulkan driver and the headless browser the tests use), the
# corpus tools (setup-data.sh) and, for the tests, numpy (setup-test-tools.sh).
set -euo pipefail
cd "$(dirname "$0")"
bash ./setup-gpu.sh "$@"
bash ./setup-data.sh
if [ "${1:-}" = "--swiftshader" ]; then bash ./setup-test-tools.sh; fi
