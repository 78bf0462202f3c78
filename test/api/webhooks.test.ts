// Outbound webhooks on real Postgres, to a real receiver on 127.0.0.1 that checks every request's
// Standard Webhooks signature itself: events queued by the database with the change, each
// delivered once, in order per endpoint, through a receiver that is down for a while, a restart
// of the API, and two delivery loops racing; resend. The HR API's edges: webhooks-api.test.ts.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createWebhookDelivery } from '../../api/webhook-delivery.js';
import { transitionInterview } from '../../db/queries/interviews.js';
import { claimDeliveries } from '../../db/queries/webhooks.js';
import { completeTextInterview, hrUser, json, room, scheduledInterview } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';
import {
  anotherProcess,
  deliveryRows,
  EVENTS,
  expectOnceInOrder,
  FAST,
  h,
  pendingCount,
  receiver,
  sleep,
  until,
  voiceInterview,
  useWebhooksHarness,
} from './helpers/webhooks.js';

useWebhooksHarness();

describe('events', () => {
  it('delivers each event once, signed, with ids, status, reason and score, and nothing personal', async () => {
    const recv = await receiver();
    const hr = await hrUser(h);
    const all = await recv.register(hr.auth, '/ats');
    await recv.register(hr.auth, '/ats-evaluations', ['evaluation.ready']);
    const other = await hrUser(h);
    await recv.register(other.auth, '/other-org');
    const loop = createWebhookDelivery(h.deps, FAST);

    const interviewId = await voiceInterview(hr.auth);
    await until('four deliveries', () => recv.accepted.length >= 4, loop);
    for (let i = 0; i < 5; i++) await loop.tick();

    expect(recv.badSignatures).toBe(0);
    expect(recv.accepted).toHaveLength(4);
    expect(recv.ofPath('/other-org')).toEqual([]);
    const got = recv.ofPath('/ats');
    expect(got.map((g) => g.type)).toEqual(EVENTS);
    const [started, ended, evaluated] = got.map((g) => g.data);
    const ids = { interviewId, applicationId: expect.any(String), jobId: expect.any(String), candidateId: expect.any(String) };
    expect(started).toEqual({
      ...ids,
      interviewType: 'TECHNICAL',
      status: 'IN_PROGRESS',
      previousStatus: expect.any(String),
      startedAt: expect.any(String),
    });
    expect(ended).toMatchObject({ ...ids, status: 'COMPLETED', previousStatus: 'IN_PROGRESS', endReason: 'hr_ended' });
    expect(Date.parse(ended!.endedAt as string)).toBeGreaterThanOrEqual(Date.parse(ended!.startedAt as string));
    expect(evaluated).toEqual({
      ...ids,
      evaluationId: expect.any(String),
      version: 1,
      scored: true,
      score: 82,
      recommendation: 'Yes',
      createdAt: expect.any(String),
    });
    expect(recv.ofPath('/ats-evaluations').map((g) => g.data)).toEqual([evaluated]);
    for (const g of recv.accepted) {
      expect(g.id).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(JSON.parse(g.raw)).toEqual({ type: g.type, timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/), data: g.data });
      expect(g.raw).not.toMatch(/Ahmed|Hassan|ahmed@example|971509876543|payments company|idempotent/i);
    }
    expect(new Set(recv.accepted.map((g) => g.id)).size).toBe(4);

    // HR sees what happened: delivered at the first attempt, answered 200.
    const res = await h.request(`/api/webhooks/${all.id}/deliveries`, { headers: hr.auth });
    expect(res.status).toBe(200);
    const { items } = await json<{ items: Record<string, unknown>[] }>(res);
    expect(items.map((d) => d.eventType)).toEqual([...EVENTS].reverse());
    for (const d of items)
      expect(d).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200, lastError: null, nextAttemptAt: null });
  });

  it('reports the text-mode interview too: started, evaluated, ended', async () => {
    const recv = await receiver();
    const hr = await hrUser(h);
    await recv.register(hr.auth, '/text');
    const loop = createWebhookDelivery(h.deps, FAST);
    const { id } = await scheduledInterview(h, hr.auth);
    await completeTextInterview(h, hr.auth, id, ['I built a ledger service.', 'I use idempotency keys.']);
    await until('three deliveries', () => recv.accepted.length >= 3, loop);
    expect(recv.accepted.map((g) => g.type)).toEqual(['interview.started', 'evaluation.ready', 'interview.ended']);
    expect(recv.accepted[1]!.data).toMatchObject({ interviewId: id, version: 1, scored: false, score: null, recommendation: null });
    expect(recv.accepted[2]!.data).toMatchObject({ interviewId: id, status: 'COMPLETED', endReason: 'text_completed' });
  });

  it('queues nothing for a disabled endpoint, and removing one removes its deliveries', async () => {
    const recv = await receiver();
    const hr = await hrUser(h);
    const hook = await recv.register(hr.auth, '/paused');
    const off = await h.request(`/api/webhooks/${hook.id}`, { method: 'PATCH', headers: hr.auth, json: { enabled: false } });
    expect(await json(off)).toMatchObject({ id: hook.id, enabled: false });
    await voiceInterview(hr.auth);
    expect(await deliveryRows(hook.id)).toEqual([]);
    await h.request(`/api/webhooks/${hook.id}`, { method: 'PATCH', headers: hr.auth, json: { enabled: true } });
    await voiceInterview(hr.auth);
    expect(await deliveryRows(hook.id)).toHaveLength(3);
    const del = await h.request(`/api/webhooks/${hook.id}`, { method: 'DELETE', headers: hr.auth });
    expect(del.status).toBe(204);
    expect(await deliveryRows(hook.id)).toEqual([]);
    await expectError(await h.request(`/api/webhooks/${hook.id}/deliveries`, { headers: hr.auth }), 404, 'NOT_FOUND');
  });
});

