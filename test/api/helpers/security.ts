// What the security files share: one harness with the rate limits out of the way, the tables a
// hostile request must leave alone, the exact error envelope, and raw POSTs.
import { afterAll, beforeAll, expect } from 'vitest';
import { hrUser, json, PHONE, room, startHarness, type Harness } from '../../../testkit/api.js';
import { tableSnapshot } from './tables.js';

export let h: Harness;
export let hr: Awaited<ReturnType<typeof hrUser>>;
export let other: Awaited<ReturnType<typeof hrUser>>;
export let r: Awaited<ReturnType<typeof room>>;
export async function setUpSecurity() {
  h = await startHarness({ RATE_LIMIT_PER_KEY: '100000', RATE_LIMIT_PER_IP: '100000' });
  hr = await hrUser(h);
  other = await hrUser(h);
  r = await room(h, hr.auth);
}

export type Body = Record<string, unknown>;
export type Auth = Record<string, string>;

/** Rows and a checksum of each business table: a hostile request leaves them alone. */
export const snapshot = () => tableSnapshot(h.deps.db);

const LEAKS =
  /\bat .+:\d+:\d+|node_modules|\.ts:\d+|\bSELECT\b|\bINSERT\b|\bUPDATE\b|relation "|syntax error|duplicate key|violates|ZodError|postgres|kysely|stack/i;

/** The envelope, exactly: error, code, requestId, plus the documented extras for that code. */
export async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await res.text();
  expect(text).not.toMatch(LEAKS);
  const body = JSON.parse(text) as Body;
  const extras = code === 'VALIDATION_FAILED' ? ['details'] : code === 'RATE_LIMITED' ? ['retryAfter'] : [];
  expect(Object.keys(body).sort()).toEqual(expect.arrayContaining(['code', 'error', 'requestId']));
  for (const k of Object.keys(body)) expect(['code', 'error', 'requestId', ...extras]).toContain(k);
  expect(body.code).toBe(code);
  expect(typeof body.error).toBe('string');
  expect((body.error as string).length).toBeGreaterThan(0);
  expect(typeof body.requestId).toBe('string');
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  if (body.details !== undefined) {
    expect(Array.isArray(body.details)).toBe(true);
    for (const d of body.details as unknown[]) expect(typeof d).toBe('string');
  }
  return body;
}

/** Starts the harness before the file's tests and closes it after. */
export function useSecurityHarness() {
  beforeAll(setUpSecurity);
  afterAll(() => h?.close());
}

export function raw(path: string, auth: Auth, body: BodyInit | null, contentType?: string, extra: Auth = {}) {
  const headers: Auth = { ...auth, ...extra };
  if (contentType) headers['content-type'] = contentType;
  return h.request(path, { method: 'POST', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
}

/** An application of a fresh job and candidate in `auth`'s organization. */
export async function appFor(auth: Auth) {
  const post = async (path: string, body: Body) =>
    (await json(await h.request(path, { method: 'POST', headers: auth, json: body }))).id as string;
  const jobId = await post('/api/jobs', { title: 't', description: 'd', companyName: 'c' });
  const candidateId = await post('/api/candidates', { firstName: 'a', lastName: 'b', email: 'x@example.com', phoneNumber: PHONE });
  return post('/api/applications', { jobId, candidateId });
}
