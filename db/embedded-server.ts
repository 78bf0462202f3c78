// The embedded database for `npm start`: one PGlite under the data folder, served on loopback with
// the Postgres wire protocol, so the API and the agent worker (separate processes) share it.
// PGlite runs one query at a time; the socket server queues them and keeps transactions whole.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { configOrExit, loadEmbeddedDbConfig } from '../core/config.js';
import { migrateToLatest } from './connect.js';

const config = configOrExit(loadEmbeddedDbConfig);
const port = config.port;
const dir = path.resolve(config.dataDir, 'pglite');
mkdirSync(dir, { recursive: true });

const pglite = await PGlite.create(dir);
const migrations = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
await migrateToLatest(migrations);

const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port, maxConnections: 50 });
await server.start();
process.stdout.write(`embedded database (PGlite in ${dir}) on postgres://postgres@127.0.0.1:${port}/postgres\n`);

async function stop() {
  await server.stop();
  await pglite.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
