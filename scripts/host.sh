#!/usr/bin/env bash
# Run a command as a machine of its own on a private LAN:
#
#   scripts/host.sh <bridge> <address>/<prefix> <command> [args...]
#
# The command gets a network namespace of its own whose one interface, eth0 (<address>), is a veth
# plugged into <bridge> of the caller's namespace: processes on different hosts reach each other
# only through the bridge, by address, as separate machines do. Run it inside scripts/netns.sh's
# namespace (the bridge lives there, so no packet can leave). The command keeps this script's pid
# (everything is exec'd), so a signal sent to it reaches the command itself; the namespace and its
# veth vanish with the last process in it.
set -euo pipefail

die() { echo "host.sh: $*" >&2; exit 1; }

if [[ "${1:-}" == --inside ]]; then
  # ----- inside the new namespace: wait for the veth end, then configure and run -----
  peer="$2" address="$3"
  shift 3
  for _ in $(seq 1 500); do
    ip link show "$peer" >/dev/null 2>&1 && break
    sleep 0.01
  done
  ip link show "$peer" >/dev/null 2>&1 || die "the interface $peer never arrived in the namespace"
  ip link set "$peer" name eth0
  echo 1 >/proc/sys/net/ipv6/conf/eth0/disable_ipv6 2>/dev/null || true
  ip addr add "$address" dev eth0
  ip link set lo up
  ip link set eth0 up
  exec "$@"
fi

[[ $# -ge 3 ]] || die "usage: scripts/host.sh <bridge> <address>/<prefix> <command> [args...]"
bridge="$1" address="$2"
shift 2
[[ "${NETNS_INSIDE:-}" == 1 ]] || die "run it inside scripts/netns.sh (the bridge must be in a private namespace)"
ip link show "$bridge" >/dev/null 2>&1 || die "no bridge $bridge in this namespace"
[[ "$address" =~ ^[0-9]+\.[0-9]+\.([0-9]+)\.([0-9]+)/[0-9]+$ ]] || die "address must be IPv4 with a prefix, e.g. 10.78.0.11/24"
id="${BASH_REMATCH[1]}x${BASH_REMATCH[2]}"
veth="lkh$id" peer="lkp$id"
ip link del "$veth" 2>/dev/null || true # a host of this address that died without cleaning up
ip link add "$veth" type veth peer name "$peer"
ip link set "$veth" master "$bridge"
ip link set "$veth" up

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/$(basename "${BASH_SOURCE[0]}")"
me="$(readlink /proc/$$/ns/net)"
# Once this pid is in its new namespace (the exec below), move the peer end into it.
(
  for _ in $(seq 1 500); do
    if [[ "$(readlink /proc/$$/ns/net 2>/dev/null)" != "$me" ]]; then
      ip link set "$peer" netns "$$" && exit 0
    fi
    sleep 0.01
  done
  echo "host.sh: the namespace of $address never appeared" >&2
) &
exec unshare --net -- bash "$self" --inside "$peer" "$address" "$@"
