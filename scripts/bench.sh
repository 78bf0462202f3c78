#!/usr/bin/env bash
# `npm run bench [-- name…]`: runs the benchmarks (never part of `npm test`). Each one prints its
# figures against a baseline or a goal measured in the same run, and writes bench/results/<name>.*
# (git-ignored). With no arguments every bench in BENCHES runs; the exit status is non-zero when
# any of them failed or reported an invalid run.
#
# Benchmarks in NETNS_BENCHES run inside a private network namespace (scripts/netns.sh, as the
# test suite does): a LiveKit server, WebRTC participants and the agent worker, whose packets must
# stay on this machine (and rtc-node needs a non-loopback address, which the namespace gives it).
# Postgres is reached there through its Unix socket. The others run here, on 127.0.0.1.
#
# Adding a benchmark: write bench/<name>.ts (a script that exits non-zero on an invalid run) and
# add <name> to BENCHES below (and to NETNS_BENCHES if it needs the namespace).
set -euo pipefail
cd "$(dirname "$0")/.."

BENCHES=(join agent-latency compare join-to-audio turns recognition load soak)
NETNS_BENCHES=(agent-latency compare join-to-audio turns load soak)

in_netns() {
  local b
  for b in "${NETNS_BENCHES[@]}"; do [[ "$b" == "$1" ]] && return 0; done
  return 1
}

if [[ "${1:-}" == --in-netns ]]; then
  # ----- inside the namespace: one bench -----
  name="$2"
  if ! node -e "const c=new (require('pg').Client)(process.env.TEST_DATABASE_URL);c.connect().then(()=>c.end(),e=>{console.error(e.message);process.exit(1)})"; then
    echo "bench: PostgreSQL is not reachable at $TEST_DATABASE_URL (inside the namespace only its Unix socket is; NETNS_PG_SOCKET_DIR names the directory)" >&2
    exit 1
  fi
  exec npx tsx "bench/$name.ts"
fi

if [[ $# -gt 0 ]]; then
  selected=("$@")
else
  selected=("${BENCHES[@]}")
fi
need_tcp_pg=0
need_netns=0
for name in "${selected[@]}"; do
  if [[ ! -f "bench/$name.ts" ]]; then
    echo "bench: no benchmark named '$name' (known: ${BENCHES[*]})" >&2
    exit 2
  fi
  if in_netns "$name"; then need_netns=1; else need_tcp_pg=1; fi
done

if [[ ! -d node_modules ]]; then
  echo "bench: installing dependencies (npm ci)" >&2
  ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}" npm ci
fi

export BENCH_DATABASE_URL="${BENCH_DATABASE_URL:-${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}}"
if ((need_tcp_pg)) && ! node -e "const c=new (require('pg').Client)(process.env.BENCH_DATABASE_URL);c.connect().then(()=>c.end(),e=>{console.error(e.message);process.exit(1)})"; then
  echo "bench: PostgreSQL is not reachable at $BENCH_DATABASE_URL (set BENCH_DATABASE_URL)" >&2
  exit 1
fi

if ((need_netns)); then
  # The namespaced benches spawn this binary, as the e2e tests do (built once, cached).
  if ! LIVEKIT_BIN="$(bash scripts/ensure-livekit.sh | tail -n 1)" || [[ ! -x "$LIVEKIT_BIN" ]]; then
    echo "bench: no LiveKit server binary (scripts/ensure-livekit.sh failed)" >&2
    exit 1
  fi
  export LIVEKIT_BIN
  # A Unix-socket BENCH_DATABASE_URL is usable in the namespace: netns.sh keeps a socket TEST_DATABASE_URL.
  case "$BENCH_DATABASE_URL" in
    *'?host=/'* | *'&host=/'*) export TEST_DATABASE_URL="$BENCH_DATABASE_URL" ;;
    *) unset TEST_DATABASE_URL ;;  # netns.sh then uses the socket in NETNS_PG_SOCKET_DIR (/var/run/postgresql)
  esac
fi

failed=()
for name in "${selected[@]}"; do
  echo "=== bench: $name"
  # Each bench bounds its own run time; `timeout` is the last resort if one hangs anyway.
  if in_netns "$name"; then
    cmd=(bash scripts/netns.sh bash scripts/bench.sh --in-netns "$name")
  else
    cmd=(npx tsx "bench/$name.ts")
  fi
  if ! timeout --kill-after=30 1800 "${cmd[@]}"; then
    failed+=("$name")
  fi
  echo
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "bench: failed or invalid: ${failed[*]}" >&2
  exit 1
fi
echo "bench: all done (${selected[*]}); results in bench/results/"
