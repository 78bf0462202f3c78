#!/usr/bin/env bash
# `npm run bench [-- name…]`: runs the benchmarks (never part of `npm test`). Each one prints its
# figures as ratios against a baseline measured in the same run, and writes bench/results/<name>.*
# (git-ignored). With no arguments every bench in BENCHES runs; the exit status is non-zero when
# any of them failed or reported an invalid run.
#
# Adding a benchmark: write bench/<name>.ts (a script that exits non-zero on an invalid run) and
# add <name> to BENCHES below.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCHES=(join)

if [[ $# -gt 0 ]]; then
  selected=("$@")
else
  selected=("${BENCHES[@]}")
fi
for name in "${selected[@]}"; do
  if [[ ! -f "bench/$name.ts" ]]; then
    echo "bench: no benchmark named '$name' (known: ${BENCHES[*]})" >&2
    exit 2
  fi
done

if [[ ! -d node_modules ]]; then
  echo "bench: installing dependencies (npm ci)" >&2
  ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}" npm ci
fi

export BENCH_DATABASE_URL="${BENCH_DATABASE_URL:-${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}}"
if ! node -e "const c=new (require('pg').Client)(process.env.BENCH_DATABASE_URL);c.connect().then(()=>c.end(),e=>{console.error(e.message);process.exit(1)})"; then
  echo "bench: PostgreSQL is not reachable at $BENCH_DATABASE_URL (set BENCH_DATABASE_URL)" >&2
  exit 1
fi

failed=()
for name in "${selected[@]}"; do
  echo "=== bench: $name"
  # Each bench bounds its own run time; `timeout` is the last resort if one hangs anyway.
  if ! timeout --kill-after=30 1800 npx tsx "bench/$name.ts"; then
    failed+=("$name")
  fi
  echo
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "bench: failed or invalid: ${failed[*]}" >&2
  exit 1
fi
echo "bench: all done (${selected[*]}); results in bench/results/"
