// Edge helpers shared by the routes: body and parameter parsing with zod, the client address,
// rate limiting and HR authentication. Everything here answers in the one error envelope.
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { deleteExpiredRateLimits, hitRateLimits } from '../db/queries/rate-limits.js';
import type { App, AppEnv } from './context.js';
import { ApiError } from './errors.js';

export const HR_COOKIE = 'hr_session';
export const CANDIDATE_COOKIE = 'candidate_session';

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') return `Unknown field(s): ${issue.keys.slice(0, 5).join(', ')}`;
  return `${where}${issue.message}`;
}

export function validationError(error: z.ZodError): ApiError {
  return new ApiError('VALIDATION_FAILED', describeIssue(error.issues[0]!), {
    details: error.issues.slice(0, 10).map(describeIssue),
  });
}

/**
 * Reads a JSON object body. `optional`: an empty body counts as {} (seed 002 posts some actions
 * with a JSON content type and no body).
 */
export async function readJson<T>(c: Context, schema: z.ZodType<T>, opts: { optional?: boolean } = {}): Promise<T> {
  const text = await c.req.text();
  let body: unknown = {};
  if (text.trim().length > 0) {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON (Content-Type: application/json)');
    }
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError('INVALID_JSON', 'The request body is not valid JSON');
    }
  } else if (!opts.optional) {
    throw new ApiError('VALIDATION_FAILED', 'A JSON body is required');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('VALIDATION_FAILED', 'The request body must be a JSON object');
  }
  // Postgres text cannot hold U+0000: a "\u0000" that reached a query failed there as a 500.
  if (/\\u0000/i.test(text) && containsNul(body)) {
    throw new ApiError('VALIDATION_FAILED', 'Text must not contain NUL (\\u0000) characters');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Any string (or key) with U+0000 in a parsed JSON value. Iterative: bodies may nest deeply. */
function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError('VALIDATION_FAILED', `Invalid ${what}`);
  return parsed.data;
}

/** Ids in paths: anything that is not a UUID cannot exist, so it is a 404 like any unknown id. */
export function parseId(value: string, what: string): string {
  if (!z.string().uuid().safeParse(value).success) throw new ApiError('NOT_FOUND', `${what} not found`);
  return value.toLowerCase();
}

export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    // The last hop is the one our own proxy appended; earlier ones are the client's word.
    const hops = c.req
      .header('x-forwarded-for')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (hops?.length) return hops[hops.length - 1]!;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const hashKey = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 22);

/**
 * Counts the request against the caller's IP and against each resource key (room code, token…),
 * in Postgres so the limits hold across API processes. 429 with Retry-After when over.
 */
export async function enforceRateLimit(c: Context, app: App, resourceKeys: string[]) {
  const { windowMs, perIp, perKey } = app.config.rateLimit;
  const now = app.deps.now();
  const windowStart = Math.floor(now / windowMs) * windowMs;
  // Keys are hashed: addresses and tokens are not kept in the table.
  const ipKey = `ip:${hashKey(clientIp(c, app.config.trustProxy))}`;
  const keys = [ipKey, ...resourceKeys.map((k) => `key:${hashKey(k)}`)];
  const hits = await hitRateLimits(app.deps.db, keys, windowStart);
  const over = keys.some((k) => (hits.get(k) ?? 0) > (k === ipKey ? perIp : perKey));
  if (Math.random() < 0.01) {
    void deleteExpiredRateLimits(app.deps.db, windowStart - 5 * windowMs).catch(() => {});
  }
  if (over) {
    const retryAfter = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    throw new ApiError(
      'RATE_LIMITED',
      'Too many requests. Please wait a moment and try again.',
      { retryAfter },
      { 'Retry-After': String(retryAfter) },
    );
  }
}

export function bearerToken(c: Context): string | undefined {
  const h = c.req.header('authorization');
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

/** HR authentication: the login cookie (seed 000) or `Authorization: Bearer` (seed 002). */
export function requireHr(app: App): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c) ?? getCookie(c, HR_COOKIE);
    const session = token ? await app.sessions.verifyHr(token) : null;
    if (!session) throw new ApiError('UNAUTHORIZED', 'Authentication required');
    c.set('hr', session);
    await next();
  };
}

export const paginationQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
