import type { Context } from 'hono';
import { decodeCursor, type Page } from '../../db/queries/paging.js';
import { ApiError } from '../errors.js';
import { paginationQuery, parseWith } from '../http.js';

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
