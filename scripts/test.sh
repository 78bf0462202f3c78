#!/usr/bin/env bash
# `npm test`: installs what is missing, runs the whole suite on the real parts (local Postgres),
# and prints the plain "N passed, N failed" line CI counts. In CI (CI=true) a skipped test fails the
# run: a missing dependency must never pass as green.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --test

export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! node -e "const c=new (require('pg').Client)(process.env.TEST_DATABASE_URL);c.connect().then(()=>c.end(),e=>{console.error(e.message);process.exit(1)})"; then
  echo "test: PostgreSQL is not reachable at $TEST_DATABASE_URL (set TEST_DATABASE_URL)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

npx tsc --noEmit

mkdir -p .artifacts
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json=.artifacts/vitest.json "$@"
status=$?
set -e

node -e '
const r = require("./.artifacts/vitest.json");
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
if (process.env.CI === "true" && skipped > 0) { console.error("test: skipped tests fail the run in CI"); process.exit(1); }
if (r.numFailedTests > 0 || !r.success) process.exit(1);
' || status=1
exit $status
