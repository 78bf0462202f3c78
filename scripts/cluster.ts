// `npm run cluster [-- --demo]` (through scripts/cluster.sh): the product as a cluster on this one
// machine, each process a host of its own on a private LAN (testkit/cluster.ts): Redis, 2 LiveKit
// nodes on it, 2 API replicas on the local Postgres, 3 agent workers (offline speech; an LLM when
// LLM_* is set, as for npm start). Prints where everything is and runs until Ctrl+C, which stops
// all and drops the cluster's database. --demo: one synthetic candidate takes an interview, and it
// prints which worker and node served it. --fault <worker|api|…>: one fault run
// (scripts/cluster-faults.ts), its figures, then it stops; exit 1 when anything was lost.
//
// The LAN lives in a network namespace, so a browser on this machine cannot reach it; the HR
// console of api-1 is forwarded to 127.0.0.1:<CLUSTER_HR_PORT> (cluster.sh: a Unix socket
// crosses the namespace).
import { createServer, connect } from 'node:net';
import path from 'node:path';
import { E2E_ADMIN } from '../testkit/stack.js';
import { CLUSTER_ANSWERS, startClusterInterview, storedTurns, waitForWorkerOf, waitForEnding } from '../testkit/cluster-interview.js';
import { describeCluster, roomNode, startCluster, type Cluster } from '../testkit/cluster.js';
import { FAULTS } from './cluster-faults.js';
import { dropMigratedDatabases, migratedDatabase } from '../testkit/postgres.js';
import { startPrivatePostgres, type PrivatePostgres } from '../testkit/private-postgres.js';
import { REPO_ROOT } from '../testkit/process.js';

const LOG_DIR = path.join(REPO_ROOT, '.artifacts', 'cluster');
const say = (s: string) => process.stdout.write(`${s}\n`);

/** Provider settings of the caller's shell, which testkit's baseEnv leaves out. */
function providerEnv(): Record<string, string> {
  const env: Record<string, string> = { STT_PROVIDER: 'local', TTS_PROVIDER: 'local' };
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && /^(LLM_|STT_|TTS_|DEEPGRAM_|OPENAI_|AGENT_)/.test(k)) env[k] = v;
  }
  return env;
}

/** The HR console of api-1 on a Unix socket, for the forwarder outside the namespace. */
function serveSocket(socketPath: string, c: Cluster) {
  const api = c.apis[0]!;
  const server = createServer((client) => {
    const upstream = connect(api.port, api.host);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
  });
  server.listen(socketPath);
  return server;
}

async function demo(c: Cluster) {
  say('\ndemo: a synthetic candidate joins through api-2 an interview HR made on api-1');
  const { room, candidate } = await startClusterInterview(c, {
    logDir: LOG_DIR,
    answers: [...CLUSTER_ANSWERS, ...CLUSTER_ANSWERS],
  });
  const w = await waitForWorkerOf(c, room.sessionId, 60_000);
  say(`demo: ${w.name} (${w.host}) took the job; the room is on ${roomNode(c, room.roomName)?.name ?? '?'}`);
  const ended = await waitForEnding(c.database, room.sessionId, 600_000);
  await candidate.leave();
  say(`demo: ended ${ended.status} (${ended.end_reason}); transcript:`);
  for (const t of await storedTurns(c.database, room.sessionId)) say(`  ${t.seq}. ${t.speaker}: ${t.text}`);
}

/** The fault run's own database server, when there is one (stopped on every way out). */
let postgres: PrivatePostgres | undefined;

async function main() {
  if (process.env.NETNS_INSIDE !== '1') throw new Error('run it through npm run cluster (scripts/cluster.sh makes the namespace)');
  const started = Date.now();
  const fault = process.argv.includes('--fault') ? (process.argv[process.argv.indexOf('--fault') + 1] ?? '') : undefined;
  // The database fault restarts Postgres: a private server, never the machine's own.
  if (fault === 'postgres') postgres = startPrivatePostgres(path.join(LOG_DIR, 'postgres'));
  const database = await migratedDatabase({
    prefix: 'interviewer_cluster',
    poolSize: 2,
    ...(postgres ? { adminUrl: postgres.adminUrl } : {}),
  });
  say('cluster: starting Redis, 2 LiveKit nodes, 2 API replicas and 3 agent workers, each a host of its own…');
  const cluster = await startCluster({ logDir: LOG_DIR, database, env: providerEnv() });
  say(`cluster: up in ${((Date.now() - started) / 1000).toFixed(1)} s\n${describeCluster(cluster)}`);
  const socket = process.env.CLUSTER_HR_SOCKET;
  const server = socket ? serveSocket(socket, cluster) : undefined;
  if (socket) say(`\nHR console (api-1): http://127.0.0.1:${process.env.CLUSTER_HR_PORT}/hr  (${E2E_ADMIN.email} / ${E2E_ADMIN.password})`);
  say('Ctrl+C stops everything.');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      say('\ncluster: stopping…');
      server?.close();
      await cluster.stop();
      await dropMigratedDatabases();
      postgres?.stop();
      say('cluster: stopped');
    })());
  process.on('SIGINT', () => void stop().then(() => process.exit(0)));
  process.on('SIGTERM', () => void stop().then(() => process.exit(0)));
  if (fault !== undefined) {
    const run = FAULTS[fault];
    if (!run) {
      say(`--fault: one of ${Object.keys(FAULTS).join(', ')}`);
      await stop();
      process.exit(2);
    }
    let lost = 1;
    try {
      const report = await run(cluster, LOG_DIR, postgres);
      for (const line of report.lines) say(line);
      lost = report.lost;
      say(lost === 0 ? `fault ${fault}: nothing lost` : `fault ${fault}: LOST ${lost}`);
    } catch (e) {
      say(`fault ${fault} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    await stop();
    process.exit(lost === 0 ? 0 : 1);
  }
  if (process.argv.includes('--demo')) {
    try {
      await demo(cluster);
    } catch (e) {
      say(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
      await stop();
      process.exit(1);
    }
    if (process.argv.includes('--exit')) {
      await stop();
      process.exit(0);
    }
  }
  await new Promise(() => {}); // until a signal
}

main().catch(async (e: unknown) => {
  process.stderr.write(`cluster: ${e instanceof Error ? e.message : String(e)}\n`);
  await dropMigratedDatabases();
  postgres?.stop();
  process.exit(1);
});
