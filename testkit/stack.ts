// End-to-end stack for tests: the real LiveKit server (livekit.ts), the API and the agent worker as
// managed child processes (process.ts), started inside the test network namespace
// (scripts/netns.sh, which `npm test` uses).
//
// Every process writes stdout+stderr to `.artifacts/e2e/<test>/<name>.log`: `stopAll()` (call it
// in afterAll/afterEach) stops every process group still alive and drops the databases the API was
// given here. Nothing is skipped: a missing binary or agent entry throws, so the test fails and
// says why. Tests import the process and LiveKit helpers from here too.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { connectDatabase } from '../db/connect.js';
import { onHost } from './hosts.js';
import { startLiveKit, type LiveKit } from './livekit.js';
import { freshDatabase, type TestDatabase } from './postgres.js';
import { baseEnv, freeTcpPort, REPO_ROOT, spawnManaged, stopProcesses, waitForHttp, type Exit, type ManagedProcess } from './process.js';

export * from './livekit.js';
export * from './process.js';

export const E2E_ARTIFACTS = path.join(REPO_ROOT, '.artifacts', 'e2e');

export function artifactsDir(name: string): string {
  const slug =
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'test';
  const dir = path.join(E2E_ARTIFACTS, slug);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Stops every process started here that is still registered (last started first), then drops their databases. */
export async function stopAll(opts: { graceMs?: number } = {}): Promise<void> {
  await stopProcesses(opts);
  for (const d of [...dbsToDrop]) {
    dbsToDrop.delete(d);
    await d.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// The embedded database, as `npm start` runs it

export interface EmbeddedDatabase {
  /** A TestDatabase to hand to startApi (not dropped by it: the data folder is the test's). */
  database: TestDatabase;
  process: ManagedProcess;
  stop(): Promise<Exit>;
}

/** db/embedded-server.ts: PGlite in `dataDir`, served on loopback, migrated at start. */
export async function startEmbeddedDatabase(opts: { logDir: string; dataDir: string; port?: number }): Promise<EmbeddedDatabase> {
  const port = opts.port ?? (await freeTcpPort());
  const proc = spawnManaged({
    name: 'database',
    command: process.execPath,
    args: ['--import', 'tsx', 'db/embedded-server.ts'],
    env: { ...baseEnv(), DATA_DIR: opts.dataDir, EMBEDDED_DB_PORT: String(port), LOG_LEVEL: 'info' },
    logDir: opts.logDir,
  });
  await proc.waitForLog(/embedded database .* on postgres:/, { timeoutMs: 60_000 });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const handle = await connectDatabase({ databaseUrl: url, dataDir: opts.dataDir, poolSize: 2 });
  return {
    database: { ...handle, url, name: 'embedded' },
    process: proc,
    async stop() {
      await handle.close();
      return proc.stop({ graceMs: 10_000 });
    },
  };
}

/** The command as it is spawned: as it is, or on a LAN host. */
const hostCommand = (host: string | undefined, command: string, args: string[]) => (host ? onHost(host, command, args) : { command, args });

// ---------------------------------------------------------------------------------------------
// API

export interface Api {
  url: string;
  port: number;
  database: TestDatabase;
  admin: { email: string; password: string };
  process: ManagedProcess;
  /** ms from spawn to /healthz answering. */
  startupMs: number;
  /** fetch() against the API; `json` sets the body and content type. */
  request(p: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Stops the process and drops its database (when this harness created it). */
  stop(): Promise<Exit>;
}

export interface ApiOptions {
  logDir: string;
  livekit: Pick<LiveKit, 'url' | 'apiKey' | 'apiSecret'>;
  /** Extra or overriding environment (wins over everything). */
  env?: Record<string, string>;
  /** A database from freshDatabase(); by default a new one, dropped on stop(). */
  database?: TestDatabase;
  port?: number;
  /** Run it as this LAN host (testkit/hosts.ts) rather than on the test's own loopback. */
  host?: string;
  /** Log file name (default `api`). */
  name?: string;
  timeoutMs?: number;
}

const dbsToDrop = new Set<TestDatabase>();

export const E2E_ADMIN = { email: 'e2e-admin@example.com', password: 'e2e-admin-password' } as const;

export async function startApi(opts: ApiOptions): Promise<Api> {
  const ownDb = !opts.database;
  const database = opts.database ?? (await freshDatabase());
  if (ownDb) dbsToDrop.add(database);
  const port = opts.port ?? (await freeTcpPort());
  const address = opts.host ?? '127.0.0.1';
  const url = `http://${address}:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: address,
    PORT: String(port),
    PUBLIC_BASE_URL: url,
    DATABASE_URL: database.url,
    DATA_DIR: path.join(opts.logDir, 'api-data'),
    LIVEKIT_URL: opts.livekit.url,
    LIVEKIT_API_KEY: opts.livekit.apiKey,
    LIVEKIT_API_SECRET: opts.livekit.apiSecret,
    ADMIN_EMAIL: E2E_ADMIN.email,
    ADMIN_PASSWORD: E2E_ADMIN.password,
    ...opts.env,
  };
  const started = Date.now();
  const command = hostCommand(opts.host, process.execPath, ['--import', 'tsx', 'api/server.ts']);
  const proc = spawnManaged({ name: opts.name ?? 'api', ...command, env, logDir: opts.logDir });
  await waitForHttp(proc, `${url}/healthz`, { timeoutMs: opts.timeoutMs ?? 30_000, what: `API on ${url}` });
  return {
    url,
    port,
    database,
    admin: { email: env.ADMIN_EMAIL!, password: env.ADMIN_PASSWORD! },
    process: proc,
    startupMs: Date.now() - started,
    request(p, init = {}) {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${url}${p}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
    },
    async stop() {
      const exit = await proc.stop({ graceMs: 5_000 });
      if (ownDb && dbsToDrop.delete(database)) await database.close();
      return exit;
    },
  };
}

export const CANDIDATE_PHONE = '+971509876543';

export interface InterviewRoom {
  /** `{ authorization: 'Bearer …' }` of the HR admin. */
  auth: Record<string, string>;
  jobId: string;
  candidateId: string;
  applicationId: string;
  roomCode: string;
  roomName: string;
  /** The interview id. */
  sessionId: string;
}

/**
 * HR fixtures through the running API: log in as the admin it was started with, create a job,
 * a candidate (phone +971509876543 by default), an application and a room (room/create).
 */
export async function createInterviewRoom(
  api: Api,
  over: {
    phoneNumber?: string;
    firstName?: string;
    lastName?: string;
    job?: Record<string, unknown>;
    resumeText?: string;
    room?: Record<string, unknown>;
  } = {},
): Promise<InterviewRoom> {
  const call = async <T>(p: string, json: unknown, headers: Record<string, string>, want: number): Promise<T> => {
    const res = await api.request(p, { method: 'POST', headers, json });
    if (res.status !== want) throw new Error(`POST ${p} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const { access } = await call<{ access: string }>('/api/auth/login/', api.admin, {}, 200);
  const auth = { authorization: `Bearer ${access}` };
  const job = await call<{ id: string }>(
    '/api/jobs',
    {
      title: 'Senior Backend Developer - Fintech',
      description: 'Build payment services in TypeScript and Postgres.',
      companyName: 'MENA Bank',
      ...over.job,
    },
    auth,
    201,
  );
  const candidate = await call<{ id: string }>(
    '/api/candidates',
    {
      firstName: over.firstName ?? 'Ahmed',
      lastName: over.lastName ?? 'Hassan',
      email: `ahmed-${Math.random().toString(36).slice(2, 8)}@example.com`,
      phoneNumber: over.phoneNumber ?? CANDIDATE_PHONE,
      resumeText: over.resumeText ?? 'Five years of Node.js and Postgres at a payments company.',
    },
    auth,
    201,
  );
  const application = await call<{ id: string }>('/api/applications', { jobId: job.id, candidateId: candidate.id }, auth, 201);
  const room = await call<{ roomCode: string; roomName: string; sessionId: string }>(
    '/api/public/interview/room/create',
    { applicationId: application.id, interviewType: 'TECHNICAL', maxDuration: 1800, instructions: 'Welcome!', ...over.room },
    auth,
    201,
  );
  return {
    auth,
    jobId: job.id,
    candidateId: candidate.id,
    applicationId: application.id,
    roomCode: room.roomCode,
    roomName: room.roomName,
    sessionId: room.sessionId,
  };
}

// ---------------------------------------------------------------------------------------------
// Agent worker

export interface Worker {
  process: ManagedProcess;
  /** ms from spawn to the `registered worker` line. */
  startupMs: number;
  /** The log line that said it registered. */
  readyLine: string;
  stop(opts?: { graceMs?: number }): Promise<Exit>;
}

export interface WorkerOptions {
  logDir: string;
  livekit: Pick<LiveKit, 'url' | 'apiKey' | 'apiSecret'>;
  /** DATABASE_URL for the worker (normally `api.database.url`). */
  databaseUrl?: string;
  env?: Record<string, string>;
  /** Program and arguments; default `node --import tsx agent/main.ts start`. */
  command?: string[];
  /** Readiness line; default /registered worker/. */
  readyPattern?: RegExp;
  timeoutMs?: number;
  /** SIGTERM → SIGKILL (of the whole group) after this many ms on stop(); default 15 s. */
  stopGraceMs?: number;
  /** Run it as this LAN host (testkit/hosts.ts). */
  host?: string;
  /** Log file name (default `worker`). */
  name?: string;
}

export const DEFAULT_WORKER_COMMAND = [process.execPath, '--import', 'tsx', 'agent/main.ts', 'start'];

/**
 * Starts the agent worker and waits until it registered with LiveKit. Wait for this before a
 * candidate joins: LiveKit drops a dispatch made while no worker is registered, and never retries.
 */
export async function startWorker(opts: WorkerOptions): Promise<Worker> {
  const [command, ...args] = opts.command ?? DEFAULT_WORKER_COMMAND;
  if (!command) throw new Error('startWorker: empty command');
  const script = args.find((a) => /\.(ts|js|mjs)$/.test(a));
  if (script && !existsSync(path.resolve(REPO_ROOT, script))) {
    throw new Error(`startWorker: ${script} does not exist (is the agent worker written yet?)`);
  }
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    // agents-js binds its health server to 8081 in production mode whatever `port: 0` says: two
    // workers in one namespace (parallel test files) would collide. The load it reports is its real
    // one (agent/capacity.ts): running jobs against AGENT_MAX_JOBS, weighted by smoothed CPU.
    AGENT_HEALTH_PORT: String(await freeTcpPort()),
    LIVEKIT_URL: opts.livekit.url,
    LIVEKIT_API_KEY: opts.livekit.apiKey,
    LIVEKIT_API_SECRET: opts.livekit.apiSecret,
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...opts.env,
  };
  const started = Date.now();
  const proc = spawnManaged({ name: opts.name ?? 'worker', ...hostCommand(opts.host, command, args), env, logDir: opts.logDir });
  let readyLine: string;
  try {
    readyLine = await proc.waitForLog(opts.readyPattern ?? /registered worker/, { timeoutMs: opts.timeoutMs ?? 180_000 });
  } catch (e) {
    await proc.stop({ graceMs: 2_000 });
    throw e;
  }
  return {
    process: proc,
    startupMs: Date.now() - started,
    readyLine,
    stop: (o) => proc.stop({ graceMs: o?.graceMs ?? opts.stopGraceMs ?? 15_000 }),
  };
}

// ---------------------------------------------------------------------------------------------
// All of it at once

export interface Stack {
  /** `.artifacts/e2e/<name>/`: every log, config and recording of this stack. */
  dir: string;
  livekit: LiveKit;
  api: Api;
  worker: Worker | undefined;
  /** Stops the worker, the API (dropping its database) and LiveKit, even after a failure. */
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Environment for both the API and the worker (LLM_*, STT_PROVIDER, TTS_PROVIDER…). */
  env?: Record<string, string>;
  apiEnv?: Record<string, string>;
  /** Start the agent worker too (waits for `registered worker`); options as for startWorker. */
  worker?: Omit<WorkerOptions, 'logDir' | 'livekit' | 'databaseUrl'>;
  /** LiveKit webhook target (e.g. a receiver in the test, or `${api.url}/…` with a fixed `apiPort`). */
  webhookUrl?: string;
  apiPort?: number;
}

/** LiveKit, then the API on a fresh migrated database, then (optionally) the worker. */
export async function startStack(name: string, opts: StackOptions = {}): Promise<Stack> {
  const dir = artifactsDir(name);
  const started: { stop(): Promise<unknown> }[] = [];
  const stop = async () => {
    for (const p of started.reverse()) await p.stop().catch(() => undefined);
    started.length = 0;
  };
  try {
    const livekit = await startLiveKit({ logDir: dir, webhookUrl: opts.webhookUrl });
    started.push(livekit);
    const api = await startApi({ logDir: dir, livekit, port: opts.apiPort, env: { ...opts.env, ...opts.apiEnv } });
    started.push(api);
    let worker: Worker | undefined;
    if (opts.worker) {
      worker = await startWorker({
        ...opts.worker,
        logDir: dir,
        livekit,
        databaseUrl: api.database.url,
        env: { ...opts.env, ...opts.worker.env },
      });
      started.push(worker);
    }
    return { dir, livekit, api, worker, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
