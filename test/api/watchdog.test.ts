// The API's watchdog on real Postgres, with a RoomService that records what it asks of LiveKit:
// the time limit, the agent's arrival (confirm, re-dispatch with backoff), the empty room, the
// evaluation sweep, and one replica at a time under the lease.
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWatchdog, WATCHDOG } from '../../api/watchdog.js';
import { hrUser, json, recordingRooms, room, startHarness, type Harness } from '../../testkit/api.js';

// A replica that cannot reach Postgres: its lease fails while `databaseDown` is set.
let databaseDown = false;
vi.mock('../../db/queries/leases.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../db/queries/leases.js')>();
  return {
    ...real,
    takeLease: (...a: Parameters<typeof real.takeLease>) =>
      databaseDown ? Promise.reject(new Error('database down')) : real.takeLease(...a),
  };
});

let h: Harness;
const lk = recordingRooms();
beforeAll(async () => {
  h = await startHarness({}, undefined, { rooms: lk.service });
});
afterAll(() => h?.close());
beforeEach(async () => {
  lk.dispatched.length = 0;
  lk.deleted.length = 0;
  lk.removed.length = 0;
  databaseDown = false;
  // Each test's watchdogs are new replicas: the previous test's lease must not hold them off.
  await sql`DELETE FROM leases`.execute(h.deps.db);
  h.clock.now = Date.now();
});

async function joinedRoom(status: 'READY' | 'IN_PROGRESS', startedMinutesAgo: number, maxDuration = 600) {
  const hr = await hrUser(h);
  const r = await room(h, hr.auth, { maxDuration });
  const res = await h.request(`/api/public/interview/join/${r.roomCode}`, {
    method: 'POST',
    json: { phoneNumber: '+971509876543', firstName: 'Ahmed', lastName: 'Hassan' },
  });
  expect(res.status).toBe(200);
  await sql`UPDATE interviews SET status = ${status}, started_at = now() - make_interval(mins => ${startedMinutesAgo}),
            last_joined_at = now() - make_interval(mins => ${startedMinutesAgo}) WHERE id = ${r.sessionId}`.execute(h.deps.db);
  // The watchdog's clock starts at the join just stored, however long the set-up took on a busy
  // machine: the steps below add to it exactly the waits they test.
  h.clock.now = Date.now();
  return { ...r, hr };
}

const statusOf = async (id: string) =>
  (await sql<{ status: string; end_reason: string | null }>`SELECT status, end_reason FROM interviews WHERE id = ${id}`.execute(h.deps.db))
    .rows[0]!;
const evaluations = async (id: string) =>
  (
    await sql<{
      scored: boolean;
      not_scored_reason: string | null;
    }>`SELECT scored, not_scored_reason FROM evaluations WHERE interview_id = ${id}`.execute(h.deps.db)
  ).rows;
const dispatchesTo = (id: string) => lk.dispatched.filter((d) => d.interviewId === id).length;

