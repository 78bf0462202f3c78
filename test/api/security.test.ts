// Hostile input across the API: bodies that are not what they claim, forged sessions, cross-site
// cookie calls. Each answers in the one error envelope, leaks nothing, and changes no row.
import { randomUUID } from 'node:crypto';
import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../api/app.js';
import { sessionTokens } from '../../api/lib/session-token.js';
import { connectDatabase } from '../../db/connect.js';
import type { Database } from '../../db/schema.js';
import { hrUser, json, PHONE, room, startHarness, type Harness } from '../../testkit/api.js';
import { urlFor } from '../../testkit/postgres.js';

// Many public calls from one address: the limits are not what this file is about.
let h: Harness;
let hr: Awaited<ReturnType<typeof hrUser>>;
let other: Awaited<ReturnType<typeof hrUser>>;
let r: Awaited<ReturnType<typeof room>>;
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_PER_KEY: '100000', RATE_LIMIT_PER_IP: '100000' });
  hr = await hrUser(h);
  other = await hrUser(h);
  r = await room(h, hr.auth);
});
afterAll(() => h?.close());

type Body = Record<string, unknown>;
type Auth = Record<string, string>;

const TABLES: (keyof Database)[] = [
  'organizations',
  'users',
  'jobs',
  'candidates',
  'applications',
  'interviews',
  'interview_status_changes',
  'audit_log',
  'text_sessions',
];

async function snapshot() {
  const counts: Record<string, number> = {};
  for (const t of TABLES) {
    const row = await h.deps.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    counts[t] = Number(row.n);
  }
  return counts;
}

const LEAKS =
  /\bat .+:\d+:\d+|node_modules|\.ts:\d+|\bSELECT\b|\bINSERT\b|\bUPDATE\b|relation "|syntax error|duplicate key|violates|ZodError|postgres|kysely|stack/i;

