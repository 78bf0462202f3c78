// Seed 000 (room codes and phone join) exactly as its clients use it, plus the hardening DESIGN.md
// adds: an authenticated end, one transition under concurrency, rate limits shared by replicas.
import { randomUUID } from 'node:crypto';
import { TokenVerifier, type ClaimGrants } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../db/connect.js';
import { application, hrUser, json, PHONE, room, startHarness, type Harness } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';

// The functional tests make far more public calls from one address than the default limits allow
// in one window (the harness clock stands still); the rate-limit tests below use their own apps.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_PER_KEY: '100000', RATE_LIMIT_PER_IP: '100000' });
});
afterAll(() => h?.close());

const CODE = /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const JOIN_FIELDS = [
  'instructions',
  'identity',
  'jobTitle',
  'maxDuration',
  'participantName',
  'participantToken',
  'roomCode',
  'roomName',
  'serverUrl',
  'token',
].sort();

type Body = Record<string, unknown>;
type Auth = Record<string, string>;

function join(code: string, phoneNumber: string = PHONE, ip?: string, harness: Harness = h) {
  return harness.request(`/api/public/interview/join/${code}`, {
    method: 'POST',
    json: { phoneNumber, firstName: 'Ahmed', lastName: 'Hassan' },
    ip,
  });
}

function end(code: string, headers: Auth = {}, harness: Harness = h) {
  return harness.request(`/api/public/interview/room/${code}/end`, { method: 'POST', headers });
}

/** The Set-Cookie line for `name`, and the `name=value` pair to send back. */
function cookie(res: Response, name: string) {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name} cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
  return { line, pair: line.split(';')[0]! };
}

/** A room with a joined candidate: its code, id, candidate cookie pair and join token. */
async function joinedRoom(auth: Auth) {
  const r = await room(h, auth);
  const res = await join(r.roomCode);
  expect(res.status).toBe(200);
  const body = await json<{ token: string }>(res);
  return { ...r, cookie: cookie(res, 'candidate_session').pair, token: body.token };
}

const interviewRow = (id: string) => h.deps.db.selectFrom('interviews').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const statusChanges = (id: string) =>
  h.deps.db
    .selectFrom('interview_status_changes')
    .select(['from_status', 'to_status', 'reason'])
    .where('interview_id', '=', id)
    .orderBy('id')
    .execute();

const auditActions = async (id: string) =>
  (
    await h.deps.db.selectFrom('audit_log').select(['action', 'actor', 'details']).where('interview_id', '=', id).orderBy('id').execute()
  ).map((a) => ({ ...a, details: a.details as Body }));

