#!/usr/bin/env bash
# Tools that `flapc data build` runs: sox (with libsox-fmt-all for Ogg Vorbis), fluidsynth and
# espeak-ng, from Debian's archive. --no-install-recommends keeps fluidsynth from pulling in
# fluid-soundfont-gm, which is reserved for out-of-domain evaluation and never used by the corpus.
set -euo pipefail
have_tools() {
  command -v sox >/dev/null && command -v fluidsynth >/dev/null && command -v espeak-ng >/dev/null \
    && command -v dpkg-deb >/dev/null && sox -h 2>/dev/null | grep -qw vorbis
}
# The build fetches its sources with apt-get download, which needs apt's package index.
have_index() { apt-cache show --no-all-versions timgm6mb-soundfont >/dev/null 2>&1; }
if have_tools; then
  if have_index; then echo "setup-data: tools present"; exit 0; fi
  if [ "$(id -u)" = 0 ]; then apt-get update -q && have_index && { echo "setup-data: ok"; exit 0; }; fi
  echo "setup-data: apt's package index has no timgm6mb-soundfont; run apt-get update (as root)" >&2
  exit 3
fi
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  echo "setup-data: install as root: apt-get install --no-install-recommends sox libsox-fmt-all fluidsynth espeak-ng" >&2
  exit 3
fi
export DEBIAN_FRONTEND=noninteractive
pkgs="sox libsox-fmt-all fluidsynth espeak-ng"
apt-get install -y -q --no-install-recommends $pkgs || { apt-get update -q && apt-get install -y -q --no-install-recommends $pkgs; }
have_tools || { echo "setup-data: tools still missing after apt-get install" >&2; exit 3; }
have_index || apt-get update -q
echo "setup-data: ok"