/** The envelope, exactly: error, code, requestId, plus the documented extras for that code. */
async function expectError(res: Response, status: number, code: string) {
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

function raw(path: string, auth: Auth, body: BodyInit | null, contentType?: string, extra: Auth = {}) {
  const headers: Auth = { ...auth, ...extra };
  if (contentType) headers['content-type'] = contentType;
  return h.request(path, { method: 'POST', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
}

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

async function appFor(auth: Auth) {
  const post = async (path: string, body: Body) =>
    (await json(await h.request(path, { method: 'POST', headers: auth, json: body }))).id as string;
  const jobId = await post('/api/jobs', { title: 't', description: 'd', companyName: 'c' });
  const candidateId = await post('/api/candidates', { firstName: 'a', lastName: 'b', email: 'x@example.com', phoneNumber: PHONE });
  return post('/api/applications', { jobId, candidateId });
}

describe('forged sessions', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const claims = () => ({
    sub: hr.userId,
    org: hr.organizationId,
    typ: 'hr',
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 3600,
  });

  async function forgeries(): Promise<[string, string][]> {
    const [header, , signature] = hr.access.split('.') as [string, string, string];
    const expired = await (async () => {
      const spy = vi.spyOn(Date, 'now').mockReturnValue(Date.now() - 9 * 60 * 60 * 1000);
      try {
        return await sessionTokens(h.config.sessionSecret).signHr({ userId: hr.userId, organizationId: hr.organizationId });
      } finally {
        spy.mockRestore();
      }
    })();
    const join = await h.request(`/api/public/interview/join/${r.roomCode}`, {
      method: 'POST',
      json: { phoneNumber: PHONE, firstName: 'Ahmed', lastName: 'Hassan' },
    });
    expect(join.status).toBe(200);
    const { token: liveKitToken } = await json<{ token: string }>(join);
    return [
      ['garbage', 'not-a-token'],
      ['three garbage parts', 'a.b.c'],
      ['signed with another secret', await sign(claims(), 'another-secret-another-secret-0123', 'HS256')],
      ['signed with the raw SESSION_SECRET', await sign(claims(), h.config.sessionSecret, 'HS256')],
      ['signed with the LiveKit secret', await sign(claims(), h.config.livekit.apiSecret, 'HS256')],
      ["payload swapped for another organization's", `${header}.${b64({ ...claims(), org: other.organizationId })}.${signature}`],
      ['signature altered', `${header}.${hr.access.split('.')[1]}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`],
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
      ['alg none with the real signature', `${b64({ alg: 'none', typ: 'JWT' })}.${hr.access.split('.')[1]}.${signature}`],
      ['expired', expired],
      // Also the candidate's session: the join token is what the candidate_session cookie holds.
      ['a LiveKit join token', liveKitToken],
      ['an oversized token', `${hr.access}${'A'.repeat(5000)}`],
    ];
  }

  it('answers every forged, expired or tampered HR session with 401 and creates nothing', async () => {
    const list = await forgeries();
    const before = await snapshot();
    for (const [label, token] of list) {
      for (const auth of [{ authorization: `Bearer ${token}` }, { cookie: `hr_session=${token}` }] as Auth[]) {
        const ctx = `${label} via ${Object.keys(auth)[0]}`;
        const me = await h.request('/api/auth/me', { headers: auth });
        expect(me.status, ctx).toBe(401);
        await expectError(me, 401, 'UNAUTHORIZED');
        await expectError(await h.request('/api/jobs', { headers: auth }), 401, 'UNAUTHORIZED');
        await expectError(
          await h.request('/api/jobs', { method: 'POST', headers: auth, json: { title: 't', description: 'd', companyName: 'c' } }),
          401,
          'UNAUTHORIZED',
        );
        // (The join token as a bearer is the candidate's own documented way to end: not a forgery there.)
        if (!(label === 'a LiveKit join token' && 'authorization' in auth)) {
          await expectError(
            await h.request(`/api/public/interview/room/${r.roomCode}/end`, { method: 'POST', headers: auth }),
            401,
            'UNAUTHORIZED',
          );
        }
      }
    }
    expect(await snapshot()).toEqual(before);
    // The real token still works: the 401s were the forgeries', not a broken setup.
    expect((await h.request('/api/auth/me', { headers: hr.auth })).status).toBe(200);
  });

  it('does not take an HR session as a candidate session', async () => {
    const fresh = await room(h, hr.auth);
    const before = await snapshot();
    // Another organization's HR token, presented where the candidate cookie goes.
    await expectError(
      await h.request(`/api/public/interview/room/${fresh.roomCode}/end`, {
        method: 'POST',
        headers: { cookie: `candidate_session=${other.access}` },
      }),
      401,
      'UNAUTHORIZED',
    );
    expect(await snapshot()).toEqual(before);
  });
});

describe('cross-site cookie calls', () => {
  const jobBody = { title: 'csrf', description: 'd', companyName: 'c' };

  it('refuses a cross-site POST carrying the HR cookie (403) and creates nothing', async () => {
    const cookie = `hr_session=${hr.access}`;
    const before = await snapshot();
    const attempts: [Auth, string][] = [
      [{ cookie, origin: 'https://evil.example' }, 'application/json'],
      [{ cookie, origin: 'https://evil.example' }, 'text/plain'],
      [{ cookie, origin: 'https://evil.example' }, 'application/x-www-form-urlencoded'],
      [{ cookie, origin: 'null' }, 'application/json'],
      [{ cookie, origin: 'http://localhost:8000.evil.example' }, 'application/json'],
      [{ cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 'text/plain'],
    ];
    for (const [headers, type] of attempts) {
      await expectError(await raw('/api/jobs', headers, JSON.stringify(jobBody), type), 403, 'FORBIDDEN');
    }
    const applicationId = await appFor(hr.auth);
    const mid = await snapshot();
    await expectError(
      await raw(
        '/api/public/interview/room/create',
        { cookie, origin: 'https://evil.example' },
        JSON.stringify({ applicationId, interviewType: 'TECHNICAL' }),
        'application/json',
      ),
      403,
      'FORBIDDEN',
    );
    expect(await snapshot()).toEqual(mid);
    expect(before.jobs! + 1).toBe(mid.jobs); // appFor's job, nothing from the attempts
    const titles = await h.deps.db.selectFrom('jobs').select('title').where('title', '=', 'csrf').execute();
    expect(titles).toEqual([]);
  });

  it("refuses a form POST with the cookie and no Origin (a form can't be told apart otherwise)", async () => {
    const before = await snapshot();
    // h.app.request directly: the harness would add the product's own Origin.
    const res = await h.app.request('/api/jobs', {
      method: 'POST',
      headers: { cookie: `hr_session=${hr.access}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'title=x',
    });
    await expectError(res, 403, 'FORBIDDEN');
    expect(await snapshot()).toEqual(before);
  });

  it('accepts the same cookie call from the product’s own origin', async () => {
    const res = await raw(
      '/api/jobs',
      { cookie: `hr_session=${hr.access}`, origin: 'http://localhost:8000' },
      JSON.stringify(jobBody),
      'application/json',
    );
    expect(res.status).toBe(201);
  });

  it('does not ask cookie-less bearer calls for an Origin (no ambient credentials to abuse)', async () => {
    const res = await raw(
      '/api/jobs',
      { ...hr.auth, origin: 'https://evil.example' },
      JSON.stringify({ ...jobBody, title: 'bearer' }),
      'application/json',
    );
    expect(res.status).toBe(201);
  });

  it('refuses a cross-site end with the candidate cookie and leaves the interview open', async () => {
    const fresh = await room(h, hr.auth);
    const join = await h.request(`/api/public/interview/join/${fresh.roomCode}`, {
      method: 'POST',
      json: { phoneNumber: PHONE, firstName: 'Ahmed', lastName: 'Hassan' },
    });
    const cookie = join.headers
      .getSetCookie()
      .find((c) => c.startsWith('candidate_session='))!
      .split(';')[0]!;
    const before = await snapshot();
    for (const type of ['application/json', 'text/plain']) {
      await expectError(
        await raw(`/api/public/interview/room/${fresh.roomCode}/end`, { cookie, origin: 'https://evil.example' }, '', type),
        403,
        'FORBIDDEN',
      );
    }
    expect(await snapshot()).toEqual(before);
    const row = await h.deps.db.selectFrom('interviews').select('status').where('id', '=', fresh.sessionId).executeTakeFirstOrThrow();
    expect(row.status).toBe('READY');
    // From its own page it works.
    expect((await h.request(`/api/public/interview/room/${fresh.roomCode}/end`, { method: 'POST', headers: { cookie } })).status).toBe(200);
  });
});

describe('the error envelope', () => {
  it('answers unknown routes and methods with a 404 envelope', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/api'],
      ['GET', '/api/nope'],
      ['POST', '/api/jobs/123/extra'],
      ['DELETE', '/api/jobs'],
      ['PUT', `/api/jobs/${randomUUID()}`],
      ['GET', '/api/public/interview/join/ABCDEFGH'],
      ['PATCH', '/api/interviews'],
    ] as const) {
      await expectError(await h.request(path, { method, headers: hr.auth }), 404, 'NOT_FOUND');
    }
  });

  it('hides internals behind a plain 500 envelope when the database is unreachable', async () => {
    const broken = await connectDatabase({ databaseUrl: urlFor('interviewer_no_such_database'), dataDir: '.data', poolSize: 1 });
    try {
      const app = createApp(h.config, { ...h.deps, db: broken.db });
      for (const [path, init] of [
        ['/api/jobs', { headers: hr.auth }],
        [`/api/public/interview/room/${r.roomCode}`, {}],
        [
          '/api/auth/login',
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: hr.email, password: hr.password }),
          },
        ],
      ] as [string, RequestInit][]) {
        const res = await app.request(path, init);
        const body = await expectError(res, 500, 'INTERNAL');
        expect(body.error).toBe('Internal server error');
        expect(JSON.stringify(body)).not.toMatch(/interviewer_no_such_database|does not exist|ECONNREFUSED/);
      }
    } finally {
      await broken.close();
    }
  });

  it('sends the security headers on errors too', async () => {
    const res = await h.request('/api/nope');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBeTruthy();
    await expectError(res, 404, 'NOT_FOUND');
  });
});
