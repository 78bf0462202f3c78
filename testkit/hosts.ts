// Separate "machines" on one box, for the cluster (testkit/cluster.ts): a bridge in the test's
// network namespace (scripts/netns.sh) is the LAN, and each process runs through scripts/host.sh
// in a namespace of its own with one address on it. Nothing on the LAN can reach anything else.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { insideTestNetns, REPO_ROOT } from './process.js';

export const LAN = { bridge: 'lkbr0', subnet: '10.78.0', prefix: 24 } as const;

/** This namespace's own address on the LAN (the test runner and its synthetic candidates). */
export const LAN_GATEWAY = `${LAN.subnet}.1`;

export const lanAddress = (host: number) => `${LAN.subnet}.${host}`;

/** The bridge with the gateway address, once per namespace; only inside scripts/netns.sh. */
export function createLan(): void {
  if (!insideTestNetns())
    throw new Error('the cluster LAN is made only inside scripts/netns.sh (run it through npm test or npm run cluster)');
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    ip('link', 'show', LAN.bridge);
    return;
  } catch {
    /* not there yet */
  }
  ip('link', 'add', LAN.bridge, 'type', 'bridge');
  ip('addr', 'add', `${LAN_GATEWAY}/${LAN.prefix}`, 'dev', LAN.bridge);
  ip('link', 'set', LAN.bridge, 'up');
}

/** `command args` run as the LAN host `address` (for spawnManaged: the pid stays the command's). */
export function onHost(address: string, command: string, args: string[]): { command: string; args: string[] } {
  return { command: 'bash', args: [path.join(REPO_ROOT, 'scripts/host.sh'), LAN.bridge, `${address}/${LAN.prefix}`, command, ...args] };
}
