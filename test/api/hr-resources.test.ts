// The HR API: login, jobs, candidates, applications and interviews. Organization scoping, paging,
// and bodies that carry more than the schema allows.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RUBRIC } from '../../core/rubric.js';
import type { Database } from '../../db/schema.js';
import { application, hrUser, json, PHONE, startHarness, type Harness } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

type Body = Record<string, unknown>;
type Auth = Record<string, string>;
type Page = { items: Body[]; nextCursor: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const post = (path: string, auth: Auth, body: unknown) => h.request(path, { method: 'POST', headers: auth, json: body });
const get = (path: string, auth: Auth) => h.request(path, { headers: auth });

async function created(path: string, auth: Auth, body: unknown) {
  const res = await post(path, auth, body);
  if (res.status !== 201) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return json(res);
}

const count = async (table: keyof Database) =>
  Number(
    (
      await h.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const job = (auth: Auth, title = 'Backend Engineer') =>
  created('/api/jobs', auth, { title, description: 'Node.js and Postgres.', companyName: 'MENA Bank' });

let emails = 0;
const candidate = (auth: Auth, over: Body = {}) =>
  created('/api/candidates', auth, {
    firstName: 'Sara',
    lastName: 'Ali',
    email: `sara${++emails}@example.com`,
    phoneNumber: '+971501112233',
    ...over,
  });

/** Follows nextCursor from the first page to the last; fails on a page larger than `limit`. */
async function walk(path: string, auth: Auth, limit: number) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, auth);
    expect(res.status).toBe(200);
    const page = await json<Page>(res);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    if (page.nextCursor) expect(page.items).toHaveLength(limit);
    ids.push(...page.items.map((i) => i.id as string));
    cursor = page.nextCursor;
    pages += 1;
    if (pages > 100) throw new Error('pagination does not end');
  } while (cursor);
  return { ids, pages };
}

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
    const body = await candidate(hr.auth, { phoneNumber: phone, email: `  Mixed.Case${++emails}@Example.com ` });
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