describe('a receiver that is down', () => {
  it('gets every event exactly once, in order, once it is back: after 503s and a closed port', async () => {
    const recv = await receiver();
    const hr = await hrUser(h);
    const a = await recv.register(hr.auth, '/a');
    const b = await recv.register(hr.auth, '/b', ['interview.ended', 'evaluation.ready']);
    const loop = createWebhookDelivery(h.deps, FAST);
    recv.state.answer = 503;
    await voiceInterview(hr.auth);
    await voiceInterview(hr.auth);
    await until('three refused attempts', () => recv.requests >= 6, loop);
    await recv.down();
    const errors = async () =>
      new Set(
        (
          await sql<{ e: string }>`SELECT DISTINCT last_error AS e FROM webhook_deliveries WHERE endpoint_id IN (${a.id}, ${b.id})
        AND last_error IS NOT NULL`.execute(h.deps.db)
        ).rows.map((r) => r.e),
      );
    await until('an attempt on the closed port', async () => (await errors()).has('connection refused'), loop);
    expect(recv.accepted).toEqual([]);
    recv.state.answer = 200;
    await recv.up();
    await until('everything delivered', async () => (await pendingCount([a.id, b.id])) === 0, loop);

    expect(recv.badSignatures).toBe(0);
    const rowsA = await expectOnceInOrder(recv, '/a', a.id);
    const rowsB = await expectOnceInOrder(recv, '/b', b.id);
    expect(rowsA).toHaveLength(6);
    expect(rowsB).toHaveLength(4);
    expect(rowsA[0]!.attempts).toBeGreaterThan(3); // the head of the queue took the failures
    expect(recv.ofPath('/a').map((g) => g.type)).toEqual([...EVENTS, ...EVENTS]);
    for (const e of await errors()) expect(['HTTP 503', 'connection refused', 'connection reset']).toContain(e);
  });

  it('gives up after the last retry, still visible, and a resend delivers it then', async () => {
    const recv = await receiver();
    const hr = await hrUser(h);
    const hook = await recv.register(hr.auth, '/flaky', ['interview.started']);
    const loop = createWebhookDelivery(h.deps, { ...FAST, retryMs: [20, 20] });
    recv.state.answer = 500;
    const r = await room(h, hr.auth);
    await transitionInterview(h.deps.db, r.sessionId, { from: ['SCHEDULED', 'READY'], to: 'IN_PROGRESS' });
    const deliveries = async () =>
      (await json<{ items: Record<string, unknown>[] }>(await h.request(`/api/webhooks/${hook.id}/deliveries`, { headers: hr.auth })))
        .items;
    await until('given up', async () => (await deliveries())[0]?.state === 'failed', loop);
    const [failed] = await deliveries();
    expect(failed).toMatchObject({ state: 'failed', attempts: 3, lastStatus: 500, lastError: 'HTTP 500', nextAttemptAt: null });
    expect(failed!.failedAt).toEqual(expect.any(String));
    for (let i = 0; i < 5; i++) await loop.tick();
    expect(recv.requests).toBe(3);

    recv.state.answer = 204;
    const resend = await h.request(`/api/webhooks/deliveries/${failed!.id}/resend`, { method: 'POST', headers: hr.auth });
    expect(resend.status).toBe(202);
    expect(await json(resend)).toMatchObject({ id: failed!.id, state: 'pending', attempts: 0, webhookId: failed!.webhookId });
    await until('delivered', () => recv.accepted.length === 1, loop);
    expect(recv.accepted[0]!.id).toBe(failed!.webhookId);
    expect((await deliveries())[0]).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 204 });
  });
});

