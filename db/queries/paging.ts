// Keyset pagination over (created_at, id), newest first. The cursor is opaque to clients.
import { sql, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';

export interface Page {
  limit: number;
  after?: { createdAt: Date; id: string };
}

const cursorSchema = z.tuple([z.string().datetime(), z.string().uuid()]);

export function encodeCursor(row: { created_at: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.created_at.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Page['after'] | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { createdAt: new Date(parsed.data[0]), id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

/** Fetches limit + 1 rows to know whether another page exists. */
export function pageResult<T extends { created_at: Date; id: string }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** Runs a query (already filtered to one organization) one page at a time, newest first. */
export async function paginate<T extends { created_at: Date; id: string }>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table with created_at + id
  query: SelectQueryBuilder<any, any, T>,
  page: Page,
  table: string,
) {
  let q = query;
  if (page.after) {
    // The cursor's time went through a JS Date (milliseconds) but created_at keeps microseconds, so
    // comparing with it skipped rows from the same millisecond (a batch insert shares one now()).
    // The cursor row's own created_at is exact; the cursor's time stands in only if it is gone.
    const after = sql`coalesce((SELECT c.created_at FROM ${sql.table(table)} c WHERE c.id = ${page.after.id}), ${page.after.createdAt})`;
    q = q.where(sql<boolean>`(${sql.ref(`${table}.created_at`)}, ${sql.ref(`${table}.id`)}) < (${after}, ${page.after.id})`);
  }
  const rows = await q
    .orderBy(sql.ref(`${table}.created_at`), 'desc')
    .orderBy(sql.ref(`${table}.id`), 'desc')
    .limit(page.limit + 1)
    .execute();
  return pageResult(rows, page.limit);
}
