import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWatchdog } from '../../api/watchdog.js';
import { hrUser, json, room, startHarness, type Harness } from '../support/api.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

async function joinedRoom(status: 'READY' | 'IN_PROGRESS', startedMinutesAgo: number) {
  const hr = await hrUser(h);
  const r = await room(h, hr.auth, { maxDuration: 600 });
  const res = await h.request(`/api/public/interview/join/${r.roomCode}`, {
    method: 'POST',
    json: { phoneNumber: '+971509876543', firstName: 'Ahmed', lastName: 'Hassan' },
  });
  expect(res.status).toBe(200);
  await sql`UPDATE interviews SET status = ${status}, started_at = now() - make_interval(mins => ${startedMinutesAgo}),
            last_joined_at = now() - make_interval(mins => ${startedMinutesAgo}) WHERE id = ${r.sessionId}`.execute(h.deps.db);
  return r;
}

const statusOf = async (id: string) =>
  (await sql<{ status: string; end_reason: string | null }>`SELECT status, end_reason FROM interviews WHERE id = ${id}`.execute(h.deps.db)).rows[0]!;

describe('watchdog', () => {
  it('ends interviews past their limit plus the grace, even with no agent alive, and only those', async () => {
    const late = await joinedRoom('IN_PROGRESS', 12); // 10 min limit + 1 min grace < 12 min
    const neverStarted = await joinedRoom('READY', 12);
    const onTime = await joinedRoom('IN_PROGRESS', 5);
    // LiveKit is not reachable in this test: the room checks fail, the time limit still holds.
    await createWatchdog(h.deps).tick();
    expect(await statusOf(late.sessionId)).toEqual({ status: 'TIMED_OUT', end_reason: 'time_limit_watchdog' });
    expect(await statusOf(neverStarted.sessionId)).toEqual({ status: 'ABANDONED', end_reason: 'time_limit_watchdog' });
    expect((await statusOf(onTime.sessionId)).status).toBe('IN_PROGRESS');
    // A second pass changes nothing more.
    await createWatchdog(h.deps).tick();
    const ended = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'interview.ended'
      AND interview_id IN (${late.sessionId}, ${neverStarted.sessionId})`.execute(h.deps.db);
    expect(ended.rows[0]!.n).toBe(2);
  });

  it('lets one replica at a time run a pass', async () => {
    const late = await joinedRoom('IN_PROGRESS', 30);
    // Two replicas ticking together: the advisory lock lets one through, the transition is guarded.
    await Promise.all([createWatchdog(h.deps).tick(), createWatchdog(h.deps).tick()]);
    const changes = await sql<{ n: number }>`SELECT count(*)::int AS n FROM interview_status_changes
      WHERE interview_id = ${late.sessionId} AND to_status = 'TIMED_OUT'`.execute(h.deps.db);
    expect(changes.rows[0]!.n).toBe(1);
    const detail = await json(await h.request(`/api/interviews/${late.sessionId}`, { headers: (await hrUser(h)).auth }));
    expect(detail.code).toBe('NOT_FOUND'); // another organization's HR cannot see it
  });
});
