// A benchmark target, run as a child process (forked with IPC) so the load generator never shares
// its event loop: `app` is the real API (createApp + buildDeps, as api/server.ts wires it), `admit`
// a bare Hono route doing the join's one SQL statement (admitToRoom, fixed phone and name), `select1` a bare `SELECT 1`.
// Each listens on 127.0.0.1 on an ephemeral port, reports it over IPC, answers CPU-usage
// questions, and exits when the parent goes away.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { createApp } from '../../api/app.js';
import { buildDeps } from '../../api/deps.js';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { connectDatabase } from '../../db/connect.js';
import { admitToRoom } from '../../db/queries/interviews.js';

export type TargetKind = 'app' | 'admit' | 'select1';

export type ToChild = { type: 'cpu'; id: number };
export type FromChild =
  { type: 'ready'; port: number } | { type: 'cpu'; id: number; userUs: number; systemUs: number } | { type: 'error'; message: string };

const send = (m: FromChild) => process.send?.(m);

async function main() {
  const kind = process.argv[2] as TargetKind;
  if (!process.send) throw new Error('run me with child_process.fork (IPC)');
  const config = loadConfig(process.env);
  // The same pool as the API gets in production: connectDatabase's default size for all three.
  const database = await connectDatabase(config);
  const db = database.db;

  let fetch: (req: Request) => Response | Promise<Response>;
  if (kind === 'app') {
    fetch = createApp(config, buildDeps(config, db, createLogger(config.logLevel, 'api'))).fetch;
  } else if (kind === 'admit') {
    const phoneE164 = process.env.BENCH_PHONE!;
    const displayName = process.env.BENCH_DISPLAY_NAME!;
    const hono = new Hono();
    hono.post('/admit/:roomCode', async (c) =>
      c.json((await admitToRoom(db, { roomCode: c.req.param('roomCode'), phoneE164, displayName })) ?? null),
    );
    fetch = hono.fetch;
  } else if (kind === 'select1') {
    const hono = new Hono();
    hono.post('/select1', async (c) => {
      const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
      return c.json(rows[0] ?? null);
    });
    fetch = hono.fetch;
  } else {
    throw new Error(`unknown target kind: ${String(kind)}`);
  }

  const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info) => send({ type: 'ready', port: info.port }));

  process.on('message', (m: ToChild) => {
    if (m.type === 'cpu') {
      const u = process.cpuUsage();
      send({ type: 'cpu', id: m.id, userUs: u.user, systemUs: u.system });
    }
  });
  const stop = () => {
    server.close();
    void database.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
