#!/usr/bin/env bash
# `npm start`: the whole product on this machine, with embedded defaults and no keys: PGlite under
# .data/ (served on loopback so the API and the worker share it), a loopback-only LiveKit server
# (livekit.yaml), the API and the agent worker. Installs what is missing first. Ctrl+C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
mkdir -p .data/logs

pids=()
db_pid=""
cleanup() {
  trap - EXIT INT TERM
  # Users of the database first, and waited for, so none of them sees it vanish mid-query.
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ -n "$db_pid" ]]; then kill "$db_pid" 2>/dev/null || true; wait "$db_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT INT TERM

wait_for() { # name, pid, command…: gives up at once if the process died
  local name=$1 pid=$2; shift 2
  for _ in $(seq 1 150); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "start: $name exited during start-up; see .data/logs/" >&2; exit 1; }
    sleep 0.2
  done
  echo "start: $name did not come up; see .data/logs/" >&2
  exit 1
}

if [[ -z "${DATABASE_URL:-}" ]]; then
  port="${EMBEDDED_DB_PORT:-5433}"
  EMBEDDED_DB_PORT="$port" node --import tsx db/embedded-server.ts >.data/logs/database.log 2>&1 &
  db_pid=$!
  wait_for "the embedded database" "$db_pid" bash -c "echo > /dev/tcp/127.0.0.1/$port"
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  db_note="embedded PGlite in .data/pglite (served on 127.0.0.1:$port)"
else
  db_note="$DATABASE_URL"
fi

lk_bin="$(bash scripts/ensure-livekit.sh | tail -n 1)"
LIVEKIT_BIN="$lk_bin" bash scripts/livekit-server.sh >.data/logs/livekit.log 2>&1 &
pids+=($!)
wait_for "the LiveKit server" "$!" curl -fsS http://127.0.0.1:7880/

node --import tsx api/server.ts >.data/logs/api.log 2>&1 &
pids+=($!)
wait_for "the API" "$!" curl -fsS "http://127.0.0.1:${PORT:-8000}/healthz"

node --import tsx agent/main.ts start >.data/logs/agent.log 2>&1 &
pids+=($!)
wait_for "the agent worker" "$!" grep -q 'registered worker' .data/logs/agent.log

llm_note="${LLM_BASE_URL:-}"
[[ -z "$llm_note" && -n "${LLM_API_KEY:-}" ]] && llm_note="OpenAI"
[[ -z "$llm_note" ]] && llm_note="none: structured mode (planned questions, not scored)"
cat <<BANNER
------------------------------------------------------------------
 AI interviewer is running
   HR console:  ${PUBLIC_BASE_URL:-http://localhost:${PORT:-8000}}/hr
   HR login:    ${ADMIN_EMAIL:-admin@example.com} / ${ADMIN_PASSWORD:-admin123}
   API:         ${PUBLIC_BASE_URL:-http://localhost:${PORT:-8000}}/api   (README: API overview)
   LiveKit:     ws://127.0.0.1:7880
   Database:    $db_note
   LLM:         $llm_note
   Logs:        .data/logs/
   Stop:        Ctrl+C
------------------------------------------------------------------
BANNER
wait -n "${pids[@]}" ${db_pid:+"$db_pid"}
echo "start: a process exited; stopping the rest (see .data/logs/)" >&2
