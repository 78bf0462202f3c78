// The whole product as a cluster, each process a machine of its own on a private LAN
// (testkit/hosts.ts): one Redis, LiveKit nodes sharing it (LiveKit's own multi-node cluster, which
// places rooms and dispatches agent jobs by load) behind a TCP balancer (as a team runs them: one
// address for signalling and the server API, media straight to each node), API replicas on one
// Postgres (its Unix socket: the filesystem is shared, the network is not), agent workers.
// `npm run cluster`, the cluster tests, the fault runs and the load bench start it from here.
//
//   LAN 10.78.0.0/24 · .1 this process (tests, synthetic candidates) · .2 Redis · .10 balancer
//   .11, .12 … LiveKit nodes · .21, .22 … API replicas · .31, .32, .33 … agent workers
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createLan, LAN_GATEWAY, lanAddress, onHost } from './hosts.js';
import { startLiveKit, type LiveKit } from './livekit.js';
import type { TestDatabase } from './postgres.js';
import { baseEnv, REPO_ROOT, spawnManaged, type ManagedProcess } from './process.js';
import { startApi, startWorker, type Api, type Worker } from './stack.js';

export const API_PORT = 8000;

export interface ClusterOptions {
  logDir: string;
  nodes?: number;
  apis?: number;
  workers?: number;
  /** Environment of the APIs and the workers (providers, LLM…). */
  env?: Record<string, string>;
  /** More for the workers only. */
  workerEnv?: Record<string, string>;
  /** A migrated database (freshDatabase() in tests, migratedDatabase() elsewhere); the caller drops it. */
  database: TestDatabase;
}

/** `id`: the node's id in LiveKit (ND_…), as its log says. */
export type ClusterNode = LiveKit & { name: string; host: string; id: string };

export interface ClusterWorker extends Worker {
  name: string;
  host: string;
}

export interface Cluster {
  redis: { host: string; address: string; process: ManagedProcess };
  nodes: ClusterNode[];
  /** The balancer in front of the nodes: the LiveKit every API, worker and candidate uses. */
  livekit: Pick<LiveKit, 'url' | 'httpUrl' | 'apiKey' | 'apiSecret'> & { host: string; process: ManagedProcess };
  apis: (Api & { name: string; host: string })[];
  workers: ClusterWorker[];
  database: TestDatabase;
  /** Every process, last started first. */
  stop(): Promise<void>;
}

