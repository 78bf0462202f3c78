#!/usr/bin/env bash
# Installs what the product and its tests need on a fresh Debian machine, and skips what is there:
# Debian packages (offline speech), npm dependencies (from the lock file). Idempotent.
# Usage: scripts/setup.sh            (product)
#        scripts/setup.sh --cluster  (also Redis, for npm run cluster)
#        scripts/setup.sh --test     (also what the test suite needs)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "setup: $*" >&2; }

# flite speaks English and espeak-ng the other languages, pocketsphinx listens: the offline speech
# providers (no keys needed).
packages=(flite espeak-ng pocketsphinx pocketsphinx-en-us sox)
# The browser tests drive Debian's Chromium (playwright-core cannot download a browser here); the
# turn-taking benchmark plays real human speech (LibriVox clips, transcribed telephone prompts).
[[ "${1:-}" == --test ]] && packages+=(chromium pocketsphinx-testdata asterisk-core-sounds-en-wav)
# The cluster (npm run cluster, its test and the load bench) starts a Redis of its own for LiveKit.
[[ "${1:-}" == --test || "${1:-}" == --cluster ]] && packages+=(redis-server)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  else
    log "missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})"
    [[ -n "${1:-}" ]] && exit 1
  fi
fi

# npm ci when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm dependencies"
  # onnxruntime-node (Silero VAD) would try to download CUDA files in its postinstall.
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund >&2
fi

# The web pages (web/dist, git-ignored): built when missing or older than any of their sources.
if [[ ! -f web/dist/candidate.html || ! -f web/dist/hr.html ]] \
  || [[ -n "$(find web/src web/build.ts package-lock.json -newer web/dist/candidate.html -print -quit)" ]]; then
  log "building the web pages"
  npx tsx web/build.ts >&2
fi
