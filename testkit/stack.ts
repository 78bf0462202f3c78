// End-to-end stack for tests: the real LiveKit server, the API and the agent worker as child
// processes, started inside the test network namespace (scripts/netns.sh, which `npm test` uses).
//
// Every process writes stdout+stderr to `.artifacts/e2e/<test>/<name>.log`, runs in its own process
// group, and is registered here: `stopAll()` (call it in afterAll/afterEach) stops every group still
// alive, and an exit hook SIGKILLs whatever is left if the test process goes away first. Nothing is
// skipped: a missing binary or agent entry throws, so the test fails and says why.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_SECRETS } from '../core/config.js';
import { connectDatabase } from '../db/connect.js';
import { freshDatabase, type TestDatabase } from './postgres.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const E2E_ARTIFACTS = path.join(REPO_ROOT, '.artifacts', 'e2e');

// ---------------------------------------------------------------------------------------------
// Small utilities

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `.artifacts/e2e/<name>/`, emptied first so a rerun never shows a previous run's logs. */
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

/** A TCP port free on 127.0.0.1 right now (the namespace is private, so races are rare). */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a value other than undefined/false; throws after `timeoutMs`. */
export async function waitUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  opts: { timeoutMs: number; intervalMs?: number; what: string; abort?: () => string | undefined },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    const aborted = opts.abort?.();
    if (aborted) throw new Error(`${opts.what}: ${aborted}`);
    if (Date.now() > deadline) throw new Error(`${opts.what}: timed out after ${opts.timeoutMs} ms`);
    await sleep(opts.intervalMs ?? 100);
  }
}

/** True when running inside scripts/netns.sh's namespace (npm test sets it). */
export const insideTestNetns = () => process.env.NETNS_INSIDE === '1';

// ---------------------------------------------------------------------------------------------
// Managed processes

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  child: ChildProcess;
  /** Set once the process has exited. */
  exit: Exit | undefined;
  exited: Promise<Exit>;
  /** The whole log so far. */
  log(): string;
  /** The last `lines` lines of the log (for error messages). */
  tail(lines?: number): string;
  /** Resolves with the first log line matching `pattern` (searching from `fromOffset`). */
  waitForLog(pattern: RegExp, opts: { timeoutMs: number; fromOffset?: number }): Promise<string>;
  /** Current size of the log, to wait for something that happens after now. */
  logOffset(): number;
  /**
   * SIGTERM to the process (or `signal`), then SIGKILL to its whole process group after `graceMs`.
   * Leftover members of the group (forked job processes…) are SIGKILLed once the leader is gone.
   */
  stop(opts?: { graceMs?: number; signal?: NodeJS.Signals }): Promise<Exit>;
}

const live = new Set<ManagedProcess>();

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: the test process is going away with children still registered.
  process.once('exit', () => {
    for (const p of live) killGroup(p.pid, 'SIGKILL');
  });
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logDir: string;
  cwd?: string;
}

