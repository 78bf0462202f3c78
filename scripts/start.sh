#!/usr/bin/env bash
# `npm start`: the whole product on this machine with embedded defaults and no keys: PGlite under
# .data/, a loopback-only LiveKit server (livekit.yaml), and the API. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
mkdir -p .data/logs

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if lk_bin="$(bash scripts/ensure-livekit.sh | tail -n 1)"; then
  LIVEKIT_BIN="$lk_bin" bash scripts/livekit-server.sh >.data/logs/livekit.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    curl -fsS http://127.0.0.1:7880/ >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS http://127.0.0.1:7880/ >/dev/null 2>&1 \
    && echo "LiveKit server on ws://127.0.0.1:7880 (log: .data/logs/livekit.log)" \
    || echo "LiveKit server did not start; see .data/logs/livekit.log" >&2
else
  echo "LiveKit server unavailable (needs Go to build once); the API runs without voice" >&2
fi

port="${PORT:-8000}"
cat <<BANNER
------------------------------------------------------------------
 AI interviewer
   API:        ${PUBLIC_BASE_URL:-http://localhost:$port}
   HR login:   ${ADMIN_EMAIL:-admin@example.com} / ${ADMIN_PASSWORD:-admin123}   (POST /api/auth/login/)
   Database:   ${DATABASE_URL:-embedded PGlite in .data/pglite}
   Stop:       Ctrl+C
------------------------------------------------------------------
BANNER
npx tsx api/server.ts &
pids+=($!)
wait "${pids[-1]}"
