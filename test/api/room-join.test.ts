// Seed 000 phone join: the candidate's phone admits them to their room with a LiveKit token for that
// room only, a scoped session cookie and an audit entry; anything else is refused and records nothing.
import { randomUUID } from 'node:crypto';
import { TokenVerifier, type ClaimGrants } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { hrUser, json, PHONE, room } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';
import {
  auditActions,
  cookie,
  end,
  expectSame404,
  h,
  interviewRow,
  join,
  markInProgress,
  JOIN_FIELDS,
  useRoomsHarness,
} from './helpers/rooms.js';

useRoomsHarness();

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
    await expectSame404((code) => join(code), ['ABC', 'ABCDEFGHJK', 'ABC_EFGH']);
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
    await markInProgress(r.sessionId);
    expect((await join(r.roomCode)).status).toBe(200);
  });
});