describe('POST /room/create', () => {
  it('answers every documented field, with a code from the unambiguous alphabet', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const res = await h.request('/api/public/interview/room/create', {
      method: 'POST',
      headers: hr.auth,
      json: { applicationId, interviewType: 'TECHNICAL', maxDuration: 1800, instructions: 'Welcome message for candidate' },
    });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(
      ['candidateName', 'instructions', 'jobTitle', 'joinUrl', 'maxDuration', 'roomCode', 'roomName', 'sessionId'].sort(),
    );
    const code = body.roomCode as string;
    expect(code).toMatch(CODE);
    expect(body).toEqual({
      roomCode: code,
      roomName: `interview_${code}`,
      joinUrl: `/interview/join/${code}`,
      instructions: 'Welcome message for candidate',
      maxDuration: 1800,
      sessionId: expect.stringMatching(UUID),
      candidateName: 'Ahmed Hassan',
      jobTitle: 'Senior Backend Developer - Fintech',
    });
    const row = await interviewRow(body.sessionId as string);
    expect(row).toMatchObject({
      status: 'READY',
      room_code: code,
      room_name: `interview_${code}`,
      application_id: applicationId,
      organization_id: hr.organizationId,
      interview_type: 'TECHNICAL',
      max_duration_s: 1800,
    });
  });

  it('defaults maxDuration to 1800 seconds and instructions to empty', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const res = await h.request('/api/public/interview/room/create', {
      method: 'POST',
      headers: hr.auth,
      json: { applicationId, interviewType: 'BEHAVIORAL' },
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ maxDuration: 1800, instructions: '' });
  });

  it('gives every room its own code', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const codes = new Set<string>();
    for (let i = 0; i < 25; i++) {
      const res = await h.request('/api/public/interview/room/create', {
        method: 'POST',
        headers: hr.auth,
        json: { applicationId, interviewType: 'AI_SCREENING' },
      });
      expect(res.status).toBe(201);
      const { roomCode } = await json<{ roomCode: string }>(res);
      expect(roomCode).toMatch(CODE);
      codes.add(roomCode);
    }
    expect(codes.size).toBe(25);
  });

  it('requires HR: no credentials is a 401 and creates nothing', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const before = await h.deps.db
      .selectFrom('interviews')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await h.request('/api/public/interview/room/create', {
      method: 'POST',
      json: { applicationId, interviewType: 'TECHNICAL' },
    });
    await expectError(res, 401, 'UNAUTHORIZED');
    const after = await h.deps.db
      .selectFrom('interviews')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('accepts the login cookie from /api/auth/login/ as the seed documents', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const login = await h.request('/api/auth/login/', { method: 'POST', json: { email: hr.email, password: hr.password } });
    expect(login.status).toBe(200);
    const res = await h.request('/api/public/interview/room/create', {
      method: 'POST',
      headers: { cookie: cookie(login, 'hr_session').pair },
      json: { applicationId, interviewType: 'TECHNICAL', maxDuration: 900, instructions: 'Hi' },
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ maxDuration: 900, instructions: 'Hi', candidateName: 'Ahmed Hassan' });
  });

  it("answers 404 for another organization's application", async () => {
    const a = await hrUser(h);
    const b = await hrUser(h);
    const { applicationId } = await application(h, a.auth);
    const res = await h.request('/api/public/interview/room/create', {
      method: 'POST',
      headers: b.auth,
      json: { applicationId, interviewType: 'TECHNICAL' },
    });
    await expectError(res, 404, 'NOT_FOUND');
    const rows = await h.deps.db.selectFrom('interviews').select('id').where('application_id', '=', applicationId).execute();
    expect(rows).toHaveLength(0);
  });

  it.each([
    ['an unknown interview type', { interviewType: 'PANEL' }],
    ['a too short maxDuration', { maxDuration: 10 }],
    ['a fractional maxDuration', { maxDuration: 90.5 }],
    ['a status (mass assignment)', { status: 'COMPLETED' }],
    ['a room code chosen by the caller', { roomCode: 'AAAAAAAA' }],
  ])('rejects %s with 400 VALIDATION_FAILED', async (_, over) => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const res = await h.request('/api/public/interview/room/create', {
      method: 'POST',
      headers: hr.auth,
      json: { applicationId, interviewType: 'TECHNICAL', ...over },
    });
    await expectError(res, 400, 'VALIDATION_FAILED');
    const rows = await h.deps.db.selectFrom('interviews').select('id').where('application_id', '=', applicationId).execute();
    expect(rows).toHaveLength(0);
  });
});

