#!/usr/bin/env bash
# Ensure a cached livekit-server v1.13.5 binary exists; print its absolute path
# as the LAST line of stdout (progress goes to stderr).
#
# The binary is cached OUTSIDE the repo so repeated runs and fresh clones skip
# the (multi-minute) build. Override the location with LIVEKIT_CACHE_DIR.
# GOMODCACHE/GOCACHE are left at Go's defaults so they are reused across builds.
set -euo pipefail

LIVEKIT_VERSION="1.13.5"   # pinned: later commits add go.mod `replace` directives that break `go install`
LIVEKIT_PKG="github.com/livekit/livekit-server/cmd/server"
CACHE="${LIVEKIT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ai-interviewer/livekit-v${LIVEKIT_VERSION}}"
BIN="$CACHE/server"        # `go install .../cmd/server` names the binary "server"

log() { echo "ensure-livekit: $*" >&2; }

# Prints "livekit-server version X.Y.Z"; succeed only if it is the pinned version.
version_ok() {
  [[ -x "$1" ]] || return 1
  local out
  out="$("$1" --version 2>/dev/null)" || return 1
  [[ "$out" =~ (^|[[:space:]])v?${LIVEKIT_VERSION//./\\.}([[:space:]]|$) ]]
}

abs_path() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd -P)" "$(basename "$1")"); }

if version_ok "$BIN"; then
  abs_path "$BIN"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "ERROR: 'go' is not on PATH. Install Go >= 1.26 (https://go.dev/dl/) to build"
  log "       livekit-server v${LIVEKIT_VERSION}, or put a prebuilt binary at: $BIN"
  exit 1
fi

mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd -P)"
BIN="$CACHE/server"

# Build into a temp GOBIN inside the cache dir, then move into place atomically,
# so an interrupted build never leaves a half-written "server" behind.
TMP_BIN_DIR="$(mktemp -d "$CACHE/.build.XXXXXX")"
trap 'rm -rf "$TMP_BIN_DIR"' EXIT

log "building livekit-server v${LIVEKIT_VERSION} with $(go version) (takes a few minutes)..."
start=$SECONDS
env GOBIN="$TMP_BIN_DIR" CGO_ENABLED=0 GOFLAGS="${GOFLAGS:+$GOFLAGS }-trimpath" \
  go install "${LIVEKIT_PKG}@v${LIVEKIT_VERSION}" >&2
log "build finished in $((SECONDS - start))s"

if ! version_ok "$TMP_BIN_DIR/server"; then
  log "ERROR: built binary does not report version ${LIVEKIT_VERSION}:"
  "$TMP_BIN_DIR/server" --version >&2 || true
  exit 1
fi

mv -f "$TMP_BIN_DIR/server" "$BIN"
ln -sfn server "$CACHE/livekit-server"   # conventional name, for convenience
log "cached at $BIN ($("$BIN" --version))"
echo "$BIN"
