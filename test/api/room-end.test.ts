// Ending a room (the hardening DESIGN.md adds to seed 000): only the candidate's own session or join
// token, or HR of the organization, may end it; exactly one transition under concurrency.
import { describe, expect, it } from 'vitest';
import { hrUser, json, room } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';
import { auditActions, end, h, interviewRow, markInProgress, joinedRoom, statusChanges, useRoomsHarness } from './helpers/rooms.js';

useRoomsHarness();

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
    await markInProgress(r.sessionId);
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
    await markInProgress(r.sessionId);
    const responses = await Promise.all(Array.from({ length: 100 }, () => end(r.roomCode, { cookie: r.cookie })));
    expect(responses.map((res) => res.status)).toEqual(Array(100).fill(200));
    const changes = await statusChanges(r.sessionId);
    expect(changes.filter((c) => c.to_status === 'COMPLETED')).toHaveLength(1);
    expect(changes.map((c) => c.to_status)).toEqual(['READY', 'IN_PROGRESS', 'COMPLETED']);
    const ended = (await auditActions(r.sessionId)).filter((a) => a.action === 'interview.ended');
    expect(ended).toEqual([{ action: 'interview.ended', actor: 'candidate', details: { to: 'COMPLETED', reason: 'candidate_ended' } }]);
  });
});