describe('interviews', () => {
  it('creates an interview and shows it with status, questions, transcript, evaluation and history', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const scheduledAt = new Date(h.clock.now + 3_600_000).toISOString();
    const res = await post('/api/interviews', hr.auth, {
      applicationId,
      interviewType: 'TECHNICAL',
      scheduledAt,
      maxDuration: 1200,
      instructions: 'Answer in your own words.',
    });
    expect(res.status).toBe(201);
    const iv = await json(res);
    expect(iv).toMatchObject({
      id: expect.stringMatching(UUID),
      applicationId,
      interviewType: 'TECHNICAL',
      status: 'SCHEDULED',
      scheduledAt,
      maxDuration: 1200,
      instructions: 'Answer in your own words.',
      revealResultsToCandidate: false,
      roomCode: null,
      roomName: null,
      endedAt: null,
    });
    const id = iv.id as string;

    const fresh = await json(await get(`/api/interviews/${id}`, hr.auth));
    expect(fresh).toMatchObject({
      id,
      status: 'SCHEDULED',
      candidate: { firstName: 'Ahmed', lastName: 'Hassan', email: 'ahmed@example.com' },
      job: { title: 'Senior Backend Developer - Fintech', companyName: 'MENA Bank' },
      questions: [],
      transcript: [],
      evaluation: null,
      statusHistory: [{ from: null, to: 'SCHEDULED', reason: null, at: expect.any(String) }],
    });

    // What the agent writes, as it writes it: the detail shows it in order.
    const { db } = h.deps;
    await db
      .insertInto('interview_questions')
      .values([
        { interview_id: id, position: 2, text: 'How do you test SQL?', kind: 'technical', source: 'bank' },
        { interview_id: id, position: 1, text: 'Tell me about yourself.', kind: 'intro', source: 'bank' },
      ])
      .execute();
    await db
      .insertInto('transcript_turns')
      .values([
        { interview_id: id, seq: 2, speaker: 'candidate', text: 'I build payment systems.' },
        { interview_id: id, seq: 1, speaker: 'agent', text: 'Tell me about yourself.', question_position: 1 },
      ])
      .execute();
    await db
      .insertInto('evaluations')
      .values({
        interview_id: id,
        scored: false,
        not_scored_reason: 'no LLM configured',
        score: null,
        evaluation_text: '',
        prompt_version: 'v1',
      })
      .execute();
    const detail = await json<Body>(await get(`/api/interviews/${id}`, hr.auth));
    expect((detail.questions as Body[]).map((q) => [q.order, q.text])).toEqual([
      [1, 'Tell me about yourself.'],
      [2, 'How do you test SQL?'],
    ]);
    expect((detail.transcript as Body[]).map((t) => [t.seq, t.speaker, t.text])).toEqual([
      [1, 'agent', 'Tell me about yourself.'],
      [2, 'candidate', 'I build payment systems.'],
    ]);
    expect(detail.evaluation).toMatchObject({ scored: false, notScoredReason: 'no LLM configured', score: null, promptVersion: 'v1' });
  });

  it('gives an existing interview a room; a second call keeps the same code', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const iv = await created('/api/interviews', hr.auth, {
      applicationId,
      interviewType: 'TECHNICAL',
      scheduledAt: new Date(h.clock.now).toISOString(),
    });
    const first = await post(`/api/interviews/${iv.id}/room`, hr.auth, undefined);
    expect(first.status).toBe(201);
    const roomA = await json(first);
    expect(roomA).toMatchObject({
      roomCode: expect.stringMatching(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/),
      sessionId: iv.id,
      candidateName: 'Ahmed Hassan',
      jobTitle: 'Senior Backend Developer - Fintech',
    });
    expect(roomA.roomName).toBe(`interview_${roomA.roomCode}`);
    expect(roomA.joinUrl).toBe(`/interview/join/${roomA.roomCode}`);

    const second = await post(`/api/interviews/${iv.id}/room`, hr.auth, undefined);
    expect(second.status).toBe(200);
    expect(await json(second)).toEqual(roomA);

    const detail = await json<Body>(await get(`/api/interviews/${iv.id}`, hr.auth));
    expect(detail).toMatchObject({ status: 'READY', roomCode: roomA.roomCode });
    expect((detail.statusHistory as Body[]).map((s) => s.to)).toEqual(['SCHEDULED', 'READY']);
    expect((detail.audit as Body[]).filter((a) => a.action === 'room.created')).toHaveLength(1);

    // The code works for the candidate.
    const join = await h.request(`/api/public/interview/join/${roomA.roomCode}`, {
      method: 'POST',
      json: { phoneNumber: PHONE, firstName: 'Ahmed', lastName: 'Hassan' },
    });
    expect(join.status).toBe(200);
  });

  it('ends an interview: SCHEDULED → CANCELLED, once', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const iv = await created('/api/interviews', hr.auth, { applicationId, interviewType: 'FINAL' });
    const res = await post(`/api/interviews/${iv.id}/end`, hr.auth, undefined);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ id: iv.id, status: 'CANCELLED', endReason: 'hr_ended', endedAt: expect.any(String) });
    const again = await post(`/api/interviews/${iv.id}/end`, hr.auth, undefined);
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ status: 'CANCELLED', endedAt: body.endedAt });
    const detail = await json<Body>(await get(`/api/interviews/${iv.id}`, hr.auth));
    expect(detail.statusHistory).toEqual([
      { from: null, to: 'SCHEDULED', reason: null, at: expect.any(String) },
      { from: 'SCHEDULED', to: 'CANCELLED', reason: 'hr_ended', at: expect.any(String) },
    ]);
  });

  it('filters the list by ?status= and rejects an unknown status', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const a = await created('/api/interviews', hr.auth, { applicationId, interviewType: 'TECHNICAL' });
    const b = await created('/api/interviews', hr.auth, { applicationId, interviewType: 'TECHNICAL' });
    await created('/api/public/interview/room/create', hr.auth, { applicationId, interviewType: 'TECHNICAL' });
    await post(`/api/interviews/${b.id}/end`, hr.auth, undefined);

    const scheduled = await json<Page>(await get('/api/interviews?status=SCHEDULED', hr.auth));
    expect(scheduled.items.map((i) => i.id)).toEqual([a.id]);
    expect(scheduled.items[0]).toMatchObject({ candidateName: 'Ahmed Hassan', jobTitle: 'Senior Backend Developer - Fintech' });
    const cancelled = await json<Page>(await get('/api/interviews?status=CANCELLED', hr.auth));
    expect(cancelled.items.map((i) => i.id)).toEqual([b.id]);
    const ready = await json<Page>(await get('/api/interviews?status=READY', hr.auth));
    expect(ready.items).toHaveLength(1);
    expect(ready.items.every((i) => i.status === 'READY')).toBe(true);
    const all = await json<Page>(await get('/api/interviews', hr.auth));
    expect(all.items).toHaveLength(3);
    await expectError(await get('/api/interviews?status=DONE', hr.auth), 400, 'VALIDATION_FAILED');
    await expectError(await get('/api/interviews?status=ready', hr.auth), 400, 'VALIDATION_FAILED');
  });

  it('rejects an interview body with an invalid type or duration', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const before = await count('interviews');
    await expectError(await post('/api/interviews', hr.auth, { applicationId, interviewType: 'QUIZ' }), 400, 'VALIDATION_FAILED');
    await expectError(
      await post('/api/interviews', hr.auth, { applicationId, interviewType: 'TECHNICAL', maxDuration: 5 * 60 * 60 }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await post('/api/interviews', hr.auth, { applicationId, interviewType: 'TECHNICAL', scheduledAt: 'tomorrow' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await count('interviews')).toBe(before);
  });
});