/** Spawns a process in its own group, output to `<logDir>/<name>.log`, registered for stopAll(). */
export function spawnManaged(opts: SpawnOptions): ManagedProcess {
  installExitHook();
  mkdirSync(opts.logDir, { recursive: true });
  const logFile = path.join(opts.logDir, `${opts.name}.log`);
  // The first line names the command; waitForLog() starts after it (it may contain the pattern).
  const header = `# ${new Date().toISOString()} ${opts.command} ${opts.args.join(' ').replace(/\s+/g, ' ')}\n`;
  writeFileSync(logFile, header);
  const headerBytes = Buffer.byteLength(header);
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(opts.command, opts.args, {
      cwd: opts.cwd ?? REPO_ROOT,
      env: opts.env,
      stdio: ['ignore', fd, fd],
      detached: true, // own process group: stop() reaches grandchildren too
    });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw new Error(`${opts.name}: could not spawn ${opts.command}`);
  const pid = child.pid;

  let resolveExit!: (e: Exit) => void;
  const exited = new Promise<Exit>((r) => (resolveExit = r));
  const mp: ManagedProcess = {
    name: opts.name,
    pid,
    logFile,
    child,
    exit: undefined,
    exited,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    logOffset: () => (existsSync(logFile) ? statSync(logFile).size : 0),
    tail(lines = 30) {
      return this.log().trimEnd().split('\n').slice(-lines).join('\n');
    },
    async waitForLog(pattern, { timeoutMs, fromOffset = headerBytes }) {
      return waitUntil(
        () => {
          const text = readFileSync(logFile).subarray(fromOffset).toString('utf8');
          const line = text.split('\n').find((l) => pattern.test(l));
          return line ?? undefined;
        },
        {
          timeoutMs,
          what: `${opts.name}: waiting for ${pattern} in ${path.relative(REPO_ROOT, logFile)}`,
          abort: () => (mp.exit ? `exited early (${describeExit(mp.exit)}); last lines:\n${mp.tail()}` : undefined),
        },
      );
    },
    async stop({ graceMs = 10_000, signal = 'SIGTERM' } = {}) {
      if (!mp.exit) {
        try {
          process.kill(pid, signal);
        } catch {
          /* gone */
        }
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // The leader is gone; anything it forked and left behind goes too.
      if (groupAlive(pid)) {
        killGroup(pid, 'SIGKILL');
        await waitUntil(() => !groupAlive(pid), { timeoutMs: 5_000, intervalMs: 50, what: `${opts.name}: process group` }).catch(
          () => undefined,
        );
      }
      live.delete(mp);
      return mp.exit!;
    },
  };
  child.on('exit', (code, sig) => {
    mp.exit = { code, signal: sig };
    resolveExit(mp.exit);
  });
  child.on('error', (err) => {
    writeFileSync(logFile, `\n# spawn error: ${err.message}\n`, { flag: 'a' });
    if (!mp.exit) {
      mp.exit = { code: -1, signal: null };
      resolveExit(mp.exit);
    }
  });
  live.add(mp);
  return mp;
}

export function describeExit(e: Exit): string {
  return e.signal ? `signal ${e.signal}` : `exit code ${e.code}`;
}

/** Stops every process started here that is still registered (last started first), then drops their databases. */
export async function stopAll(opts: { graceMs?: number } = {}): Promise<void> {
  const procs = [...live].reverse();
  for (const p of procs) await p.stop(opts);
  for (const d of [...dbsToDrop]) {
    dbsToDrop.delete(d);
    await d.close().catch(() => undefined);
  }
}

/** Environment for child processes: ours minus vitest's own and minus every provider credential. */
export function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|NODE_OPTIONS$|TEST_DATABASE_URL$)/.test(k)) continue;
    // No real speech/LLM provider and no stray LiveKit/DB settings leak in from the shell.
    if (/^(LLM_|STT_|TTS_|DEEPGRAM_|OPENAI_|LIVEKIT_|DATABASE_URL$)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

async function httpOk(url: string, expect?: (body: string) => boolean): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    if (!res.ok) return false;
    const body = await res.text();
    return expect ? expect(body) : true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// LiveKit server

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

export async function startLiveKit(opts: LiveKitOptions): Promise<LiveKit> {
  const bin = livekitBinary();
  const ports = { http: opts.port ?? (await freeTcpPort()), udp: await freeUdpPort(), tcp: await freeTcpPort() };
  const configFile = path.join(opts.logDir, 'livekit.yaml');
  mkdirSync(opts.logDir, { recursive: true });
  writeFileSync(configFile, livekitConfig({ ...ports, webhookUrl: opts.webhookUrl }));
  const apiKey = DEV_SECRETS.LIVEKIT_API_KEY;
  const apiSecret = DEV_SECRETS.LIVEKIT_API_SECRET;
  if (!readFileSync(configFile, 'utf8').includes(`${apiKey}: ${apiSecret}`)) {
    throw new Error(`livekit.yaml must hold the dev key ${apiKey} with the secret of core/config.ts DEV_SECRETS`);
  }

  const started = Date.now();
  // scripts/livekit-server.sh checks the config, drops the env vars that override it, then execs
  // the server: the pid we hold is the server's own.
  const proc = spawnManaged({
    name: 'livekit',
    command: 'bash',
    args: [path.join(REPO_ROOT, 'scripts/livekit-server.sh'), configFile],
    env: { ...baseEnv(), LIVEKIT_BIN: bin },
    logDir: opts.logDir,
  });
  const httpUrl = `http://127.0.0.1:${ports.http}`;
  try {
    await waitUntil(() => httpOk(`${httpUrl}/`, (b) => b.trim() === 'OK'), {
      timeoutMs: opts.timeoutMs ?? 30_000,
      what: `LiveKit on ${httpUrl}`,
      abort: () => (proc.exit ? `exited early (${describeExit(proc.exit)}); last lines:\n${proc.tail()}` : undefined),
    });
  } catch (e) {
    await proc.stop({ graceMs: 2_000 });
    throw e;
  }
  return {
    url: `ws://127.0.0.1:${ports.http}`,
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
  timeoutMs?: number;
}

const dbsToDrop = new Set<TestDatabase>();

export const E2E_ADMIN = { email: 'e2e-admin@example.com', password: 'e2e-admin-password' } as const;

export async function startApi(opts: ApiOptions): Promise<Api> {
  const ownDb = !opts.database;
  const database = opts.database ?? (await freshDatabase());
  if (ownDb) dbsToDrop.add(database);
  const port = opts.port ?? (await freeTcpPort());
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
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
  const proc = spawnManaged({
    name: 'api',
    command: process.execPath,
    args: ['--import', 'tsx', 'api/server.ts'],
    env,
    logDir: opts.logDir,
  });
  try {
    await waitUntil(() => httpOk(`${url}/healthz`), {
      timeoutMs: opts.timeoutMs ?? 30_000,
      what: `API on ${url}`,
      abort: () => (proc.exit ? `exited early (${describeExit(proc.exit)}); last lines:\n${proc.tail()}` : undefined),
    });
  } catch (e) {
    await proc.stop({ graceMs: 2_000 });
    throw e;
  }
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
  const proc = spawnManaged({ name: 'worker', command, args, env, logDir: opts.logDir });
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
