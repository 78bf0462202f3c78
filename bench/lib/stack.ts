// The voice stack for the media benchmarks, as testkit's startStack starts it for tests but on a
// database of the bench's own (startStack clones vitest's template, which exists only under
// vitest): a fresh migrated database, the LiveKit server, the API, then the agent worker
// (registered). Run inside scripts/netns.sh's namespace; runBounded stops it all and drops the
// database. startBenchServices is the same without the worker, for a bench that starts and stops
// workers of its own (compare).
import { mkdirSync, rmSync } from 'node:fs';
import { migratedDatabase, type TestDatabase } from '../../testkit/postgres.js';
import { freeTcpPort, startApi, startLiveKit, startWorker, type Api, type LiveKit, type Worker } from '../../testkit/stack.js';

export interface BenchStack {
  database: TestDatabase;
  livekit: LiveKit;
  api: Api;
  worker: Worker;
}

export interface BenchServicesOptions {
  /** Emptied first: every process's log goes there. */
  logDir: string;
  /** Environment of the API and the worker. */
  env: Record<string, string>;
  /** LiveKit sends its webhooks to the API (as in production). */
  webhooks?: boolean;
  poolSize?: number;
}

/** The database, LiveKit and the API: the stack without its worker. */
export async function startBenchServices(o: BenchServicesOptions): Promise<Omit<BenchStack, 'worker'>> {
  rmSync(o.logDir, { recursive: true, force: true });
  mkdirSync(o.logDir, { recursive: true });
  const database = await migratedDatabase({ poolSize: o.poolSize });
  const apiPort = o.webhooks ? await freeTcpPort() : undefined;
  const webhookUrl = o.webhooks ? `http://127.0.0.1:${apiPort}/api/livekit/webhook` : undefined;
  const livekit = await startLiveKit({ logDir: o.logDir, webhookUrl });
  const api = await startApi({ logDir: o.logDir, livekit, database, port: apiPort, env: o.env });
  return { database, livekit, api };
}

export async function startBenchStack(
  o: BenchServicesOptions & {
    /** More environment for the worker only. */
    workerEnv?: Record<string, string>;
    /** The worker's program and arguments (default: testkit's DEFAULT_WORKER_COMMAND). */
    workerCommand?: string[];
  },
): Promise<BenchStack> {
  const { database, livekit, api } = await startBenchServices(o);
  const worker = await startWorker({
    logDir: o.logDir,
    livekit,
    databaseUrl: database.url,
    env: { ...o.env, ...o.workerEnv },
    ...(o.workerCommand ? { command: o.workerCommand } : {}),
  });
  return { database, livekit, api, worker };
}
