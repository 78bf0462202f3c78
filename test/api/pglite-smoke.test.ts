// The same API on embedded PGlite (the zero-setup local run): migrations, HR resources, seed 000's
// room flow and seed 002's link flow end to end. One PGlite instance for the whole file (~2 s and
// ~750 MB each), in a temporary folder removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../api/lib/password.js';
import { connectDatabase, migrateToLatest } from '../../db/connect.js';
import { createOrganizationWithUser } from '../../db/queries/organizations.js';
import { migrations as MIGRATIONS } from '../../db/migrations/index.js';
import { json, PHONE, startHarness, type Harness } from '../../testkit/api.js';
import type { TestDatabase } from '../../testkit/postgres.js';

const EMAIL = 'hr@pglite.example.com';
const PASSWORD = 'embedded postgres is still postgres';

let dataDir: string;
let h: Harness;
let migrations: string[];
const ctx = {} as {
  organizationId: string;
  auth: Record<string, string>;
  applicationId: string;
};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'interviewer-pglite-'));
  const handle = await connectDatabase({ databaseUrl: undefined, dataDir });
  // startHarness takes a TestDatabase: a DbHandle plus a url and a name, which only label it here.
  const database: TestDatabase = { ...handle, url: `pglite://${dataDir}`, name: 'pglite' };
  try {
    migrations = await migrateToLatest(handle.db);
    h = await startHarness({}, database);
  } catch (e) {
    await handle.close();
    throw e;
  }
});

