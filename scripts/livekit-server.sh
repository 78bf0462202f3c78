#!/usr/bin/env bash
# Start the cached livekit-server v1.13.5 in the foreground (exec, so signals
# such as SIGTERM from a test harness reach the server directly).
#
#   scripts/livekit-server.sh [CONFIG.yaml] [extra livekit-server flags...]
#
# CONFIG defaults to <repo>/livekit.yaml. The binary comes from $LIVEKIT_BIN if
# set, else from scripts/ensure-livekit.sh (instant when cached; builds once).
# Readiness: `curl -fsS http://127.0.0.1:7880/` prints "OK".
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd -P)"

CONFIG="${1:-$REPO_ROOT/livekit.yaml}"
[[ $# -gt 0 ]] && shift
if [[ ! -f "$CONFIG" ]]; then
  echo "livekit-server.sh: config file not found: $CONFIG" >&2
  exit 1
fi

if [[ -n "${LIVEKIT_BIN:-}" ]]; then
  BIN="$LIVEKIT_BIN"
else
  BIN="$("$SCRIPT_DIR/ensure-livekit.sh" | tail -n 1)"
fi
if [[ ! -x "$BIN" ]]; then
  echo "livekit-server.sh: livekit-server binary not executable: $BIN" >&2
  exit 1
fi

# These env vars override the YAML (LIVEKIT_CONFIG even wins over --config, and a
# stray REDIS_HOST silently switches to multi-node mode), so drop them. Every
# other LIVEKIT_<CONFIG_PATH> variable (e.g. LIVEKIT_PORT) also overrides the
# file, and the server needs none of them, so drop all LIVEKIT_* too.
unset NODE_IP UDP_PORT REDIS_HOST REDIS_PASSWORD LIVEKIT_KEYS LIVEKIT_CONFIG LIVEKIT_REGION
while IFS= read -r var; do
  unset "$var"
done < <(compgen -e | grep '^LIVEKIT_' || true)

# livekit-server prints startup errors (bad YAML, unknown key, missing file) to
# stdout and still exits 0, so a caller can't rely on the exit code. Pre-parse
# the config with the `ports` subcommand (same strict loader) and fail loudly.
if ! ports_out="$("$BIN" ports --config "$CONFIG" 2>&1)" || [[ "$ports_out" != *"HTTP service"* ]]; then
  echo "livekit-server.sh: invalid config $CONFIG:" >&2
  echo "$ports_out" >&2
  exit 1
fi

exec "$BIN" --config "$CONFIG" "$@"
