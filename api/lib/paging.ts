import type { Context, Hono } from 'hono';
import type { Db } from '../../db/connect.js';
import { decodeCursor, type Page } from '../../db/queries/paging.js';
import type { App, AppEnv } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { paginationQuery, parseId, parseWith } from '../http.js';

/**
 * `?limit=&cursor=` → a page request; a cursor that was not ours is a 400. `query`: the parameters
 * left once a route has taken its own filters out (merging them back into the full query string
 * made every `?status=` a 400 from the strict pagination schema).
 */
export function readPage(c: Context, query: Record<string, unknown> = c.req.query()): Page {
  const { limit, cursor } = parseWith(paginationQuery, query, 'pagination');
  if (cursor === undefined) return { limit };
  const after = decodeCursor(cursor);
  if (!after) throw new ApiError('VALIDATION_FAILED', 'Invalid cursor');
  return { limit, after };
}

interface Readable<Row> {
  list(db: Db, organizationId: string, page: Page): Promise<{ items: Row[]; nextCursor: string | null }>;
  get(db: Db, organizationId: string, id: string): Promise<Row | undefined>;
}

/** `GET /` (a page, newest first) and `GET /:id` of one of the caller organization's resources. */
export function readRoutes<Row>(r: Hono<AppEnv>, app: App, what: string, q: Readable<Row>, view: (row: Row) => unknown) {
  r.get('/', async (c) => {
    const page = await q.list(app.deps.db, c.get('hr').organizationId, readPage(c));
    return c.json({ items: page.items.map(view), nextCursor: page.nextCursor });
  });
  r.get('/:id', async (c) => {
    const row = await q.get(app.deps.db, c.get('hr').organizationId, parseId(c.req.param('id'), what));
    if (!row) throw notFound(what);
    return c.json(view(row));
  });
}