describe('GET /room/{roomCode}', () => {
  it('answers the documented public fields and nothing personal', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth, { interviewType: 'BEHAVIORAL', maxDuration: 1200, instructions: 'Welcome message...' });
    const res = await h.request(`/api/public/interview/room/${r.roomCode}`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      roomCode: r.roomCode,
      jobTitle: 'Senior Backend Developer - Fintech',
      companyName: 'MENA Bank',
      instructions: 'Welcome message...',
      maxDuration: 1200,
      status: 'READY',
      interviewType: 'BEHAVIORAL',
    });
  });

  it('accepts the code typed in lower case', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    const res = await h.request(`/api/public/interview/room/${r.roomCode.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ roomCode: r.roomCode });
  });

  it('answers an unknown and a malformed code with the same 404', async () => {
    const unknown = await expectError(await h.request('/api/public/interview/room/ZZZZ2222'), 404, 'NOT_FOUND');
    for (const bad of ['ABC', 'ABCDEFGHJ', 'ABCD-EFG', 'ABCD%20EFG', '%27%3B--%20xx']) {
      const body = await expectError(await h.request(`/api/public/interview/room/${bad}`), 404, 'NOT_FOUND');
      expect(Object.keys(body).sort()).toEqual(Object.keys(unknown).sort());
      expect(body.error).toBe(unknown.error);
    }
  });

  it('shows the status as it changes', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    expect((await end(r.roomCode, hr.auth)).status).toBe(200);
    const res = await h.request(`/api/public/interview/room/${r.roomCode}`);
    expect(await json(res)).toMatchObject({ status: 'CANCELLED' });
  });
});

describe('POST /join/{roomCode}', () => {
  it.each([
    ['in E.164', '+971509876543'],
    ['in the national format of the default region (AE)', '0509876543'],
    ['with spaces', '+971 50 987 6543'],
  ])('admits the phone %s and answers the documented fields', async (_, phone) => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth, { instructions: 'Welcome message...', maxDuration: 1800 });
    const res = await join(r.roomCode, phone);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(JOIN_FIELDS);
    expect(body).toEqual({
      token: expect.any(String),
      participantToken: body.token,
      serverUrl: h.config.livekit.publicUrl,
      roomName: `interview_${r.roomCode}`,
      identity: 'candidate_971509876543',
      roomCode: r.roomCode,
      participantName: 'Ahmed Hassan',
      jobTitle: 'Senior Backend Developer - Fintech',
      instructions: 'Welcome message...',
      maxDuration: 1800,
    });
  });

  it('issues a LiveKit token for that one room that dispatches the interviewer with the interview id only', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth, { maxDuration: 1800 });
    const before = Math.floor(Date.now() / 1000);
    const res = await join(r.roomCode);
    const after = Math.ceil(Date.now() / 1000);
    const body = await json<{ token: string; roomName: string; identity: string }>(res);

    const claims: ClaimGrants = await new TokenVerifier(h.config.livekit.apiKey, h.config.livekit.apiSecret).verify(body.token);
    expect(claims.sub).toBe('candidate_971509876543');
    expect(claims.name).toBe('Ahmed Hassan');
    expect(claims.iss).toBe(h.config.livekit.apiKey);
    // The grant admits this room and nothing beyond a participant's rights.
    expect(claims.video).toMatchObject({ roomJoin: true, room: `interview_${r.roomCode}` });
    for (const admin of ['roomAdmin', 'roomCreate', 'roomList', 'roomRecord', 'ingressAdmin', 'agent', 'hidden', 'recorder']) {
      expect(claims.video?.[admin as keyof NonNullable<ClaimGrants['video']>] ?? false).toBe(false);
    }
    expect(claims.video?.canUpdateOwnMetadata ?? false).toBe(false);
    expect(claims.sip).toBeUndefined();

    const roomConfig = JSON.parse(JSON.stringify(claims.roomConfig)) as { agents?: { agentName?: string; metadata?: string }[] };
    expect(roomConfig.agents).toHaveLength(1);
    expect(roomConfig.agents![0]!.agentName).toBe('interviewer');
    // The interview id, and the join request's trace id so the agent's logs join the API's.
    expect(JSON.parse(roomConfig.agents![0]!.metadata!)).toEqual({
      interviewId: r.sessionId,
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      traceparent: res.headers.get('traceparent'),
      dispatchedAt: expect.any(Number),
    });
    // No phone anywhere in the metadata (job or participant) or the room configuration.
    const phoneDigits = /971509876543|509876543/;
    expect(JSON.stringify(claims.roomConfig)).not.toMatch(phoneDigits);
    expect(claims.metadata ?? '').not.toMatch(phoneDigits);
    expect(JSON.stringify(claims.attributes ?? {})).not.toMatch(phoneDigits);

    // Short-lived: the interview's length plus a 15-minute grace.
    expect(claims.exp).toBeGreaterThanOrEqual(before + 1800 + 15 * 60 - 5);
    expect(claims.exp).toBeLessThanOrEqual(after + 1800 + 15 * 60 + 5);

    // Signed with the configured secret: another secret does not verify it.
    await expect(new TokenVerifier(h.config.livekit.apiKey, 'x'.repeat(40)).verify(body.token)).rejects.toThrow();
  });

  it('sets the candidate_session cookie HttpOnly, SameSite=Strict, scoped to /api/public/interview', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    const res = await join(r.roomCode);
    const { line } = cookie(res, 'candidate_session');
    const attrs = line.split(';').map((s) => s.trim().toLowerCase());
    expect(attrs).toContain('httponly');
    expect(attrs).toContain('samesite=strict');
    expect(attrs).toContain('path=/api/public/interview');
    const maxAge = attrs.find((a) => a.startsWith('max-age='));
    expect(Number(maxAge?.slice('max-age='.length))).toBeGreaterThan(0);
  });

  it('can be joined again (a reconnect), and every join is audited without personal data', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    expect((await join(r.roomCode)).status).toBe(200);
    const again = await join(r.roomCode, '0509876543');
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ identity: 'candidate_971509876543', roomName: r.roomName });
    const joins = (await auditActions(r.sessionId)).filter((a) => a.action === 'candidate.joined');
    expect(joins).toHaveLength(2);
    for (const j of joins) {
      expect(j.actor).toBe('candidate');
      expect(JSON.stringify(j.details)).not.toMatch(/509876543|Ahmed|Hassan/);
    }
    const row = await interviewRow(r.sessionId);
    expect(row.candidate_display_name).toBe('Ahmed Hassan');
    expect(row.last_joined_at).toBeInstanceOf(Date);
  });

  it('refuses another phone number with 403 PHONE_MISMATCH and records nothing', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    const res = await join(r.roomCode, '+971501234567');
    await expectError(res, 403, 'PHONE_MISMATCH');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('candidate_session='))).toBe(false);
    expect((await auditActions(r.sessionId)).some((a) => a.action === 'candidate.joined')).toBe(false);
    const row = await interviewRow(r.sessionId);
    expect(row.candidate_display_name).toBeNull();
    expect(row.last_joined_at).toBeNull();
  });

  it('rejects a phone that is not a phone number with 400', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    await expectError(await join(r.roomCode, 'not a phone'), 400, 'VALIDATION_FAILED');
    await expectError(await join(r.roomCode, '12'), 400, 'VALIDATION_FAILED');
  });

  it.each([
    ['a missing last name', { phoneNumber: PHONE, firstName: 'Ahmed' }],
    ['markup in a name', { phoneNumber: PHONE, firstName: '<script>', lastName: 'Hassan' }],
    ['an unknown field', { phoneNumber: PHONE, firstName: 'Ahmed', lastName: 'Hassan', interviewId: randomUUID() }],
  ])('rejects %s with 400 and admits no one', async (_, body) => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    const res = await h.request(`/api/public/interview/join/${r.roomCode}`, { method: 'POST', json: body });
    await expectError(res, 400, 'VALIDATION_FAILED');
    expect(await auditActions(r.sessionId)).toEqual([]);
  });

  it('answers an unknown and a malformed code with the same 404', async () => {
    const unknown = await expectError(await join('ZZZZ2222'), 404, 'NOT_FOUND');
    for (const bad of ['ABC', 'ABCDEFGHJK', 'ABC_EFGH']) {
      const body = await expectError(await join(bad), 404, 'NOT_FOUND');
      expect(Object.keys(body).sort()).toEqual(Object.keys(unknown).sort());
      expect(body.error).toBe(unknown.error);
    }
  });

  it('answers 410 INTERVIEW_ENDED once the interview has ended', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    expect((await end(r.roomCode, hr.auth)).status).toBe(200);
    const res = await join(r.roomCode);
    await expectError(res, 410, 'INTERVIEW_ENDED');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('candidate_session='))).toBe(false);
    // The phone is still checked first: a stranger learns nothing about the interview's state.
    await expectError(await join(r.roomCode, '+971501234567'), 403, 'PHONE_MISMATCH');
  });

  it('admits a candidate whose interview is already IN_PROGRESS (a reconnect)', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    await h.deps.db
      .updateTable('interviews')
      .set({ status: 'IN_PROGRESS', started_at: new Date() })
      .where('id', '=', r.sessionId)
      .execute();
    expect((await join(r.roomCode)).status).toBe(200);
  });
});

describe('POST /room/{roomCode}/end', () => {
  it('refuses a caller with no credentials (401) and changes nothing', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    await expectError(await end(r.roomCode), 401, 'UNAUTHORIZED');
    expect((await interviewRow(r.sessionId)).status).toBe('READY');
    expect(await statusChanges(r.sessionId)).toEqual([{ from_status: null, to_status: 'READY', reason: null }]);
    expect((await auditActions(r.sessionId)).some((a) => a.action === 'interview.ended')).toBe(false);
  });

  it("refuses another room's candidate cookie and join token (401)", async () => {
    const hr = await hrUser(h);
    const mine = await joinedRoom(hr.auth);
    const other = await room(h, hr.auth);
    await expectError(await end(other.roomCode, { cookie: mine.cookie }), 401, 'UNAUTHORIZED');
    await expectError(await end(other.roomCode, { authorization: `Bearer ${mine.token}` }), 401, 'UNAUTHORIZED');
    expect((await interviewRow(other.sessionId)).status).toBe('READY');
  });

  it('refuses an unknown code with 401 and a malformed one with 404', async () => {
    const hr = await hrUser(h);
    const mine = await joinedRoom(hr.auth);
    await expectError(await end('ZZZZ2222', { cookie: mine.cookie }), 401, 'UNAUTHORIZED');
    await expectError(await end('bad', { cookie: mine.cookie }), 404, 'NOT_FOUND');
  });

  it('lets the candidate end with the session cookie: READY → ABANDONED', async () => {
    const hr = await hrUser(h);
    const r = await joinedRoom(hr.auth);
    const res = await end(r.roomCode, { cookie: r.cookie });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ message: 'Interview session ended successfully' });
    const row = await interviewRow(r.sessionId);
    expect(row).toMatchObject({ status: 'ABANDONED', end_reason: 'candidate_ended' });
    expect(row.ended_at).toBeInstanceOf(Date);
    expect(await statusChanges(r.sessionId)).toEqual([
      { from_status: null, to_status: 'READY', reason: null },
      { from_status: 'READY', to_status: 'ABANDONED', reason: 'candidate_ended' },
    ]);
    const ended = (await auditActions(r.sessionId)).filter((a) => a.action === 'interview.ended');
    expect(ended).toEqual([{ action: 'interview.ended', actor: 'candidate', details: { to: 'ABANDONED', reason: 'candidate_ended' } }]);
  });

  it('lets the candidate end with the join token as a bearer', async () => {
    const hr = await hrUser(h);
    const r = await joinedRoom(hr.auth);
    const res = await end(r.roomCode, { authorization: `Bearer ${r.token}` });
    expect(res.status).toBe(200);
    expect((await interviewRow(r.sessionId)).status).toBe('ABANDONED');
  });

  it('lets HR of the organization end it (bearer or cookie): READY → CANCELLED', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    expect((await end(r.roomCode, hr.auth)).status).toBe(200);
    expect(await interviewRow(r.sessionId)).toMatchObject({ status: 'CANCELLED', end_reason: 'hr_ended' });
    const ended = (await auditActions(r.sessionId)).filter((a) => a.action === 'interview.ended');
    expect(ended.map((a) => a.actor)).toEqual([`hr:${hr.userId}`]);

    const viaCookie = await room(h, hr.auth);
    expect((await end(viaCookie.roomCode, { cookie: `hr_session=${hr.access}` })).status).toBe(200);
    expect((await interviewRow(viaCookie.sessionId)).status).toBe('CANCELLED');
  });

  it('refuses HR of another organization (401) and changes nothing', async () => {
    const a = await hrUser(h);
    const b = await hrUser(h);
    const r = await room(h, a.auth);
    await expectError(await end(r.roomCode, b.auth), 401, 'UNAUTHORIZED');
    await expectError(await end(r.roomCode, { cookie: `hr_session=${b.access}` }), 401, 'UNAUTHORIZED');
    expect((await interviewRow(r.sessionId)).status).toBe('READY');
  });

  it('completes an interview that had started: IN_PROGRESS → COMPLETED', async () => {
    const hr = await hrUser(h);
    const r = await joinedRoom(hr.auth);
    await h.deps.db
      .updateTable('interviews')
      .set({ status: 'IN_PROGRESS', started_at: new Date() })
      .where('id', '=', r.sessionId)
      .execute();
    expect((await end(r.roomCode, { cookie: r.cookie })).status).toBe(200);
    expect(await interviewRow(r.sessionId)).toMatchObject({ status: 'COMPLETED', end_reason: 'candidate_ended' });
  });

  it('is idempotent: ending an ended interview answers 200 and changes nothing', async () => {
    const hr = await hrUser(h);
    const r = await joinedRoom(hr.auth);
    expect((await end(r.roomCode, { cookie: r.cookie })).status).toBe(200);
    expect((await end(r.roomCode, hr.auth)).status).toBe(200);
    expect((await interviewRow(r.sessionId)).status).toBe('ABANDONED');
    expect((await statusChanges(r.sessionId)).map((s) => s.to_status)).toEqual(['READY', 'ABANDONED']);
  });

  it('makes exactly one transition under 100 concurrent end calls (candidate and HR mixed)', async () => {
    const hr = await hrUser(h);
    const r = await joinedRoom(hr.auth);
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => end(r.roomCode, i % 2 === 0 ? { cookie: r.cookie } : hr.auth)),
    );
    expect(responses.map((res) => res.status)).toEqual(Array(100).fill(200));
    const row = await interviewRow(r.sessionId);
    expect(['ABANDONED', 'CANCELLED']).toContain(row.status);
    const changes = await statusChanges(r.sessionId);
    expect(changes.filter((c) => c.from_status !== null)).toEqual([
      { from_status: 'READY', to_status: row.status, reason: row.end_reason },
    ]);
    expect((await auditActions(r.sessionId)).filter((a) => a.action === 'interview.ended')).toHaveLength(1);
  });

  it('makes exactly one IN_PROGRESS → COMPLETED transition under 100 concurrent end calls', async () => {
    const hr = await hrUser(h);
    const r = await joinedRoom(hr.auth);
    await h.deps.db
      .updateTable('interviews')
      .set({ status: 'IN_PROGRESS', started_at: new Date() })
      .where('id', '=', r.sessionId)
      .execute();
    const responses = await Promise.all(Array.from({ length: 100 }, () => end(r.roomCode, { cookie: r.cookie })));
    expect(responses.map((res) => res.status)).toEqual(Array(100).fill(200));
    const changes = await statusChanges(r.sessionId);
    expect(changes.filter((c) => c.to_status === 'COMPLETED')).toHaveLength(1);
    expect(changes.map((c) => c.to_status)).toEqual(['READY', 'IN_PROGRESS', 'COMPLETED']);
    const ended = (await auditActions(r.sessionId)).filter((a) => a.action === 'interview.ended');
    expect(ended).toEqual([{ action: 'interview.ended', actor: 'candidate', details: { to: 'COMPLETED', reason: 'candidate_ended' } }]);
  });
});

describe('rate limiting (public endpoints)', () => {
  const unknownCode = () => Array.from({ length: 8 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[Math.floor(Math.random() * 32)]).join('');

  async function expectLimited(res: Response) {
    const body = await expectError(res, 429, 'RATE_LIMITED');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(body.retryAfter).toBe(retryAfter);
    expect(Object.keys(body).sort()).toEqual(['code', 'error', 'requestId', 'retryAfter']);
  }

  it('limits one room code: the 6th request in the window is a 429 with Retry-After', async () => {
    const l = await startHarness({ RATE_LIMIT_PER_KEY: '5' });
    try {
      const hr = await hrUser(l);
      const r = await room(l, hr.auth);
      const other = await room(l, hr.auth);
      for (let i = 0; i < 5; i++) expect((await l.request(`/api/public/interview/room/${r.roomCode}`)).status).toBe(200);
      await expectLimited(await l.request(`/api/public/interview/room/${r.roomCode}`));
      // The limit is the room's, whatever the address and whichever endpoint.
      await expectLimited(await l.request(`/api/public/interview/room/${r.roomCode}`, { ip: '198.51.100.77' }));
      const blocked = await join(r.roomCode, PHONE, '198.51.100.78', l);
      await expectLimited(blocked);
      expect(blocked.headers.getSetCookie()).toEqual([]);
      // Another room is not affected.
      expect((await l.request(`/api/public/interview/room/${other.roomCode}`)).status).toBe(200);
      // The next window admits again.
      l.clock.now += 60_000;
      expect((await l.request(`/api/public/interview/room/${r.roomCode}`)).status).toBe(200);
    } finally {
      await l.close();
    }
  });

  it('limits one address across room codes, and only that address', async () => {
    const l = await startHarness({ RATE_LIMIT_PER_IP: '5' });
    try {
      const ip = '198.51.100.10';
      for (let i = 0; i < 5; i++) {
        expect((await l.request(`/api/public/interview/room/${unknownCode()}`, { ip })).status).toBe(404);
      }
      await expectLimited(await l.request(`/api/public/interview/room/${unknownCode()}`, { ip }));
      await expectLimited(await join(unknownCode(), PHONE, ip, l));
      expect((await l.request(`/api/public/interview/room/${unknownCode()}`, { ip: '198.51.100.11' })).status).toBe(404);
    } finally {
      await l.close();
    }
  });

  it('holds across two API instances sharing one database', async () => {
    const one = await startHarness({ RATE_LIMIT_PER_KEY: '5' });
    // A second process: its own app and its own connection pool, on the same database.
    const pool = await connectDatabase({ databaseUrl: one.database.url, dataDir: '.data', poolSize: 5 });
    const two = await startHarness({ RATE_LIMIT_PER_KEY: '5' }, { ...pool, url: one.database.url, name: one.database.name });
    two.clock.now = one.clock.now;
    try {
      const hr = await hrUser(one);
      const r = await room(one, hr.auth);
      const path = `/api/public/interview/room/${r.roomCode}`;
      // From five addresses, so only the room's own limit is in play.
      const apps = [one, two, one, two, one];
      for (const [i, app] of apps.entries()) expect((await app.request(path, { ip: `198.51.100.${20 + i}` })).status).toBe(200);
      await expectLimited(await two.request(path));
      await expectLimited(await one.request(path));
      // Per address too: five calls split over the two instances exhaust one address.
      const ipOne = await startHarness(
        { RATE_LIMIT_PER_IP: '5' },
        { ...pool, url: one.database.url, name: one.database.name, close: async () => {} },
      );
      const ipTwo = await startHarness({ RATE_LIMIT_PER_IP: '5' }, { ...one.database, close: async () => {} });
      ipOne.clock.now = ipTwo.clock.now = one.clock.now + 120_000;
      const ip = '198.51.100.99';
      for (const app of [ipOne, ipTwo, ipOne, ipTwo, ipOne]) {
        expect((await app.request(`/api/public/interview/room/${unknownCode()}`, { ip })).status).toBe(404);
      }
      await expectLimited(await ipTwo.request(`/api/public/interview/room/${unknownCode()}`, { ip }));
    } finally {
      await two.close();
      await one.close();
    }
  });
});
