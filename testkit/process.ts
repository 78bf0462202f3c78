// Child processes for tests and benchmarks, managed: every process writes stdout+stderr to
// `<logDir>/<name>.log`, runs in its own process group, and is registered here: stopProcesses()
// stops every group still alive, and an exit hook SIGKILLs whatever is left if this process goes
// away first. Also the small waits and free ports every harness needs.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------
// Small utilities

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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

/** Stops every process started here that is still registered, last started first. */
export async function stopProcesses(opts: { graceMs?: number } = {}): Promise<void> {
  for (const p of [...live].reverse()) await p.stop(opts);
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

/** Waits until `url` answers 2xx (and `expect` accepts the body); stops `proc` and throws if it does not in time or exits. */
export async function waitForHttp(
  proc: ManagedProcess,
  url: string,
  opts: { timeoutMs: number; what: string; expect?: (body: string) => boolean },
): Promise<void> {
  try {
    await waitUntil(() => httpOk(url, opts.expect), {
      timeoutMs: opts.timeoutMs,
      what: opts.what,
      abort: () => (proc.exit ? `exited early (${describeExit(proc.exit)}); last lines:\n${proc.tail()}` : undefined),
    });
  } catch (e) {
    await proc.stop({ graceMs: 2_000 });
    throw e;
  }
}
