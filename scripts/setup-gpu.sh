#!/usr/bin/env bash
# Make a fresh Debian bookworm machine run WebGPU on the CPU: Dawn refuses bookworm's
# Mesa 22.3, so install lavapipe (mesa-vulkan-drivers >= 25) from bookworm-backports.
# With --swiftshader also install Debian's chromium, whose SwiftShader ICD is a second,
# independent Vulkan implementation used for portability tests.
set -euo pipefail
want_swiftshader=0
[ "${1:-}" = "--swiftshader" ] && want_swiftshader=1
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/flapc-xdg-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

have_adapter() { node --input-type=module -e "
  const { create, globals } = await import('webgpu'); Object.assign(globalThis, globals);
  const a = await create([]).requestAdapter(); process.exit(a ? 0 : 1);" >/dev/null 2>&1; }

need_apt=0
if ! have_adapter; then need_apt=1; fi
if [ $want_swiftshader = 1 ] && [ ! -f /usr/lib/chromium/vk_swiftshader_icd.json ]; then need_apt=1; fi
[ $need_apt = 0 ] && { echo "setup-gpu: adapter present"; exit 0; }

if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  echo "setup-gpu: no WebGPU adapter and cannot use apt-get as root; install a Vulkan driver (Mesa >= 25 lavapipe)" >&2
  exit 3
fi
if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
  printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    > /etc/apt/sources.list.d/flapc-backports.sources
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
if ! have_adapter; then apt-get install -y -q -t bookworm-backports mesa-vulkan-drivers; fi
if [ $want_swiftshader = 1 ] && [ ! -f /usr/lib/chromium/vk_swiftshader_icd.json ]; then apt-get install -y -q chromium; fi
have_adapter || { echo "setup-gpu: still no adapter after installing Mesa" >&2; exit 3; }
echo "setup-gpu: ok"
