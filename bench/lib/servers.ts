// The join bench's targets as child processes (bench/lib/server.ts, forked with IPC so the load
// generator never shares their event loop): start one, ask it for its CPU time, stop them all.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromChild, TargetKind, ToChild } from './server.js';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

const children: ChildProcess[] = [];

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** SIGTERM to every target started here (SIGKILL after 3 s). */
export async function stopServers(): Promise<void> {
  await Promise.all(children.map(stopChild));
}

export interface Server {
  kind: TargetKind;
  child: ChildProcess;
  port: number;
  cpuUs(): Promise<number>;
}

/** Forks bench/lib/server.ts as a `kind` target; `cpuProfDir`: a V8 CPU profile of it there (open in Chrome DevTools). */
export function startServer(kind: TargetKind, env: Record<string, string>, cpuProfDir?: string): Promise<Server> {
  const child = fork(SERVER, [kind], {
    execArgv: ['--import', 'tsx', ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [])],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  let nextId = 0;
  const waiting = new Map<number, (us: number) => void>();
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`${kind} server did not start within 30 s`)), 30_000);
    // An IPC send to a child that died is reported here too; the caller sees it as a failed send.
    child.on('error', (err) => reject(new Error(`${kind} server: ${err.message}`)));
    child.on('exit', (code, signal) => {
      clearTimeout(timeout);
      reject(new Error(`${kind} server exited (${code ?? signal})`));
    });
    child.on('message', (m: FromChild) => {
      if (m.type === 'ready') {
        clearTimeout(timeout);
        resolve({
          kind,
          child,
          port: m.port,
          cpuUs: () =>
            new Promise((res, rej) => {
              const id = nextId++;
              const t = setTimeout(() => rej(new Error(`${kind} server did not answer`)), 5000);
              waiting.set(id, (us) => {
                clearTimeout(t);
                res(us);
              });
              child.send({ type: 'cpu', id } satisfies ToChild, (err) => {
                if (!err) return;
                clearTimeout(t);
                waiting.delete(id);
                rej(new Error(`${kind} server is gone: ${err.message}`));
              });
            }),
        });
      } else if (m.type === 'cpu') {
        waiting.get(m.id)?.(m.userUs + m.systemUs);
        waiting.delete(m.id);
      } else if (m.type === 'error') {
        reject(new Error(`${kind} server failed: ${m.message}`));
      }
    });
  });
}
