// Fixed-window counters in Postgres, so every API process sharing the database shares the limits.
import { sql } from 'kysely';
import type { Db } from '../connect.js';

/** Counts one hit on each key in the current window and returns each key's count so far. */
export async function hitRateLimits(db: Db, keys: string[], windowStart: number) {
  const rows = await db
    .insertInto('rate_limits')
    // Sorted, so concurrent requests lock the rows in one order and never deadlock.
    .values([...new Set(keys)].sort().map((key) => ({ key, window_start: windowStart, hits: 1 })))
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
    .returning(['key', 'hits'])
    .execute();
  return new Map(rows.map((r) => [r.key, r.hits]));
}

export async function deleteExpiredRateLimits(db: Db, before: number) {
  await db.deleteFrom('rate_limits').where('window_start', '<', before).execute();
}