const REDIS_HOST = lanAddress(2);
const BALANCER_HOST = lanAddress(10);
export const nodeHost = (i: number) => lanAddress(11 + i);
export const apiHost = (i: number) => lanAddress(21 + i);
export const workerHost = (i: number) => lanAddress(31 + i);

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  createLan();
  const started: { stop(): Promise<unknown> }[] = [];
  const stop = async () => {
    for (const p of started.splice(0).reverse()) await p.stop().catch(() => undefined);
  };
  try {
    const { database } = o;

    const redisProcess = spawnManaged({
      name: 'redis',
      ...onHost(REDIS_HOST, 'redis-server', [
        '--bind',
        REDIS_HOST,
        '--port',
        '6379',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
      ]),
      env: baseEnv(),
      logDir: o.logDir,
    });
    started.push({ stop: () => redisProcess.stop({ graceMs: 2_000 }) });
    await redisProcess.waitForLog(/Ready to accept connections/, { timeoutMs: 15_000 });
    const redis = { host: REDIS_HOST, address: `${REDIS_HOST}:6379`, process: redisProcess };

    const apiCount = o.apis ?? 2;
    // Each node posts its webhooks to one replica (in production: to the load balancer in front).
    const nodes = await Promise.all(
      Array.from({ length: o.nodes ?? 2 }, async (_, i) => {
        const host = nodeHost(i);
        const name = `livekit-${i + 1}`;
        const node = await startLiveKit({
          logDir: o.logDir,
          node: { host, redis: redis.address, name },
          webhookUrl: `http://${apiHost(i % apiCount)}:${API_PORT}/api/livekit/webhook`,
        });
        started.push(node);
        const id = /"nodeID":"(ND_[A-Za-z0-9]+)"/.exec(node.process.log())?.[1] ?? '';
        return { ...node, name, host, id };
      }),
    );

    const balancerProcess = spawnManaged({
      name: 'livekit-balancer',
      ...onHost(BALANCER_HOST, process.execPath, [
        '--import',
        'tsx',
        path.join(REPO_ROOT, 'testkit/tcp-balancer.ts'),
        `${BALANCER_HOST}:7880`,
        ...nodes.map((n) => `${n.host}:${n.ports.http}`),
      ]),
      env: baseEnv(),
      logDir: o.logDir,
    });
    started.push({ stop: () => balancerProcess.stop({ graceMs: 2_000 }) });
    await balancerProcess.waitForLog(/^balancing /, { timeoutMs: 30_000 });
    const { apiKey, apiSecret } = nodes[0]!;
    const livekit = {
      url: `ws://${BALANCER_HOST}:7880`,
      httpUrl: `http://${BALANCER_HOST}:7880`,
      apiKey,
      apiSecret,
      host: BALANCER_HOST,
      process: balancerProcess,
    };

    const apis = await Promise.all(
      Array.from({ length: apiCount }, async (_, i) => {
        const host = apiHost(i);
        const name = `api-${i + 1}`;
        const api = await startApi({
          logDir: o.logDir,
          name,
          host,
          port: API_PORT,
          livekit,
          database,
          env: { ...o.env, DATA_DIR: path.join(o.logDir, `${name}-data`) },
        });
        started.push(api);
        return { ...api, name, host };
      }),
    );

    const startOne = async (i: number): Promise<ClusterWorker> => {
      const host = workerHost(i);
      const name = `worker-${i + 1}`;
      const worker = await startWorker({
        logDir: o.logDir,
        name,
        host,
        livekit,
        databaseUrl: database.url,
        env: { ...o.env, ...o.workerEnv, AGENT_HEALTH_PORT: '8081' },
      });
      started.push(worker);
      return { ...worker, name, host };
    };
    const workers = await Promise.all(Array.from({ length: o.workers ?? 3 }, (_, i) => startOne(i)));
    return { redis, nodes, livekit, apis, workers, database, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The node that hosts a room (LiveKit's own map in Redis), if it is known. */
export function roomNode(c: Cluster, roomName: string): ClusterNode | undefined {
  try {
    const id = execFileSync('redis-cli', ['-h', c.redis.host, 'HGET', 'room_node_map', roomName], { encoding: 'utf8' }).trim();
    return c.nodes.find((n) => n.id === id);
  } catch {
    return undefined;
  }
}

/** Where everything is, one line per process (for `npm run cluster` and failing tests). */
export function describeCluster(c: Cluster): string {
  const rel = (f: string) => path.relative(REPO_ROOT, f);
  return [
    `LAN 10.78.0.0/24 (bridge in this namespace; this process is ${LAN_GATEWAY})`,
    `  redis      ${c.redis.address}  log ${rel(c.redis.process.logFile)}`,
    ...c.nodes.map((n) => `  ${n.name.padEnd(10)} ${n.url}  (${n.id}, media udp ${n.host}:${n.ports.udp})  log ${rel(n.process.logFile)}`),
    `  balancer   ${c.livekit.url} → the nodes (what the APIs, workers and candidates use)  log ${rel(c.livekit.process.logFile)}`,
    ...c.apis.map((a) => `  ${a.name.padEnd(10)} ${a.url}  log ${rel(a.process.logFile)}`),
    ...c.workers.map((w) => `  ${w.name.padEnd(10)} ${w.host}  log ${rel(w.process.logFile)}`),
    `  postgres   ${c.database.url}`,
  ].join('\n');
}