describe('more than one delivery loop', () => {
  it('loses nothing when the API restarts mid-retry, even with deliveries claimed by the process that died', async () => {
    const recv = await receiver();
    const before = await anotherProcess();
    const hr = await hrUser(before);
    const hook = await recv.register(hr.auth, '/restart', EVENTS, before);
    recv.state.answer = 503;
    await voiceInterview(hr.auth, before);
    await voiceInterview(hr.auth, before);
    const dying = createWebhookDelivery(before.deps, FAST);
    await until('two failed attempts', () => recv.requests >= 2, dying);
    // The process dies holding a claim: rows locked by it and never answered for.
    await sleep(200);
    const held = await claimDeliveries(before.deps.db, 10, 300);
    expect(held.length).toBeGreaterThan(0);
    await before.close();

    recv.state.answer = 200;
    const after = await anotherProcess();
    const loop = createWebhookDelivery(after.deps, FAST);
    await until('everything delivered', async () => (await pendingCount([hook.id])) === 0, loop);
    expect(recv.badSignatures).toBe(0);
    expect(await expectOnceInOrder(recv, '/restart', hook.id)).toHaveLength(6);
  });

  it('two loops racing never send one delivery twice, and keep each endpoint in order', async () => {
    const recv = await receiver();
    recv.state.delayMs = 15;
    const hooks: { path: string; id: string }[] = [];
    for (let org = 0; org < 3; org++) {
      const hr = await hrUser(h);
      for (const path of [`/race-${org}-x`, `/race-${org}-y`]) hooks.push({ path, id: (await recv.register(hr.auth, path)).id });
      for (let i = 0; i < 3; i++) await voiceInterview(hr.auth);
    }
    const [p1, p2] = [await anotherProcess(), await anotherProcess()];
    const loops = [createWebhookDelivery(p1.deps, { ...FAST, batch: 4 }), createWebhookDelivery(p2.deps, { ...FAST, batch: 4 })];
    await until('everything delivered', async () => (await pendingCount(hooks.map((k) => k.id))) === 0, ...loops);
    expect(recv.badSignatures).toBe(0);
    expect(recv.requests).toBe(hooks.length * 9); // every request was answered 200: none was a second send
    for (const k of hooks) expect(await expectOnceInOrder(recv, k.path, k.id)).toHaveLength(9);
  });
});

describe('resend', () => {
  it('sends a delivered event again with the same webhook-id, for the owner only', async () => {
    const recv = await receiver();
    const hr = await hrUser(h);
    const hook = await recv.register(hr.auth, '/resend', ['interview.started']);
    const loop = createWebhookDelivery(h.deps, FAST);
    const r = await room(h, hr.auth);
    await transitionInterview(h.deps.db, r.sessionId, { from: ['SCHEDULED', 'READY'], to: 'IN_PROGRESS' });
    await until('delivered', () => recv.accepted.length === 1, loop);
    const [row] = (
      await json<{ items: { id: string; webhookId: string }[] }>(
        await h.request(`/api/webhooks/${hook.id}/deliveries`, { headers: hr.auth }),
      )
    ).items;

    const stranger = await hrUser(h);
    await expectError(
      await h.request(`/api/webhooks/deliveries/${row!.id}/resend`, { method: 'POST', headers: stranger.auth }),
      404,
      'NOT_FOUND',
    );
    await expectError(await h.request('/api/webhooks/deliveries/not-an-id/resend', { method: 'POST', headers: hr.auth }), 404, 'NOT_FOUND');
    expect(recv.accepted).toHaveLength(1);

    const res = await h.request(`/api/webhooks/deliveries/${row!.id}/resend`, { method: 'POST', headers: hr.auth });
    expect(res.status).toBe(202);
    await until('sent again', () => recv.accepted.length === 2, loop);
    expect(recv.accepted.map((a) => a.id)).toEqual([row!.webhookId, row!.webhookId]);
    expect(recv.accepted[1]!.raw).toBe(recv.accepted[0]!.raw);
  });
});
