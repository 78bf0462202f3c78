#!/usr/bin/env bash
# `npm test`: installs what is missing, runs the whole suite on the real parts (local Postgres, a
# local LiveKit server, real processes), and prints the plain "N passed, N failed" line CI counts.
# In CI (CI=true) a skipped test fails the run: a missing dependency must never pass as green.
#
# Two phases. Outside: everything that needs the network or the registry (Debian packages, npm ci,
# building the LiveKit server once) and the type check. Inside a private network namespace
# (scripts/netns.sh): the whole vitest run, so every packet a test sends stays on this machine.
# Postgres is reached there through its Unix socket (TEST_DATABASE_URL is set by netns.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == --in-netns ]]; then
  # ----- phase 2, inside the namespace -----
  shift
  if ! node -e "const c=new (require('pg').Client)(process.env.TEST_DATABASE_URL);c.connect().then(()=>c.end(),e=>{console.error(e.message);process.exit(1)})"; then
    echo "test: PostgreSQL is not reachable at $TEST_DATABASE_URL (inside the test network namespace only its Unix socket is)" >&2
    exit 3
  fi
  exec npx vitest run --reporter=default --reporter=json --outputFile.json=.artifacts/vitest.json "$@"
fi

# ----- phase 1, outside -----
bash scripts/setup.sh --test

# The e2e tests spawn this binary; without it they fail (they never skip).
if LIVEKIT_BIN="$(bash scripts/ensure-livekit.sh | tail -n 1)" && [[ -x "$LIVEKIT_BIN" ]]; then
  export LIVEKIT_BIN
else
  echo "test: no LiveKit server binary (scripts/ensure-livekit.sh failed); the e2e tests will fail" >&2
  export LIVEKIT_BIN=""
fi

npx tsc --noEmit
# The linter and the import rules between layers (eslint.config.js), and the formatting (Prettier).
npx eslint .
npx prettier --check . --log-level warn

mkdir -p .artifacts
rm -f .artifacts/vitest.json
set +e
bash scripts/netns.sh bash scripts/test.sh --in-netns "$@"
status=$?
set -e

if [[ ! -f .artifacts/vitest.json ]]; then
  # The run never got as far as a report (no Postgres, no namespace, a crash): count it as one failure.
  echo "0 passed, 1 failed"
  exit $((status == 0 ? 1 : status))
fi

node -e '
const r = require("./.artifacts/vitest.json");
// Tests that never ran because their file failed (a beforeAll threw: no LiveKit, no espeak-ng) count as failed.
const unrun = r.testResults.filter((f) => f.status === "failed")
  .flatMap((f) => f.assertionResults).filter((a) => a.status === "pending" || a.status === "skipped").length;
const failed = r.numFailedTests + unrun + (r.success || r.numFailedTests + unrun > 0 ? 0 : 1);
const skipped = r.numPendingTests + r.numTodoTests - unrun;
console.log(`${r.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
if (process.env.CI === "true" && skipped > 0) { console.error("test: skipped tests fail the run in CI"); process.exit(1); }
if (r.numFailedTests > 0 || !r.success) process.exit(1);
' || status=1
exit $status
