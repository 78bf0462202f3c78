// LiveKit webhooks into the API: signed as livekit-server signs them (an HS256 JWT whose sha256
// claim is the body's hash), verified over the raw body, counted once per event id, and only a
// trigger for the agent check: forged, replayed or out-of-order events change nothing.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WATCHDOG } from '../../api/watchdog.js';
import { hrUser, json, recordingRooms, room, startHarness, type Harness } from '../../testkit/api.js';
import { waitUntil, sleep } from '../../testkit/stack.js';

let h: Harness;
const lk = recordingRooms();
beforeAll(async () => {
  h = await startHarness({}, undefined, { rooms: lk.service });
});
afterAll(() => h?.close());
beforeEach(() => {
  lk.dispatched.length = 0;
  h.clock.now = Date.now();
});

let eventCounter = 0;
const event = (type: string, roomName: string, participant?: { identity: string; kind?: string }) =>
  JSON.stringify({
    event: type,
    id: `EV_test${++eventCounter}_${Math.random().toString(36).slice(2)}`,
    createdAt: String(Math.floor(Date.now() / 1000)),
    room: { sid: 'RM_test', name: roomName },
    ...(participant ? { participant: { sid: 'PA_test', identity: participant.identity, kind: participant.kind ?? 'STANDARD' } } : {}),
  });

async function signature(body: string, secret = h.config.livekit.apiSecret) {
  const token = new AccessToken(h.config.livekit.apiKey, secret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

const deliver = async (body: string, authorization?: string) =>
  h.request('/api/livekit/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', ...(authorization ? { authorization } : {}) },
    body,
  });

const storedEvents = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM livekit_events`.execute(h.deps.db)).rows[0]!.n;

/** A joined interview whose candidate has been alone long enough for the agent check to act. */
async function overdueRoom() {
  const hr = await hrUser(h);
  const r = await room(h, hr.auth);
  const res = await h.request(`/api/public/interview/join/${r.roomCode}`, {
    method: 'POST',
    json: { phoneNumber: '+971509876543', firstName: 'Ahmed', lastName: 'Hassan' },
  });
  expect(res.status).toBe(200);
  h.clock.now += WATCHDOG.agentWaitMs + 1_000;
  lk.set(r.roomName, 'candidate');
  return r;
}

describe('LiveKit webhooks', () => {
  it('answers a forged, unsigned or tampered delivery 401 in the error envelope, and stores nothing', async () => {
    const r = await overdueRoom();
    const body = event('participant_left', r.roomName, { identity: 'agent-AJ_1', kind: 'AGENT' });
    const before = await storedEvents();
    const cases = [
      await deliver(body), // no signature
      await deliver(body, await signature(body, 'another-secret-another-secret-0123')), // wrong key
      await deliver(body.replace('participant_left', 'participant_joined'), await signature(body)), // body changed after signing
      await deliver(body, 'not.a.jwt'),
    ];
    for (const res of cases) {
      expect(res.status).toBe(401);
      const b = await json(res);
      expect(b).toMatchObject({ code: 'UNAUTHORIZED', error: expect.any(String), requestId: expect.any(String) });
    }
    await sleep(200);
    expect(await storedEvents()).toBe(before);
    expect(lk.dispatched).toEqual([]);
  });

  it('acts on a signed event once: a replayed delivery is acknowledged and changes nothing', async () => {
    const r = await overdueRoom();
    const body = event('participant_left', r.roomName, { identity: 'agent-AJ_1', kind: 'AGENT' });
    const first = await deliver(body, await signature(body));
    expect(first.status).toBe(200);
    expect(await json(first)).toEqual({ received: true, duplicate: false });
    await waitUntil(() => lk.dispatched.length === 1, { timeoutMs: 5_000, what: 'the agent dispatched on the event' });
    expect(lk.dispatched[0]).toEqual({ roomName: r.roomName, interviewId: r.sessionId });

    // LiveKit retries a delivery it thinks failed; a replay with a fresh signature is the same event.
    lk.set(r.roomName, 'candidate');
    h.clock.now += 60_000;
    for (let i = 0; i < 3; i++) {
      const again = await deliver(body, await signature(body));
      expect(again.status).toBe(200);
      expect(await json(again)).toEqual({ received: true, duplicate: true });
    }
    await sleep(300);
    expect(lk.dispatched).toHaveLength(1);
  });

  it('decides from the room as LiveKit has it now, not from the order events arrive in', async () => {
    const r = await overdueRoom();
    // The agent is back; a stale "agent left" arrives late: no second agent.
    lk.set(r.roomName, 'candidate', 'agent');
    const stale = event('participant_left', r.roomName, { identity: 'agent-AJ_1', kind: 'AGENT' });
    expect((await deliver(stale, await signature(stale))).status).toBe(200);
    await sleep(300);
    expect(lk.dispatched).toEqual([]);
    // A "joined" that says the agent is in, while the room has only the candidate: the room wins.
    lk.set(r.roomName, 'candidate');
    const joined = event('participant_joined', r.roomName, { identity: 'agent-AJ_1', kind: 'AGENT' });
    expect((await deliver(joined, await signature(joined))).status).toBe(200);
    await waitUntil(() => lk.dispatched.length === 1, { timeoutMs: 5_000, what: 'the agent dispatched' });
  });

  it('acknowledges events about unknown or ended rooms without acting on them', async () => {
    for (const name of ['interview_UNKNOWN1', '']) {
      const body = event('participant_joined', name, { identity: 'candidate_1' });
      expect((await deliver(body, await signature(body))).status).toBe(200);
    }
    const finished = event('room_finished', 'interview_UNKNOWN2');
    expect((await deliver(finished, await signature(finished))).status).toBe(200);
    await sleep(200);
    expect(lk.dispatched).toEqual([]);
  });

  it('refuses a signed body that is not an event with 4xx, never 500', async () => {
    for (const body of ['{', '[]', '{"event":"room_started"}', 'x'.repeat(300 * 1024)]) {
      const res = await deliver(body, await signature(body));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await json(res)).toMatchObject({ code: expect.any(String), error: expect.any(String) });
    }
  });
});
