// Real Postgres for tests: one migrated template per run, and a fresh database cloned from it for
// each test file, so files run in parallel without seeing each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connectDatabase, type DbHandle } from '../db/connect.js';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** One template per run (named by global-setup), so two runs side by side never share or drop it. */
export const templateName = () => `interviewer_tpl_${randomBytes(5).toString('hex')}`;

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

export function urlFor(database: string): string {
  // Swap the path by hand: `new URL()` refuses the Unix-socket form node-postgres takes
  // (postgres://postgres@/postgres?host=/var/run/postgresql: a user with an empty host).
  const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(?:\/[^?#]*)?(.*)$/.exec(ADMIN_URL);
  if (!m) throw new Error(`TEST_DATABASE_URL is not a postgres:// URL: ${ADMIN_URL}`);
  return `${m[1]}/${database}${m[2]}`;
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
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
