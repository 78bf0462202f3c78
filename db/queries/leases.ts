import { sql } from 'kysely';
import type { Db } from '../connect.js';

/**
 * Takes or renews the named lease for `holder`, in one statement: it succeeds when the lease is
 * free, expired, or already this holder's. Nothing is held open between calls (no transaction, no
 * session lock), so it behaves the same on Postgres and on PGlite's single-connection server.
 */
export async function takeLease(db: Db, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const { rows } = await sql<{ holder: string }>`
    INSERT INTO leases (name, holder, expires_at)
    VALUES (${name}, ${holder}, now() + make_interval(secs => ${ttlMs / 1000}))
    ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
    WHERE leases.holder = EXCLUDED.holder OR leases.expires_at < now()
    RETURNING holder`.execute(db);
  return rows.length > 0;
}

/** Gives the lease up (a replica shutting down), so another takes over at once. */
export const releaseLease = (db: Db, name: string, holder: string) =>
  db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