afterAll(async () => {
  await h?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const post = (p: string, body?: unknown, headers: Record<string, string> = ctx.auth) =>
  h.request(p, { method: 'POST', headers, ...(body === undefined ? {} : { json: body }) });

const interviewRow = (id: string) => h.deps.db.selectFrom('interviews').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function statusHistory(interviewId: string) {
  return h.deps.db
    .selectFrom('interview_status_changes')
    .select(['from_status', 'to_status', 'reason'])
    .where('interview_id', '=', interviewId)
    .orderBy('id')
    .execute();
}

describe('the API on embedded PGlite', () => {
  it('runs on PGlite with every migration applied', async () => {
    expect(h.database.kind).toBe('pglite');
    // Every migration of the list, in its order.
    expect(migrations).toEqual(Object.keys(MIGRATIONS));
    // A second run finds nothing to do.
    expect(await migrateToLatest(h.deps.db)).toEqual([]);
    const tables = await h.deps.db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['organizations', 'interviews', 'interview_status_changes', 'text_sessions', 'rate_limits']),
    );
  });

  it('creates an organization with its HR user and logs in', async () => {
    const ids = await createOrganizationWithUser(h.deps.db, {
      name: 'PGlite Org',
      email: EMAIL,
      passwordHash: await hashPassword(PASSWORD),
    });
    ctx.organizationId = ids.organizationId;
    const wrong = await h.request('/api/auth/login/', { method: 'POST', json: { email: EMAIL, password: 'nope' } });
    expect(wrong.status).toBe(401);
    // Emails are matched case-insensitively (the lower(email) index).
    const res = await h.request('/api/auth/login/', { method: 'POST', json: { email: EMAIL.toUpperCase(), password: PASSWORD } });
    expect(res.status).toBe(200);
    const { access } = await json<{ access: string }>(res);
    ctx.auth = { authorization: `Bearer ${access}` };
    const me = await h.request('/api/auth/me', { headers: ctx.auth });
    expect(await json(me)).toEqual({ userId: ids.userId, organizationId: ids.organizationId });
  });

  it('creates a job, a candidate and an application', async () => {
    const job = await post('/api/jobs', {
      title: 'Senior Backend Developer - Fintech',
      description: 'Build payment services in TypeScript and Postgres.',
      companyName: 'MENA Bank',
    });
    expect(job.status).toBe(201);
    const candidate = await post('/api/candidates', {
      firstName: 'Ahmed',
      lastName: 'Hassan',
      email: 'ahmed@example.com',
      phoneNumber: '050 987 6543',
      resumeText: 'Five years of Node.js and Postgres at a payments company.',
    });
    expect(candidate.status).toBe(201);
    const c = await json<{ id: string; phoneNumber: string }>(candidate);
    expect(c.phoneNumber).toBe(PHONE);
    const app = await post('/api/applications', { jobId: (await json<{ id: string }>(job)).id, candidateId: c.id });
    expect(app.status).toBe(201);
    ctx.applicationId = (await json<{ id: string }>(app)).id;
    // The second application for the same job and candidate is the unique violation's 409.
    const again = await post('/api/applications', {
      jobId: (await h.deps.db.selectFrom('jobs').select('id').executeTakeFirstOrThrow()).id,
      candidateId: c.id,
    });
    expect(again.status).toBe(409);
    const list = await json<{ items: unknown[] }>(await h.request('/api/applications', { headers: ctx.auth }));
    expect(list.items).toHaveLength(1);
  });

  it('seed 000: room create → room info → join → end by the candidate (ABANDONED, one status change)', async () => {
    const created = await post('/api/public/interview/room/create', {
      applicationId: ctx.applicationId,
      interviewType: 'TECHNICAL',
      maxDuration: 1800,
      instructions: 'Welcome!',
    });
    expect(created.status).toBe(201);
    const room = await json<{ roomCode: string; roomName: string; sessionId: string; candidateName: string }>(created);
    expect(room.roomCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(room.roomName).toBe(`interview_${room.roomCode}`);
    expect(room.candidateName).toBe('Ahmed Hassan');

    const info = await h.request(`/api/public/interview/room/${room.roomCode.toLowerCase()}`);
    expect(info.status).toBe(200);
    expect(await json(info)).toMatchObject({
      roomCode: room.roomCode,
      jobTitle: 'Senior Backend Developer - Fintech',
      companyName: 'MENA Bank',
      status: 'READY',
      maxDuration: 1800,
      interviewType: 'TECHNICAL',
    });

    const mismatch = await post(
      `/api/public/interview/join/${room.roomCode}`,
      { phoneNumber: '+14155552671', firstName: 'A', lastName: 'B' },
      {},
    );
    expect(mismatch.status).toBe(403);
    const join = await post(
      `/api/public/interview/join/${room.roomCode}`,
      { phoneNumber: '+971 50 987 6543', firstName: 'Ahmed', lastName: 'Hassan' },
      {},
    );
    expect(join.status).toBe(200);
    const joined = await json<{ identity: string; roomName: string; token: string }>(join);
    expect(joined.identity).toBe('candidate_971509876543');
    expect(joined.roomName).toBe(room.roomName);
    const cookie = join.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toMatch(/^candidate_session=/);
    const joinedRow = await interviewRow(room.sessionId);
    expect(joinedRow.candidate_display_name).toBe('Ahmed Hassan');
    expect(joinedRow.last_joined_at).toBeInstanceOf(Date);

    // A stranger with only the code cannot end it.
    expect((await post(`/api/public/interview/room/${room.roomCode}/end`, undefined, {})).status).toBe(401);
    const end = await post(`/api/public/interview/room/${room.roomCode}/end`, undefined, { cookie });
    expect(end.status).toBe(200);
    expect(await json(end)).toEqual({ message: 'Interview session ended successfully' });
    // Ending again is answered alike and changes nothing.
    expect((await post(`/api/public/interview/room/${room.roomCode}/end`, undefined, { cookie })).status).toBe(200);

    const row = await interviewRow(room.sessionId);
    expect(row.status).toBe('ABANDONED');
    expect(row.end_reason).toBe('candidate_ended');
    expect(row.ended_at).toBeInstanceOf(Date);
    expect(await statusHistory(room.sessionId)).toEqual([
      { from_status: null, to_status: 'READY', reason: null },
      { from_status: 'READY', to_status: 'ABANDONED', reason: 'candidate_ended' },
    ]);
    const ends = await h.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('interview_id', '=', room.sessionId)
      .orderBy('id')
      .execute();
    expect(ends).toEqual([
      { action: 'candidate.joined', actor: 'candidate' },
      { action: 'interview.ended', actor: 'candidate' },
    ]);

    // An ended room admits nobody, not even its candidate.
    const late = await post(
      `/api/public/interview/join/${room.roomCode}`,
      { phoneNumber: PHONE, firstName: 'Ahmed', lastName: 'Hassan' },
      {},
    );
    expect(late.status).toBe(410);
  });

  it('seed 000: HR ending a room that never started makes it CANCELLED', async () => {
    const created = await post('/api/public/interview/room/create', { applicationId: ctx.applicationId, interviewType: 'BEHAVIORAL' });
    const room = await json<{ roomCode: string; sessionId: string }>(created);
    const end = await post(`/api/public/interview/room/${room.roomCode}/end`);
    expect(end.status).toBe(200);
    const history = await statusHistory(room.sessionId);
    expect(history.filter((c) => c.from_status !== null)).toEqual([{ from_status: 'READY', to_status: 'CANCELLED', reason: 'hr_ended' }]);
  });

  it('seed 002: scheduled interview → generate-link → start → every answer → complete (not scored, no LLM)', async () => {
    expect(h.config.llm).toBeNull();
    const created = await post('/api/interviews', {
      applicationId: ctx.applicationId,
      interviewType: 'TECHNICAL',
      scheduledAt: new Date(h.clock.now).toISOString(),
      maxDuration: 1800,
    });
    expect(created.status).toBe(201);
    const { id } = await json<{ id: string; status: string }>(created);

    const gen = await post(`/api/ai-interview/generate-link/${id}/`);
    expect(gen.status).toBe(200);
    const link = await json<{ link_token: string; ai_session_id: string; public_interview_url: string }>(gen);
    expect(link.public_interview_url).toContain(link.link_token);

    const info = await h.request(`/api/interviews/public/${link.link_token}/`);
    expect(info.status).toBe(200);
    expect(await json(info)).toMatchObject({ interview_id: id, status: 'READY', candidate_first_name: 'Ahmed' });

    const start = await post('/api/ai-interview/public/start/', { interview_id: id, link_token: link.link_token }, {});
    expect(start.status).toBe(200);
    const started = await json<{ session_id: string; total_questions: number; questions: { id: string; order: number }[] }>(start);
    expect(started.session_id).toBe(link.ai_session_id);
    expect(started.total_questions).toBeGreaterThan(0);
    expect(started.questions.map((q) => q.order)).toEqual(started.questions.map((_, i) => i + 1));

    for (const [i, q] of started.questions.entries()) {
      const res = await post(
        '/api/ai-interview/public/submit-response/',
        { session_id: started.session_id, link_token: link.link_token, response_text: `Answer number ${i + 1}.`, question_id: q.id },
        {},
      );
      expect(res.status).toBe(200);
      const body = await json<{ current_question_id: string; next_question_id: string | null }>(res);
      expect(body.current_question_id).toBe(q.id);
      expect(body.next_question_id).toBe(started.questions[i + 1]?.id ?? null);
    }

    const complete = await post('/api/ai-interview/public/complete/', { session_id: started.session_id, link_token: link.link_token }, {});
    expect(complete.status).toBe(200);
    expect(await json(complete)).toMatchObject({
      session_id: started.session_id,
      status: 'completed',
      score: null,
      recommendation: null,
      total_questions: started.total_questions,
      answered_questions: started.total_questions,
    });

    const evaluation = await h.deps.db.selectFrom('evaluations').selectAll().where('interview_id', '=', id).executeTakeFirstOrThrow();
    expect(evaluation.scored).toBe(false);
    expect(evaluation.score).toBeNull();
    expect(evaluation.not_scored_reason).toEqual(expect.any(String));
    expect(evaluation.not_scored_reason!.length).toBeGreaterThan(0);

    const detail = await json<{
      status: string;
      endReason: string;
      transcript: { speaker: string }[];
      statusHistory: { from: string | null; to: string }[];
    }>(await h.request(`/api/interviews/${id}`, { headers: ctx.auth }));
    expect(detail.status).toBe('COMPLETED');
    expect(detail.endReason).toBe('text_completed');
    expect(detail.transcript).toHaveLength(2 * started.total_questions);
    expect(detail.statusHistory.map((s) => `${s.from}→${s.to}`)).toEqual([
      'null→SCHEDULED',
      'SCHEDULED→READY',
      'READY→IN_PROGRESS',
      'IN_PROGRESS→COMPLETED',
    ]);
    const session = await h.deps.db.selectFrom('text_sessions').selectAll().where('id', '=', started.session_id).executeTakeFirstOrThrow();
    expect(session.status).toBe('completed');

    // Completing again returns the stored result; starting again is refused.
    expect(
      (await post('/api/ai-interview/public/complete/', { session_id: started.session_id, link_token: link.link_token }, {})).status,
    ).toBe(200);
    expect((await post('/api/ai-interview/public/start/', { interview_id: id, link_token: link.link_token }, {})).status).toBe(410);
    expect(await h.deps.db.selectFrom('evaluations').select('id').where('interview_id', '=', id).execute()).toHaveLength(1);
  });
});