describe('watchdog: time limit', () => {
  it('ends interviews past their limit plus the grace, even with no agent alive, and only those', async () => {
    const late = await joinedRoom('IN_PROGRESS', 12); // 10 min limit + 1 min grace < 12 min
    const neverStarted = await joinedRoom('READY', 12);
    const onTime = await joinedRoom('IN_PROGRESS', 5);
    const w = createWatchdog(h.deps);
    await w.tick();
    expect(await statusOf(late.sessionId)).toEqual({ status: 'TIMED_OUT', end_reason: 'time_limit_watchdog' });
    expect(await statusOf(neverStarted.sessionId)).toEqual({ status: 'ABANDONED', end_reason: 'time_limit_watchdog' });
    expect((await statusOf(onTime.sessionId)).status).toBe('IN_PROGRESS');
    expect(lk.deleted).toEqual(expect.arrayContaining([late.roomName, neverStarted.roomName]));
    expect(lk.deleted).not.toContain(onTime.roomName);
    // A second pass changes nothing more.
    await w.tick();
    const ended = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'interview.ended'
      AND interview_id IN (${late.sessionId}, ${neverStarted.sessionId})`.execute(h.deps.db);
    expect(ended.rows[0]!.n).toBe(2);
  });

  it('lets one replica at a time run a pass, and another take over when it stops', async () => {
    const late = await joinedRoom('IN_PROGRESS', 30);
    const alone = await joinedRoom('IN_PROGRESS', 1);
    lk.set(alone.roomName, 'candidate');
    const [a, b] = [createWatchdog(h.deps), createWatchdog(h.deps)];
    // Two replicas ticking together: the lease lets one through, the transition is guarded.
    await Promise.all([a.tick(), b.tick()]);
    const changes = await sql<{ n: number }>`SELECT count(*)::int AS n FROM interview_status_changes
      WHERE interview_id = ${late.sessionId} AND to_status = 'TIMED_OUT'`.execute(h.deps.db);
    expect(changes.rows[0]!.n).toBe(1);
    expect(dispatchesTo(alone.sessionId)).toBe(1);
    // Whichever holds the lease, only it works: the other's passes do nothing while it lives.
    await sql`DELETE FROM leases`.execute(h.deps.db);
    await a.tick();
    h.clock.now += 60_000;
    await b.tick();
    expect(dispatchesTo(alone.sessionId)).toBe(1);
    // The holder stops (its lease released): the other replica's next pass does the work.
    const stopA = a.start();
    await stopA();
    await b.tick();
    expect(dispatchesTo(alone.sessionId)).toBe(2);
    const detail = await json(await h.request(`/api/interviews/${late.sessionId}`, { headers: (await hrUser(h)).auth }));
    expect(detail.code).toBe('NOT_FOUND'); // another organization's HR cannot see it
  });
});

describe('watchdog: the agent arrives', () => {
  it('re-dispatches when no agent joined within seconds of the join, then backs off', async () => {
    const r = await joinedRoom('READY', 0);
    lk.set(r.roomName, 'candidate');
    const w = createWatchdog(h.deps);
    await w.tick();
    expect(dispatchesTo(r.sessionId)).toBe(0); // just joined: the token's dispatch has its chance
    h.clock.now += WATCHDOG.agentWaitMs + 500;
    await w.tick();
    expect(dispatchesTo(r.sessionId)).toBe(1);
    await w.tick();
    expect(dispatchesTo(r.sessionId)).toBe(1); // waits before the next try...
    h.clock.now += WATCHDOG.agentWaitMs + 500;
    await w.tick();
    expect(dispatchesTo(r.sessionId)).toBe(1); // ...twice as long the second time
    h.clock.now += WATCHDOG.agentWaitMs;
    await w.tick();
    expect(dispatchesTo(r.sessionId)).toBe(2);
    expect(lk.dispatched.at(-1)).toEqual({ roomName: r.roomName, interviewId: r.sessionId });
  });

  it("counts the wait from the candidate's entry into the room, for a device slow to connect", async () => {
    const r = await joinedRoom('READY', 0);
    h.clock.now += WATCHDOG.agentWaitMs + 2_000; // the page took 7 s to connect after the join answer
    lk.set(r.roomName, 'candidate');
    lk.joinedAt(r.roomName, h.clock.now);
    const w = createWatchdog(h.deps);
    await w.tick();
    expect(dispatchesTo(r.sessionId)).toBe(0); // the token's dispatch, made as it entered, has its chance
    h.clock.now += WATCHDOG.agentWaitMs + 500;
    await w.tick();
    expect(dispatchesTo(r.sessionId)).toBe(1);
  });

  it('resets the backoff once an agent is in, and sends one again at once when it disappears', async () => {
    const r = await joinedRoom('IN_PROGRESS', 1);
    lk.set(r.roomName, 'candidate');
    const w = createWatchdog(h.deps);
    await w.tick();
    expect(dispatchesTo(r.sessionId)).toBe(1);
    lk.set(r.roomName, 'candidate', 'agent');
    h.clock.now += 60_000;
    await w.tick();
    const row = (
      await sql<{ agent_dispatches: number }>`SELECT agent_dispatches FROM interviews WHERE id = ${r.sessionId}`.execute(h.deps.db)
    ).rows[0]!;
    expect(row.agent_dispatches).toBe(0);
    expect(dispatchesTo(r.sessionId)).toBe(1);
    // The worker died: the candidate is alone again, long after the last dispatch.
    lk.set(r.roomName, 'candidate');
    await w.tick();
    expect(dispatchesTo(r.sessionId)).toBe(2);
  });

  it('sends no agent to a room the candidate is not in, nor to one that has its agent', async () => {
    const empty = await joinedRoom('READY', 1);
    const staffed = await joinedRoom('IN_PROGRESS', 1);
    lk.set(staffed.roomName, 'candidate', 'agent');
    await createWatchdog(h.deps).tick();
    expect(lk.dispatched).toEqual([]);
    expect((await statusOf(empty.sessionId)).status).toBe('READY');
  });
});

describe('watchdog: an interviewer that died with its machine', () => {
  const beatAt = (id: string, at: number) =>
    sql`UPDATE interviews SET agent_heartbeat_at = ${new Date(at)} WHERE id = ${id}`.execute(h.deps.db);

  it('is removed once its heartbeat is silent, and another is sent at once; a beating one stays', async () => {
    const r = await joinedRoom('IN_PROGRESS', 5);
    lk.set(r.roomName, 'candidate', 'agent');
    const w = createWatchdog(h.deps);
    await beatAt(r.sessionId, h.clock.now - 1_000);
    await w.tick();
    h.clock.now += WATCHDOG.agentSilentMs + 1_000;
    await beatAt(r.sessionId, h.clock.now - 1_000); // alive: it beat a second ago
    await w.tick();
    expect(lk.removed).toEqual([]);
    expect(dispatchesTo(r.sessionId)).toBe(0);
    h.clock.now += WATCHDOG.agentSilentMs + 1_000; // no beat since
    await w.tick();
    expect(lk.removed).toEqual([{ roomName: r.roomName, identity: 'agent-AJ_1' }]);
    expect(dispatchesTo(r.sessionId)).toBe(1);
  });

  it('is not judged until this replica has reached Postgres that long: after an outage every heartbeat is old', async () => {
    const r = await joinedRoom('IN_PROGRESS', 5);
    lk.set(r.roomName, 'candidate', 'agent');
    await beatAt(r.sessionId, h.clock.now - 60_000);
    const w = createWatchdog(h.deps);
    await w.tick(); // a replica just started: reachable since now
    h.clock.now += WATCHDOG.agentSilentMs - 1_000;
    await w.tick();
    expect(lk.removed).toEqual([]);
    databaseDown = true;
    h.clock.now += 2_000;
    await expect(w.tick()).rejects.toThrow('database down');
    databaseDown = false;
    h.clock.now += 1_000;
    await w.tick(); // back: reachable since now, again
    expect(lk.removed).toEqual([]);
    h.clock.now += WATCHDOG.agentSilentMs;
    await w.tick();
    expect(lk.removed).toEqual([{ roomName: r.roomName, identity: 'agent-AJ_1' }]);
    expect(dispatchesTo(r.sessionId)).toBe(1);
  });
});

describe('watchdog: endings nobody else made', () => {
  it('ends a started interview whose room stays empty as the candidate leaving; a not-started one stays open', async () => {
    const started = await joinedRoom('IN_PROGRESS', 3);
    const notStarted = await joinedRoom('READY', 3);
    const w = createWatchdog(h.deps);
    await w.tick(); // both rooms empty: the clock starts
    expect((await statusOf(started.sessionId)).status).toBe('IN_PROGRESS');
    h.clock.now += WATCHDOG.emptyRoomMs;
    await w.tick();
    expect(await statusOf(started.sessionId)).toEqual({ status: 'ABANDONED', end_reason: 'candidate_left' });
    expect((await statusOf(notStarted.sessionId)).status).toBe('READY');
  });

  it('evaluates an interview that ended with no agent to do it, once, after the grace', async () => {
    const r = await joinedRoom('READY', 1);
    const end = await h.request(`/api/public/interview/room/${r.roomCode}/end`, { method: 'POST', headers: r.hr.auth });
    expect(end.status).toBe(200);
    expect(await statusOf(r.sessionId)).toEqual({ status: 'CANCELLED', end_reason: 'hr_ended' });
    expect(lk.deleted).toContain(r.roomName);
    h.clock.now = Date.now(); // the ending just stored
    const w = createWatchdog(h.deps);
    await w.tick();
    expect(await evaluations(r.sessionId)).toEqual([]); // an agent in the room would write it first
    h.clock.now += WATCHDOG.evaluationGraceMs + 1_000;
    // A few passes: earlier tests' endings are in the queue too, a few per pass.
    for (let i = 0; i < 4; i++) await w.tick();
    expect(await evaluations(r.sessionId)).toEqual([{ scored: false, not_scored_reason: expect.stringContaining('structured mode') }]);
  });
});
