// Seed 000 room codes exactly as its clients use them: HR creates a room, anyone with the code reads
// its public fields. Joining: room-join.test.ts; ending: room-end.test.ts; limits: room-rate-limits.test.ts.
import { describe, expect, it } from 'vitest';
import { application, hrUser, json, room } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';
import { CODE, cookie, end, expectSame404, h, interviewRow, UUID, useRoomsHarness } from './helpers/rooms.js';

useRoomsHarness();

const createRoom = (headers: Record<string, string>, body: Record<string, unknown>) =>
  h.request('/api/public/interview/room/create', { method: 'POST', headers, json: body });
const interviewsOf = (applicationId: string) =>
  h.deps.db.selectFrom('interviews').select('id').where('application_id', '=', applicationId).execute();

describe('POST /room/create', () => {
  it('answers every documented field, with a code from the unambiguous alphabet', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const res = await createRoom(hr.auth, {
      applicationId,
      interviewType: 'TECHNICAL',
      maxDuration: 1800,
      instructions: 'Welcome message for candidate',
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
    const res = await createRoom(hr.auth, { applicationId, interviewType: 'BEHAVIORAL' });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ maxDuration: 1800, instructions: '' });
  });

  it('gives every room its own code', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const codes = new Set<string>();
    for (let i = 0; i < 25; i++) {
      const res = await createRoom(hr.auth, { applicationId, interviewType: 'AI_SCREENING' });
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
    const res = await createRoom({}, { applicationId, interviewType: 'TECHNICAL' });
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
    const res = await createRoom(
      { cookie: cookie(login, 'hr_session').pair },
      { applicationId, interviewType: 'TECHNICAL', maxDuration: 900, instructions: 'Hi' },
    );
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ maxDuration: 900, instructions: 'Hi', candidateName: 'Ahmed Hassan' });
  });

  it("answers 404 for another organization's application", async () => {
    const a = await hrUser(h);
    const b = await hrUser(h);
    const { applicationId } = await application(h, a.auth);
    const res = await createRoom(b.auth, { applicationId, interviewType: 'TECHNICAL' });
    await expectError(res, 404, 'NOT_FOUND');
    expect(await interviewsOf(applicationId)).toHaveLength(0);
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
    const res = await createRoom(hr.auth, { applicationId, interviewType: 'TECHNICAL', ...over });
    await expectError(res, 400, 'VALIDATION_FAILED');
    expect(await interviewsOf(applicationId)).toHaveLength(0);
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
    await expectSame404(
      (code) => h.request(`/api/public/interview/room/${code}`),
      ['ABC', 'ABCDEFGHJ', 'ABCD-EFG', 'ABCD%20EFG', '%27%3B--%20xx'],
    );
  });

  it('shows the status as it changes', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    expect((await end(r.roomCode, hr.auth)).status).toBe(200);
    const res = await h.request(`/api/public/interview/room/${r.roomCode}`);
    expect(await json(res)).toMatchObject({ status: 'CANCELLED' });
  });
});
