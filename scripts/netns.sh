#!/usr/bin/env bash
# Run a command inside a fresh, private network namespace:
#
#   scripts/netns.sh <command> [args...]
#
# Inside: `lo` up, and a veth pair lkv0/lkv1 (10.77.0.1/24 on lkv0, both up). WebRTC clients
# (rtc-node's libwebrtc) never gather candidates on `lo`, so they need a non-loopback address;
# lkv0's is one that no packet can leave the namespace from. Nothing inside can reach the host
# network (no route out), and the namespace and the veth pair vanish with the last process in it.
#
# PostgreSQL is reached through its Unix socket (the TCP port of the outer 127.0.0.1 is not
# visible in here): TEST_DATABASE_URL is set to postgres://postgres@/postgres?host=<socket dir>
# unless it already names a socket directory (?host=/...). NETNS_PG_SOCKET_DIR changes the
# directory (default /var/run/postgresql).
#
# As root: `unshare --net`; otherwise `unshare --user --map-root-user --net` (needs unprivileged
# user namespaces; processes inside then run as a mapped root).
set -euo pipefail

die() { echo "netns.sh: $*" >&2; exit 1; }

if [[ "${1:-}" == --inside ]]; then
  shift
  # ----- inside the new namespace -----
  ip link set lo up
  ip link add lkv0 type veth peer name lkv1 || die "could not create the veth pair lkv0/lkv1"
  ip addr add 10.77.0.1/24 dev lkv0
  ip link set lkv1 up
  ip link set lkv0 up
  # Every address we hand to a client must be IPv4 we chose: no IPv6 link-local candidates.
  for dev in lkv0 lkv1; do
    echo 1 >"/proc/sys/net/ipv6/conf/$dev/disable_ipv6" 2>/dev/null || true
  done

  socket_dir="${NETNS_PG_SOCKET_DIR:-/var/run/postgresql}"
  case "${TEST_DATABASE_URL:-}" in
    *'?host=/'* | *'&host=/'*) ;;   # already a Unix-socket URL: keep it
    *)
      if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
        echo "netns.sh: TEST_DATABASE_URL ($TEST_DATABASE_URL) is TCP, unreachable in here; using the socket in $socket_dir" >&2
      fi
      export TEST_DATABASE_URL="postgres://postgres@/postgres?host=$socket_dir"
      ;;
  esac
  export NETNS_INSIDE=1
  set +e
  "$@"
  rc=$?
  set -e
  # Safety net: nothing started in here may outlive the command. Every process in this namespace is ours.
  me="$(readlink /proc/$$/ns/net)"
  leftovers=()
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    [[ "$pid" != "$$" && "$(readlink "$d/ns/net" 2>/dev/null)" == "$me" ]] && leftovers+=("$pid")
  done
  if ((${#leftovers[@]})); then
    echo "netns.sh: killing processes left behind: $(ps -o pid=,args= -p "$(IFS=,; echo "${leftovers[*]}")" 2>/dev/null | tr '\n' ';')" >&2
    kill -KILL "${leftovers[@]}" 2>/dev/null || true
  fi
  exit $rc
fi

[[ $# -gt 0 ]] || die "usage: scripts/netns.sh <command> [args...]"
command -v unshare >/dev/null 2>&1 || die "'unshare' is missing (Debian: apt-get install util-linux)"
command -v ip >/dev/null 2>&1 || die "'ip' is missing (Debian: apt-get install iproute2)"

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/$(basename "${BASH_SOURCE[0]}")"
if [[ $(id -u) -eq 0 ]]; then
  ns=(unshare --net)
else
  ns=(unshare --user --map-root-user --net)
fi
# exec: signals sent to this script (Ctrl-C, a CI timeout) reach unshare, and through it the command.
exec "${ns[@]}" -- bash "$self" --inside "$@"
