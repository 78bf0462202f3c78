// The HR API: login, jobs, candidates and applications. Interviews: hr-interviews.test.ts; paging,
// mass assignment and organization scoping: hr-lists.test.ts.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUBRIC } from '../../core/rubric.js';
import { hrUser, json, PHONE } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';
import { candidate, count, created, get, h, job, type Page, post, UUID, nextEmail, useHrHarness } from './helpers/hr.js';

useHrHarness();

describe('POST /api/auth/login', () => {
  it('answers {access} and sets the HttpOnly hr_session cookie', async () => {
    const hr = await hrUser(h);
    const res = await h.request('/api/auth/login/', { method: 'POST', json: { email: hr.email, password: hr.password } });
    expect(res.status).toBe(200);
    const body = await json<{ access: string }>(res);
    expect(Object.keys(body)).toEqual(['access']);
    expect(body.access.split('.')).toHaveLength(3);
    const line = res.headers.getSetCookie().find((c) => c.startsWith('hr_session='))!;
    expect(line).toBeDefined();
    const attrs = line.split(';').map((a) => a.trim().toLowerCase());
    expect(attrs).toContain('httponly');
    expect(attrs).toContain('path=/');
    expect(attrs).toContain('samesite=lax');
    expect(line.split(';')[0]).toBe(`hr_session=${body.access}`);

    const me = await get('/api/auth/me', { authorization: `Bearer ${body.access}` });
    expect(await json(me)).toEqual({ userId: hr.userId, organizationId: hr.organizationId });
    const meByCookie = await get('/api/auth/me', { cookie: `hr_session=${body.access}` });
    expect(await json(meByCookie)).toEqual({ userId: hr.userId, organizationId: hr.organizationId });
  });

  it('matches the email without regard to case', async () => {
    const hr = await hrUser(h);
    const res = await h.request('/api/auth/login', { method: 'POST', json: { email: hr.email.toUpperCase(), password: hr.password } });
    expect(res.status).toBe(200);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const hr = await hrUser(h);
    const wrong = await h.request('/api/auth/login/', { method: 'POST', json: { email: hr.email, password: 'wrong password' } });
    const unknown = await h.request('/api/auth/login/', {
      method: 'POST',
      json: { email: 'nobody-here@example.com', password: hr.password },
    });
    const a = await expectError(wrong, 401, 'INVALID_CREDENTIALS');
    const b = await expectError(unknown, 401, 'INVALID_CREDENTIALS');
    expect(wrong.status).toBe(unknown.status);
    expect({ ...a, requestId: undefined }).toEqual({ ...b, requestId: undefined });
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect(unknown.headers.getSetCookie()).toEqual([]);
  });

  it('rejects a body without a password with 400', async () => {
    await expectError(await h.request('/api/auth/login', { method: 'POST', json: { email: 'a@example.com' } }), 400, 'VALIDATION_FAILED');
  });

  it('refuses HR endpoints without a session (401)', async () => {
    for (const path of ['/api/jobs', '/api/candidates', '/api/applications', '/api/interviews', '/api/auth/me']) {
      await expectError(await h.request(path), 401, 'UNAUTHORIZED');
    }
  });
});

describe('jobs', () => {
  it('creates, gets and lists a job', async () => {
    const hr = await hrUser(h);
    const res = await post('/api/jobs', hr.auth, {
      title: '  Senior Backend Developer - Fintech ',
      description: 'Build payment services.',
      companyName: 'MENA Bank',
    });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toEqual({
      id: expect.stringMatching(UUID),
      title: 'Senior Backend Developer - Fintech',
      description: 'Build payment services.',
      companyName: 'MENA Bank',
      rubric: DEFAULT_RUBRIC,
      rubricIsDefault: true,
      createdAt: expect.any(String),
    });
    const one = await get(`/api/jobs/${body.id}`, hr.auth);
    expect(one.status).toBe(200);
    expect(await json(one)).toEqual(body);
    const list = await json<Page>(await get('/api/jobs', hr.auth));
    expect(list.items).toEqual([body]);
    expect(list.nextCursor).toBeNull();
  });

  it('rejects an empty title with 400 and inserts nothing', async () => {
    const hr = await hrUser(h);
    const before = await count('jobs');
    await expectError(await post('/api/jobs', hr.auth, { title: '  ', description: 'd', companyName: 'c' }), 400, 'VALIDATION_FAILED');
    expect(await count('jobs')).toBe(before);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    const hr = await hrUser(h);
    await expectError(await get(`/api/jobs/${randomUUID()}`, hr.auth), 404, 'NOT_FOUND');
    await expectError(await get('/api/jobs/not-a-uuid', hr.auth), 404, 'NOT_FOUND');
  });
});

describe('candidates', () => {
  it.each([
    ['in the national format of the default region', '0509876543', PHONE],
    ['with spaces and dashes', '+971 50-987-6543', PHONE],
    ['from another country', '+44 7911 123456', '+447911123456'],
  ])('stores a phone %s in E.164', async (_, phone, e164) => {
    const hr = await hrUser(h);
    const body = await candidate(hr.auth, { phoneNumber: phone, email: `  Mixed.Case${nextEmail()}@Example.com ` });
    expect(body).toMatchObject({ phoneNumber: e164, firstName: 'Sara', lastName: 'Ali', resumeText: '' });
    expect(body.email).toBe((body.email as string).toLowerCase());
    const row = await h.deps.db
      .selectFrom('candidates')
      .select('phone_e164')
      .where('id', '=', body.id as string)
      .executeTakeFirstOrThrow();
    expect(row.phone_e164).toBe(e164);
    expect(await json(await get(`/api/candidates/${body.id}`, hr.auth))).toEqual(body);
  });

  it.each([
    ['letters', 'call me maybe'],
    ['too short', '123'],
    ['not a valid number', '+97112'],
  ])('rejects a phone that is %s with 400 and inserts nothing', async (_, phone) => {
    const hr = await hrUser(h);
    const before = await count('candidates');
    const res = await post('/api/candidates', hr.auth, {
      firstName: 'Sara',
      lastName: 'Ali',
      email: 'sara@example.com',
      phoneNumber: phone,
    });
    await expectError(res, 400, 'VALIDATION_FAILED');
    expect(await count('candidates')).toBe(before);
  });

  it('rejects an invalid email with 400', async () => {
    const hr = await hrUser(h);
    await expectError(
      await post('/api/candidates', hr.auth, { firstName: 'S', lastName: 'A', email: 'not-an-email', phoneNumber: PHONE }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('applications', () => {
  it('creates, gets and lists an application; a second one for the same pair is a 409', async () => {
    const hr = await hrUser(h);
    const j = await job(hr.auth);
    const c = await candidate(hr.auth);
    const a = await created('/api/applications', hr.auth, { jobId: j.id, candidateId: c.id });
    expect(a).toEqual({ id: expect.stringMatching(UUID), jobId: j.id, candidateId: c.id, createdAt: expect.any(String) });
    expect(await json(await get(`/api/applications/${a.id}`, hr.auth))).toEqual(a);
    expect((await json<Page>(await get('/api/applications', hr.auth))).items).toEqual([a]);

    const before = await count('applications');
    await expectError(await post('/api/applications', hr.auth, { jobId: j.id, candidateId: c.id }), 409, 'CONFLICT');
    expect(await count('applications')).toBe(before);
  });

  it('answers 404 for unknown job or candidate ids', async () => {
    const hr = await hrUser(h);
    const j = await job(hr.auth);
    await expectError(await post('/api/applications', hr.auth, { jobId: j.id, candidateId: randomUUID() }), 404, 'NOT_FOUND');
  });
});
