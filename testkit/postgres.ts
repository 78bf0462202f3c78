// Real Postgres for tests: one migrated template per run, and a fresh database cloned from it for
// each test file, so files run in parallel without seeing each other's rows. Benchmarks, which run
// outside vitest, make their own migrated database instead (migratedDatabase).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connectDatabase, migrateToLatest, type DbHandle } from '../db/connect.js';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** One template per run (named by global-setup), so two runs side by side never share or drop it. */
export const templateName = () => `interviewer_tpl_${randomBytes(5).toString('hex')}`;

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

/** `adminUrl` with its database swapped for `database`. */
export function urlFor(database: string, adminUrl = ADMIN_URL): string {
  // Swap the path by hand: `new URL()` refuses the Unix-socket form node-postgres takes
  // (postgres://postgres@/postgres?host=/var/run/postgresql: a user with an empty host).
  const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(?:\/[^?#]*)?(.*)$/.exec(adminUrl);
  if (!m) throw new Error(`not a postgres:// URL: ${adminUrl}`);
  return `${m[1]}/${database}${m[2]}`;
}

export async function adminQuery(sql: string, adminUrl = ADMIN_URL): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase extends DbHandle {
  url: string;
  name: string;
}

export async function freshDatabase(): Promise<TestDatabase> {
  const name = `interviewer_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDb')}`);
  const url = urlFor(name);
  const handle = await connectDatabase({ databaseUrl: url, dataDir: '.data', poolSize: 20 });
  return {
    ...handle,
    url,
    name,
    close: async () => {
      await handle.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * A new database migrated to the latest schema, with no template (for benchmarks and tools, which
 * run outside vitest). close() closes the pool and drops it; dropMigratedDatabases() does that for
 * every one still open at the end of a run.
 */
export async function migratedDatabase(o: { prefix?: string; adminUrl?: string; poolSize?: number } = {}): Promise<TestDatabase> {
  const name = `${o.prefix ?? 'interviewer_bench'}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`, o.adminUrl);
  const url = urlFor(name, o.adminUrl);
  let handle: DbHandle | undefined;
  const close = async () => {
    open.delete(close);
    await handle?.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, o.adminUrl);
  };
  open.add(close);
  handle = await connectDatabase({ databaseUrl: url, dataDir: '.data', poolSize: o.poolSize ?? 4 });
  await migrateToLatest(handle.db);
  return { ...handle, url, name, close };
}

const open = new Set<() => Promise<void>>();

/** Closes and drops every database migratedDatabase() made and nobody closed yet (a benchmark's clean-up). */
export async function dropMigratedDatabases(): Promise<void> {
  for (const close of [...open]) {
    await close().catch((e: unknown) => process.stderr.write(`could not drop a database: ${String(e)}\n`));
  }
}
