// Hostile bodies and values across the API: bodies that are not what they claim, numbers and text
// Postgres would choke on, odd paths. Each answers in the one error envelope, leaks nothing, and
// changes no row. Sessions and cross-site calls: security-sessions.test.ts.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { json, PHONE } from '../../testkit/api.js';
import { appFor, expectError, h, hr, r, raw, snapshot, useSecurityHarness, type Auth, type Body } from './helpers/security.js';

useSecurityHarness();

/** Every JSON-body endpoint, with a body it would accept and the credentials it needs. */
const endpoints = (): [string, string, Auth, Body][] => [
  ['jobs', '/api/jobs', hr.auth, { title: 't', description: 'd', companyName: 'c' }],
  ['candidates', '/api/candidates', hr.auth, { firstName: 'a', lastName: 'b', email: 'a@example.com', phoneNumber: PHONE }],
  ['applications', '/api/applications', hr.auth, { jobId: randomUUID(), candidateId: randomUUID() }],
  ['interviews', '/api/interviews', hr.auth, { applicationId: randomUUID(), interviewType: 'TECHNICAL' }],
  ['room/create', '/api/public/interview/room/create', hr.auth, { applicationId: randomUUID(), interviewType: 'TECHNICAL' }],
  ['join', `/api/public/interview/join/${r.roomCode}`, {}, { phoneNumber: PHONE, firstName: 'Ahmed', lastName: 'Hassan' }],
  ['login', '/api/auth/login', {}, { email: hr.email, password: hr.password }],
  ['text start', '/api/ai-interview/public/start/', {}, { interview_id: randomUUID(), link_token: 'x.y' }],
];
const NAMES = ['jobs', 'candidates', 'applications', 'interviews', 'room/create', 'join', 'login', 'text start'];
const endpoint = (name: string) => endpoints().find((e) => e[0] === name)!;

