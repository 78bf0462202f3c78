// The LiveKit server for tests and benchmarks: the binary of LIVEKIT_BIN (npm test and bench.sh
// build it once through scripts/ensure-livekit.sh) on free ports, with the repository's
// livekit.yaml rewritten for them, as a managed process.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DEV_SECRETS } from '../core/config.js';
import { onHost } from './hosts.js';
import { baseEnv, freeTcpPort, freeUdpPort, REPO_ROOT, spawnManaged, waitForHttp, type Exit, type ManagedProcess } from './process.js';

export interface LiveKit {
  /** ws://127.0.0.1:<port>: what the API, the worker and the clients use. */
  url: string;
  httpUrl: string;
  apiKey: string;
  apiSecret: string;
  ports: { http: number; udp: number; tcp: number };
  configFile: string;
  process: ManagedProcess;
  /** ms from spawn to `GET /` answering OK. */
  startupMs: number;
  stop(): Promise<Exit>;
}

export interface LiveKitOptions {
  /** Artifacts folder (see artifactsDir()). */
  logDir: string;
  /** HTTP/WS port; a free one by default. */
  port?: number;
  /** Where LiveKit posts its webhooks; without it the webhook section is dropped. */
  webhookUrl?: string;
  timeoutMs?: number;
  /**
   * One node of a cluster: run as this LAN host (testkit/hosts.ts), on the standard ports, with
   * the cluster's Redis (`host:port`). Log and config named `name` (default `livekit`).
   */
  node?: { host: string; redis: string; name: string };
}

/** The LiveKit server binary from LIVEKIT_BIN (npm test exports it); throws when there is none. */
export function livekitBinary(): string {
  const bin = process.env.LIVEKIT_BIN;
  if (!bin) {
    throw new Error('LIVEKIT_BIN is not set: run the suite with `npm test` (it builds/caches the server via scripts/ensure-livekit.sh)');
  }
  try {
    if (!(statSync(bin).mode & 0o111)) throw new Error('not executable');
  } catch (e) {
    throw new Error(`LIVEKIT_BIN=${bin} is not an executable file (${(e as Error).message})`, { cause: e });
  }
  return bin;
}

/** livekit.yaml with other ports and webhook; every substitution must hit, or this throws. */
export function livekitConfig(opts: { http: number; udp: number; tcp: number; webhookUrl?: string }): string {
  let yaml = readFileSync(path.join(REPO_ROOT, 'livekit.yaml'), 'utf8');
  const sub = (re: RegExp, to: string) => {
    if (!re.test(yaml)) throw new Error(`livekit.yaml: expected to find ${re} (the harness rewrites it)`);
    yaml = yaml.replace(re, to);
  };
  sub(/^port: \d+/m, `port: ${opts.http}`);
  sub(/^(\s+)udp_port: \d+/m, `$1udp_port: ${opts.udp}`);
  sub(/^(\s+)tcp_port: \d+/m, `$1tcp_port: ${opts.tcp}`);
  if (opts.webhookUrl) {
    sub(/^(webhook:\n(?:[ \t].*\n|\s*\n)*?[ \t]+urls: ).*$/m, `$1[${JSON.stringify(opts.webhookUrl)}]`);
  } else {
    // Nobody listens: drop the section rather than have LiveKit retry into the void.
    sub(/^webhook:\n(?:[ \t].*(?:\n|$)|\s*\n)*/m, '');
  }
  return yaml;
}

/**
 * The same file for a cluster node on a host of its own: bound to and advertising the host's
 * address (media over its eth0), and the cluster's Redis.
 */
export function livekitNodeConfig(yaml: string, node: { host: string; redis: string }): string {
  const doc = YAML.parse(yaml) as Record<string, Record<string, unknown>>;
  doc.bind_addresses = [node.host] as never;
  doc.rtc = {
    ...doc.rtc,
    node_ip: node.host,
    enable_loopback_candidate: false,
    interfaces: { includes: ['eth0'] },
    ips: { includes: [`${node.host}/32`] },
    stun_servers: [`${node.host}:3478`],
  };
  doc.redis = { address: node.redis };
  return YAML.stringify(doc);
}

export async function startLiveKit(opts: LiveKitOptions): Promise<LiveKit> {
  const bin = livekitBinary();
  const { node } = opts;
  const ports = node
    ? { http: 7880, udp: 7882, tcp: 7881 }
    : { http: opts.port ?? (await freeTcpPort()), udp: await freeUdpPort(), tcp: await freeTcpPort() };
  const name = node?.name ?? 'livekit';
  const configFile = path.join(opts.logDir, `${name}.yaml`);
  mkdirSync(opts.logDir, { recursive: true });
  const yaml = livekitConfig({ ...ports, webhookUrl: opts.webhookUrl });
  writeFileSync(configFile, node ? livekitNodeConfig(yaml, node) : yaml);
  const apiKey = DEV_SECRETS.LIVEKIT_API_KEY;
  const apiSecret = DEV_SECRETS.LIVEKIT_API_SECRET;
  if (!readFileSync(configFile, 'utf8').includes(`${apiKey}: ${apiSecret}`)) {
    throw new Error(`livekit.yaml must hold the dev key ${apiKey} with the secret of core/config.ts DEV_SECRETS`);
  }

  const started = Date.now();
  // scripts/livekit-server.sh checks the config, drops the env vars that override it, then execs
  // the server: the pid we hold is the server's own.
  const args = [path.join(REPO_ROOT, 'scripts/livekit-server.sh'), configFile];
  const proc = spawnManaged({
    name,
    ...(node ? onHost(node.host, 'bash', args) : { command: 'bash', args }),
    env: { ...baseEnv(), LIVEKIT_BIN: bin },
    logDir: opts.logDir,
  });
  const httpUrl = `http://${node?.host ?? '127.0.0.1'}:${ports.http}`;
  await waitForHttp(proc, `${httpUrl}/`, {
    timeoutMs: opts.timeoutMs ?? 30_000,
    what: `LiveKit on ${httpUrl}`,
    expect: (b) => b.trim() === 'OK',
  });
  return {
    url: httpUrl.replace(/^http/, 'ws'),
    httpUrl,
    apiKey,
    apiSecret,
    ports,
    configFile,
    process: proc,
    startupMs: Date.now() - started,
    stop: () => proc.stop({ graceMs: 5_000 }),
  };
}