describe('pagination', () => {
  it('walks every item of each list once, newest first', async () => {
    const hr = await hrUser(h);
    const jobIds: string[] = [];
    const candidateIds: string[] = [];
    for (let i = 0; i < 7; i++) {
      jobIds.push((await job(hr.auth, `Job ${i}`)).id as string);
      candidateIds.push((await candidate(hr.auth)).id as string);
    }
    const applicationIds: string[] = [];
    const interviewIds: string[] = [];
    for (let i = 0; i < 7; i++) {
      const a = await created('/api/applications', hr.auth, { jobId: jobIds[i], candidateId: candidateIds[i] });
      applicationIds.push(a.id as string);
      interviewIds.push((await created('/api/interviews', hr.auth, { applicationId: a.id, interviewType: 'CUSTOM' })).id as string);
    }
    const lists: [string, string[]][] = [
      ['/api/jobs', jobIds],
      ['/api/candidates', candidateIds],
      ['/api/applications', applicationIds],
      ['/api/interviews', interviewIds],
    ];
    for (const [path, ids] of lists) {
      for (const limit of [1, 3, 7, 100]) {
        const walked = await walk(path, hr.auth, limit);
        expect(walked.ids).toEqual([...ids].reverse());
        expect(walked.pages).toBe(Math.max(1, Math.ceil(ids.length / limit)));
      }
    }
  });

  it('does not skip rows created in the same instant (one batch, one now())', async () => {
    const hr = await hrUser(h);
    const early = await job(hr.auth, 'early');
    // A bulk import writes many rows in one statement: they share created_at to the microsecond.
    const batch = await h.deps.db
      .insertInto('jobs')
      .values(
        Array.from({ length: 9 }, (_, i) => ({
          organization_id: hr.organizationId,
          title: `batch ${i}`,
          description: 'd',
          company_name: 'c',
        })),
      )
      .returning('id')
      .execute();
    const late = await job(hr.auth, 'late');
    for (const limit of [1, 2, 4]) {
      const { ids } = await walk('/api/jobs', hr.auth, limit);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(11);
      expect(ids[0]).toBe(late.id);
      expect(ids[10]).toBe(early.id);
      expect(new Set(ids.slice(1, 10))).toEqual(new Set(batch.map((b) => b.id)));
    }
  });

  it('filters and pages together', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const iv = await created('/api/interviews', hr.auth, { applicationId, interviewType: 'TECHNICAL' });
      if (i % 2 === 0) await post(`/api/interviews/${iv.id}/end`, hr.auth, undefined);
      else ids.push(iv.id as string);
    }
    const { ids: walked } = await walk('/api/interviews?status=SCHEDULED', hr.auth, 1);
    expect(walked).toEqual([...ids].reverse());
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['base64 of something else', Buffer.from('{"a":1}').toString('base64url')],
    ['a cursor with a bad date', Buffer.from(JSON.stringify(['yesterday', randomUUID()])).toString('base64url')],
    ['a cursor with a bad id', Buffer.from(JSON.stringify([new Date().toISOString(), '1 OR 1=1'])).toString('base64url')],
    ['an over-long cursor', 'A'.repeat(500)],
  ])('rejects %s as a cursor with 400', async (_, cursor) => {
    const hr = await hrUser(h);
    for (const path of ['/api/jobs', '/api/candidates', '/api/applications', '/api/interviews']) {
      await expectError(await get(`${path}?cursor=${encodeURIComponent(cursor)}`, hr.auth), 400, 'VALIDATION_FAILED');
    }
  });

  it.each([['0'], ['101'], ['-1'], ['2.5'], ['ten']])('rejects limit=%s with 400', async (limit) => {
    const hr = await hrUser(h);
    await expectError(await get(`/api/jobs?limit=${limit}`, hr.auth), 400, 'VALIDATION_FAILED');
  });

  it('rejects unknown query parameters with 400', async () => {
    const hr = await hrUser(h);
    await expectError(await get('/api/jobs?organization_id=x', hr.auth), 400, 'VALIDATION_FAILED');
  });
});

