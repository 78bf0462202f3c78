// A PostgreSQL server of the run's own (Debian's binaries, a fresh data folder, Unix socket only),
// for the fault that restarts the database: the machine's shared Postgres is never stopped.
// Run as root: the server runs as the `postgres` user, as Debian's own does.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface PrivatePostgres {
  /** postgres://postgres@/postgres?host=<socket dir>: for migratedDatabase({ adminUrl }). */
  adminUrl: string;
  /** Immediate stop (as a crash: no checkpoint), `downMs` down, then started again. */
  restart(downMs: number): Promise<{ downAt: number; upAt: number }>;
  stop(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  if (!version) throw new Error('no PostgreSQL server binaries in /usr/lib/postgresql (Debian: apt-get install postgresql)');
  return path.join(root, version, 'bin');
}

export function startPrivatePostgres(dir: string, port = 5499): PrivatePostgres {
  const bin = binDir();
  const data = path.join(dir, 'pgdata');
  const socket = path.join(dir, 'socket');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(socket, { recursive: true });
  mkdirSync(data);
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  for (const d of [dir, data, socket]) chownSync(d, uid, gid);
  const asPostgres = (cmd: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const start = () =>
    asPostgres('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(dir, 'postgres.log'),
      '-w',
      '-o',
      `-k ${socket} -c listen_addresses= -p ${port} -c fsync=off -c max_connections=200`,
      'start',
    ]);
  const stop = (mode: 'immediate' | 'fast') => asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  start();
  return {
    adminUrl: `postgres://postgres@/postgres?host=${socket}&port=${port}`,
    async restart(downMs) {
      stop('immediate');
      const downAt = Date.now();
      await new Promise((r) => setTimeout(r, downMs));
      start();
      return { downAt, upAt: Date.now() };
    },
    stop() {
      try {
        stop('fast');
      } catch {
        /* not running */
      }
    },
  };
}
