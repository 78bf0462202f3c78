// Forged sessions, cross-site cookie calls and the error envelope: each refusal answers in the one
// envelope, leaks nothing, and changes no row. Hostile bodies and values: security.test.ts.
import { randomUUID } from 'node:crypto';
import { sign } from 'hono/jwt';
import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../../api/app.js';
import { sessionTokens } from '../../api/lib/session-token.js';
import { connectDatabase } from '../../db/connect.js';
import { json, PHONE, room } from '../../testkit/api.js';
import { urlFor } from '../../testkit/postgres.js';
import { appFor, expectError, h, hr, other, r, raw, snapshot, useSecurityHarness, type Auth } from './helpers/security.js';

useSecurityHarness();

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
    expect(before.jobs!.rows + 1).toBe(mid.jobs!.rows); // appFor's job, nothing from the attempts
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