describe('mass assignment: unknown fields are rejected and nothing is inserted', () => {
  it.each<[string, keyof Database, (ctx: { otherOrg: string; applicationId: string; jobId: string; candidateId: string }) => Body]>([
    ['/api/jobs', 'jobs', ({ otherOrg }) => ({ title: 't', description: 'd', companyName: 'c', organization_id: otherOrg })],
    ['/api/jobs', 'jobs', () => ({ title: 't', description: 'd', companyName: 'c', id: randomUUID() })],
    ['/api/jobs', 'jobs', () => ({ title: 't', description: 'd', companyName: 'c', createdAt: '2000-01-01T00:00:00Z' })],
    [
      '/api/candidates',
      'candidates',
      ({ otherOrg }) => ({ firstName: 'a', lastName: 'b', email: 'x@example.com', phoneNumber: PHONE, organizationId: otherOrg }),
    ],
    [
      '/api/candidates',
      'candidates',
      () => ({ firstName: 'a', lastName: 'b', email: 'x@example.com', phoneNumber: PHONE, phone_e164: '+15555550100' }),
    ],
    ['/api/applications', 'applications', ({ jobId, candidateId, otherOrg }) => ({ jobId, candidateId, organization_id: otherOrg })],
    ['/api/interviews', 'interviews', ({ applicationId }) => ({ applicationId, interviewType: 'TECHNICAL', status: 'COMPLETED' })],
    ['/api/interviews', 'interviews', ({ applicationId }) => ({ applicationId, interviewType: 'TECHNICAL', id: randomUUID() })],
    ['/api/interviews', 'interviews', ({ applicationId }) => ({ applicationId, interviewType: 'TECHNICAL', roomCode: 'AAAAAAAA' })],
    [
      '/api/interviews',
      'interviews',
      ({ applicationId, otherOrg }) => ({ applicationId, interviewType: 'TECHNICAL', organization_id: otherOrg }),
    ],
    [
      '/api/public/interview/room/create',
      'interviews',
      ({ applicationId }) => ({ applicationId, interviewType: 'TECHNICAL', status: 'IN_PROGRESS' }),
    ],
    [
      '/api/public/interview/room/create',
      'interviews',
      ({ applicationId }) => ({ applicationId, interviewType: 'TECHNICAL', started_at: '2020-01-01T00:00:00Z' }),
    ],
  ])('POST %s refuses an extra field (%#)', async (path, table, body) => {
    const hr = await hrUser(h);
    const other = await hrUser(h);
    const ctx = await application(h, hr.auth);
    const { jobId, candidateId } = await (async () => {
      const j = await job(hr.auth);
      const c = await candidate(hr.auth);
      return { jobId: j.id as string, candidateId: c.id as string };
    })();
    const before = await count(table);
    const err = await expectError(
      await post(path, hr.auth, body({ ...ctx, jobId, candidateId, otherOrg: other.organizationId })),
      400,
      'VALIDATION_FAILED',
    );
    expect(err.error).toMatch(/Unknown field/);
    expect(await count(table)).toBe(before);
  });
});

