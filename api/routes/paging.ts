import type { Context } from 'hono';
import { decodeCursor, type Page } from '../../db/queries/paging.js';
import { ApiError } from '../errors.js';
import { paginationQuery, parseWith } from '../http.js';

/** `?limit=&cursor=` → a page request; a cursor that was not ours is a 400. */
export function readPage(c: Context, extra: Record<string, unknown> = {}): Page {
  const { limit, cursor } = parseWith(paginationQuery, { ...c.req.query(), ...extra }, 'pagination');
  if (cursor === undefined) return { limit };
  const after = decodeCursor(cursor);
  if (!after) throw new ApiError('VALIDATION_FAILED', 'Invalid cursor');
  return { limit, after };
}