describe.each(NAMES)('hostile bodies: %s', (name) => {
  it('refuses a body that is not JSON by its content type (415)', async () => {
    const [, path, auth, good] = endpoint(name);
    const before = await snapshot();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      await expectError(await raw(path, auth, JSON.stringify(good), type), 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    await expectError(await raw(path, auth, JSON.stringify(good)), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses invalid JSON (400 INVALID_JSON)', async () => {
    const [, path, auth] = endpoint(name);
    const before = await snapshot();
    for (const text of ['{', '{"a":', "{'a': 1}", '{"a": 1,}', 'undefined', '\u0000']) {
      await expectError(await raw(path, auth, text, 'application/json'), 400, 'INVALID_JSON');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses arrays, strings, numbers, booleans, null and an empty body (400)', async () => {
    const [, path, auth, good] = endpoint(name);
    const before = await snapshot();
    for (const text of ['[]', JSON.stringify([good]), '"text"', '42', 'true', 'null', '', '   ']) {
      await expectError(await raw(path, auth, text, 'application/json'), 400, 'VALIDATION_FAILED');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses __proto__, constructor and prototype keys (400) and pollutes nothing', async () => {
    const [, path, auth, good] = endpoint(name);
    const before = await snapshot();
    const inner = JSON.stringify(good).slice(1, -1);
    for (const text of [
      `{"__proto__": {"polluted": true}, ${inner}}`,
      `{"constructor": {"prototype": {"polluted": true}}, ${inner}}`,
      `{"prototype": {"polluted": true}, ${inner}}`,
    ]) {
      await expectError(await raw(path, auth, text, 'application/json'), 400, 'VALIDATION_FAILED');
    }
    expect(({} as Body).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body over 256 KiB (413), declared or streamed', async () => {
    const [, path, auth, good] = endpoint(name);
    const before = await snapshot();
    const big = JSON.stringify({ ...good, padding: 'x'.repeat(256 * 1024) });
    await expectError(
      await raw(path, auth, big, 'application/json', { 'content-length': String(Buffer.byteLength(big)) }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.subarray(i, i + 16 * 1024));
        controller.close();
      },
    });
    await expectError(await raw(path, auth, stream, 'application/json'), 413, 'PAYLOAD_TOO_LARGE');
    // Just under the limit is read, and then refused by the schema, not by size.
    const under = JSON.stringify({ ...good, padding: 'x'.repeat(200 * 1024) });
    await expectError(await raw(path, auth, under, 'application/json'), 400, 'VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);
  });
});

describe('hostile values', () => {
  it('rejects numbers and dates Postgres would choke on with 400, not 500', async () => {
    const applicationId = await appFor(hr.auth);
    const before = await snapshot();
    // Raw JSON text: JSON.stringify would turn 1e400 into null before it reached the API.
    for (const over of [
      '"scheduledAt": "0000-01-01T00:00:00Z"',
      '"scheduledAt": "1899-12-31T23:59:59Z"',
      '"scheduledAt": "2024-02-30T10:00:00Z"',
      '"scheduledAt": "10000-01-01T00:00:00Z"',
      '"maxDuration": 1e400',
      '"maxDuration": 9007199254740993',
      '"maxDuration": "1800"',
      '"maxDuration": -0.5',
    ]) {
      for (const path of ['/api/interviews', '/api/public/interview/room/create']) {
        const text = `{"applicationId": "${applicationId}", "interviewType": "TECHNICAL", ${over}}`;
        await expectError(await raw(path, hr.auth, text, 'application/json'), 400, 'VALIDATION_FAILED');
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses deeply nested JSON with 400', async () => {
    const before = await snapshot();
    const deep = `{"title": ${'['.repeat(60_000)}${']'.repeat(60_000)}, "description": "d", "companyName": "c"}`;
    await expectError(await raw('/api/jobs', hr.auth, deep, 'application/json'), 400, 'VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses NUL characters in text with 400', async () => {
    const before = await snapshot();
    const res = await h.request('/api/jobs', {
      method: 'POST',
      headers: hr.auth,
      json: { title: 'a\u0000b', description: 'd', companyName: 'c' },
    });
    await expectError(res, 400, 'VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);
  });

  it('stores SQL-looking and markup text verbatim', async () => {
    const title = `'; DROP TABLE jobs; -- <script>alert(1)</script> \u202e ${'"'}`;
    const res = await h.request('/api/jobs', { method: 'POST', headers: hr.auth, json: { title, description: 'd', companyName: 'c' } });
    expect(res.status).toBe(201);
    const job = await json(res);
    expect(job.title).toBe(title);
    expect((await json(await h.request(`/api/jobs/${job.id}`, { headers: hr.auth }))).title).toBe(title);
  });

  it('answers odd ids and paths with a 404 envelope', async () => {
    for (const path of [
      "/api/jobs/'%20OR%201=1%20--",
      '/api/jobs/..%2F..%2Fetc%2Fpasswd',
      '/api/interviews/%00',
      `/api/interviews/${randomUUID().toUpperCase()}`,
      '/api/candidates/12345678-1234-1234-1234-1234567890123',
      '/api/public/interview/room/%E2%80%AE%E2%80%AE',
    ]) {
      await expectError(await h.request(path, { headers: hr.auth }), 404, 'NOT_FOUND');
    }
  });

  it('answers hostile query strings with a 400 envelope, never a 500', async () => {
    await expectError(await h.request('/api/jobs?limit=%ZZ', { headers: hr.auth }), 400, 'VALIDATION_FAILED');
    await expectError(await h.request('/api/jobs?cursor=%E0%A4%A', { headers: hr.auth }), 400, 'VALIDATION_FAILED');
    await expectError(await h.request('/api/jobs?limit=1e3', { headers: hr.auth }), 400, 'VALIDATION_FAILED');
    // A well-formed cursor from before any row: an empty page, not an error from the driver.
    const ancient = Buffer.from(JSON.stringify(['0000-01-01T00:00:00Z', randomUUID()])).toString('base64url');
    const res = await h.request(`/api/jobs?cursor=${ancient}`, { headers: hr.auth });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ items: [], nextCursor: null });
  });
});
