#!/usr/bin/env bash
# Everything a fresh Debian bookworm machine needs: a WebGPU adapter (setup-gpu.sh; pass
# --swiftshader for the second Vulkan driver CI tests on) and the corpus tools (setup-data.sh).
set -euo pipefail
cd "$(dirname "$0")"
bash ./setup-gpu.sh "$@"
bash ./setup-data.sh