describe('organization scoping', () => {
  it("answers 404 for another organization's resources, wherever their ids are used", async () => {
    const a = await hrUser(h);
    const b = await hrUser(h);
    const { applicationId, jobId, candidateId } = await application(h, a.auth, { email: 'scoped@example.com' });
    const iv = await created('/api/interviews', a.auth, { applicationId, interviewType: 'TECHNICAL' });
    const bJob = await job(b.auth);
    const bCandidate = await candidate(b.auth);

    await expectError(await get(`/api/jobs/${jobId}`, b.auth), 404, 'NOT_FOUND');
    await expectError(await get(`/api/candidates/${candidateId}`, b.auth), 404, 'NOT_FOUND');
    await expectError(await get(`/api/applications/${applicationId}`, b.auth), 404, 'NOT_FOUND');
    await expectError(await get(`/api/interviews/${iv.id}`, b.auth), 404, 'NOT_FOUND');

    const before = { applications: await count('applications'), interviews: await count('interviews') };
    await expectError(await post('/api/applications', b.auth, { jobId, candidateId: bCandidate.id }), 404, 'NOT_FOUND');
    await expectError(await post('/api/applications', b.auth, { jobId: bJob.id, candidateId }), 404, 'NOT_FOUND');
    await expectError(await post('/api/applications', b.auth, { jobId, candidateId }), 404, 'NOT_FOUND');
    await expectError(await post('/api/interviews', b.auth, { applicationId, interviewType: 'TECHNICAL' }), 404, 'NOT_FOUND');
    await expectError(
      await post('/api/public/interview/room/create', b.auth, { applicationId, interviewType: 'TECHNICAL' }),
      404,
      'NOT_FOUND',
    );
    await expectError(await post(`/api/interviews/${iv.id}/room`, b.auth, undefined), 404, 'NOT_FOUND');
    await expectError(await post(`/api/interviews/${iv.id}/end`, b.auth, undefined), 404, 'NOT_FOUND');
    expect({ applications: await count('applications'), interviews: await count('interviews') }).toEqual(before);

    const row = await h.deps.db
      .selectFrom('interviews')
      .selectAll()
      .where('id', '=', iv.id as string)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'SCHEDULED', room_code: null });

    // Lists show only the caller's own rows.
    for (const path of ['/api/jobs', '/api/candidates', '/api/applications', '/api/interviews']) {
      const page = await json<Page>(await get(path, b.auth));
      const ids = page.items.map((i) => i.id);
      expect(ids).not.toContain(jobId);
      expect(ids).not.toContain(candidateId);
      expect(ids).not.toContain(applicationId);
      expect(ids).not.toContain(iv.id);
    }
    expect((await json<Page>(await get('/api/jobs', b.auth))).items.map((i) => i.id)).toEqual([bJob.id]);
  });
});
