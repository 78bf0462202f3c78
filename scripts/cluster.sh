#!/usr/bin/env bash
# `npm run cluster [-- --demo [--exit]]`: the product as a cluster of separate hosts on this machine
# (scripts/cluster.ts): Redis, 2 LiveKit nodes, 2 API replicas on the local PostgreSQL, 3 agent
# workers, each in a network namespace of its own on a private LAN that no packet can leave.
# Ctrl+C stops all. The HR console of api-1 is forwarded to http://127.0.0.1:${CLUSTER_HR_PORT:-8100}/hr
# through a Unix socket (the only way into the namespace).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --cluster
LIVEKIT_BIN="$(bash scripts/ensure-livekit.sh | tail -n 1)"
export LIVEKIT_BIN
[[ -S "${NETNS_PG_SOCKET_DIR:-/var/run/postgresql}/.s.PGSQL.5432" ]] \
  || { echo "cluster: no PostgreSQL socket in ${NETNS_PG_SOCKET_DIR:-/var/run/postgresql} (the cluster runs on a real Postgres)" >&2; exit 1; }

export CLUSTER_HR_PORT="${CLUSTER_HR_PORT:-8100}"
export CLUSTER_HR_SOCKET
CLUSTER_HR_SOCKET="$(mktemp -u /tmp/ai-interviewer-cluster.XXXXXX.sock)"
# Outside the namespace: 127.0.0.1:port → the socket, which scripts/cluster.ts serves from inside.
node -e '
  const net = require("node:net");
  const [port, sock] = process.argv.slice(1);
  net.createServer((c) => {
    const u = net.connect(sock);
    const close = () => { c.destroy(); u.destroy(); };
    c.on("error", close); u.on("error", close);
    c.pipe(u).pipe(c);
  }).listen(Number(port), "127.0.0.1");
' "$CLUSTER_HR_PORT" "$CLUSTER_HR_SOCKET" &
forwarder=$!
trap 'kill $forwarder 2>/dev/null || true; rm -f "$CLUSTER_HR_SOCKET"' EXIT
bash scripts/netns.sh npx tsx scripts/cluster.ts "$@"
