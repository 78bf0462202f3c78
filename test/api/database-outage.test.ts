// The database away (restarting, or gone first at shutdown): every endpoint answers 503 in the
// error envelope with Retry-After, never a 500, and the process stays up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DbHandle } from '../../db/connect.js';
import { json, startHarness, type Harness } from '../../testkit/api.js';

let h: Harness;
let dead: DbHandle;
beforeAll(async () => {
  // Nothing listens on port 9: every query fails to connect.
  dead = await connectDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:9/postgres', dataDir: '.data', poolSize: 1 });
  h = await startHarness({}, undefined, { db: dead.db });
});
afterAll(async () => {
  await dead?.close();
  await h?.close();
});

describe('with the database unreachable', () => {
  it.each([
    ['GET', '/api/public/interview/room/ABCDEFGH', undefined],
    ['POST', '/api/public/interview/join/ABCDEFGH', { phoneNumber: '+971509876543', firstName: 'A', lastName: 'B' }],
    ['POST', '/api/auth/login/', { email: 'hr@example.com', password: 'whatever-password' }],
  ])('%s %s answers 503 with Retry-After in the envelope', async (method, path, body) => {
    const res = await h.request(path, { method, json: body });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const b = await json(res);
    expect(b).toEqual({ error: expect.any(String), code: 'SERVICE_UNAVAILABLE', requestId: expect.any(String) });
    expect(JSON.stringify(b)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|pg-pool/);
  });
});
