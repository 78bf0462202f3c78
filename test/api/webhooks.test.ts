// Outbound webhooks on real Postgres, to a real receiver on 127.0.0.1 that checks every request's
// Standard Webhooks signature itself: events queued by the database with the change, each
// delivered once, in order per endpoint, through a receiver that is down for a while, a restart
// of the API, and two delivery loops racing; resend; and the HR API's edges.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookDelivery, WEBHOOK_DELIVERY, type WebhookDeliveryOptions } from '../../api/webhook-delivery.js';
import { connectDatabase } from '../../db/connect.js';
import { saveEvaluationOnce } from '../../db/queries/evaluations.js';
import { transitionInterview } from '../../db/queries/interviews.js';
import { claimDeliveries } from '../../db/queries/webhooks.js';
import {
  completeTextInterview,
  hrUser,
  json,
  recordingRooms,
  room,
  scheduledInterview,
  startHarness,
  type Harness,
} from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';
import type { TestDatabase } from '../../testkit/postgres.js';

const ALLOW_HTTP = { WEBHOOKS_ALLOW_HTTP: 'true' };
const EVENTS = ['interview.started', 'interview.ended', 'evaluation.ready'];
/** Small waits, so a receiver can be down for several attempts within a second or two. */
const FAST: WebhookDeliveryOptions = {
  ...WEBHOOK_DELIVERY,
  intervalMs: 20,
  timeoutMs: 2_000,
  lockMs: 5_000,
  retryMs: [30, 60, 90, 120, 150, 150, 150, 150, 150, 150, 150, 150, 150, 150],
};

let h: Harness;
const lk = recordingRooms();
const opened: { close(): Promise<unknown> }[] = [];
beforeAll(async () => {
  h = await startHarness(ALLOW_HTTP, undefined, { rooms: lk.service });
});
afterAll(async () => {
  for (const o of opened.reverse()) await o.close().catch(() => {});
  await h?.close();
});

/** Another connection pool on the same database: another API process. Closing it keeps the data. */
async function anotherProcess(env: Record<string, string> = ALLOW_HTTP) {
  const handle = await connectDatabase({ databaseUrl: h.database.url, dataDir: '.data' });
  const database: TestDatabase = { ...handle, url: h.database.url, name: h.database.name };
  const other = await startHarness(env, database, { rooms: lk.service });
  opened.push(other);
  return other;
}

// ---- The receiver: an applicant-tracking system's endpoint, verifying signatures on its own. ----

interface Received {
  path: string;
  id: string;
  timestamp: number;
  type: string;
  data: Record<string, unknown>;
  raw: string;
}

/** The Standard Webhooks check, written here from the scheme, not with the product's signer. */
function signatureHolds(secret: string, headers: Record<string, string | string[] | undefined>, body: string): boolean {
  const [id, ts, sigs] = ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((k) => headers[k]);
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sigs !== 'string') return false;
  if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  return sigs.split(' ').some((s) => {
    const [version, b64] = s.split(',');
    const got = Buffer.from(b64 ?? '', 'base64');
    return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

async function receiver() {
  const secrets = new Map<string, string>();
  /** Requests answered 2xx: what the receiver took in. */
  const accepted: Received[] = [];
  let requests = 0;
  let badSignatures = 0;
  const state = { answer: 200, delayMs: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests += 1;
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const secret = secrets.get(path);
      const reply = () => {
        if (
          !secret ||
          req.method !== 'POST' ||
          req.headers['content-type'] !== 'application/json' ||
          !signatureHolds(secret, req.headers, raw)
        ) {
          badSignatures += 1;
          res.writeHead(401).end();
          return;
        }
        if (state.answer >= 200 && state.answer < 300) {
          const body = JSON.parse(raw) as { type: string; data: Record<string, unknown> };
          accepted.push({
            path,
            id: req.headers['webhook-id'] as string,
            timestamp: Number(req.headers['webhook-timestamp']),
            type: body.type,
            data: body.data,
            raw,
          });
        }
        res.writeHead(state.answer).end();
      };
      if (state.delayMs > 0) setTimeout(reply, Math.random() * state.delayMs);
      else reply();
    });
  });
  const listen = (port = 0) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen();
  const port = (server.address() as AddressInfo).port;
  const r = {
    state,
    accepted,
    get requests() {
      return requests;
    },
    get badSignatures() {
      return badSignatures;
    },
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    /** HR registers this path of the receiver for `events`, as `auth`'s organization. */
    async register(auth: Record<string, string>, path: string, events = EVENTS, via = h) {
      const res = await via.request('/api/webhooks', { method: 'POST', headers: auth, json: { url: r.url(path), events } });
      expect(res.status).toBe(201);
      const body = await json<{ id: string; secret: string }>(res);
      secrets.set(path, body.secret);
      return body;
    },
    /** The port refuses connections (nothing listens) until `up()`. */
    async down() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
    up: () => listen(port),
    ofPath: (path: string) => accepted.filter((a) => a.path === path),
    close: () => r.down(),
  };
  opened.push(r);
  return r;
}

// ---- Driving interviews through the product ----

/** A voice interview: room, the candidate heard (IN_PROGRESS), HR ends it, its evaluation stored. */
async function voiceInterview(auth: Record<string, string>, via = h) {
  const r = await room(via, auth);
  await transitionInterview(via.deps.db, r.sessionId, { from: ['SCHEDULED', 'READY'], to: 'IN_PROGRESS' });
  const end = await via.request(`/api/interviews/${r.sessionId}/end`, { method: 'POST', headers: auth });
  expect(end.status).toBe(200);
  await saveEvaluationOnce(via.deps.db, {
    interview_id: r.sessionId,
    scored: true,
    not_scored_reason: null,
    score: 82,
    recommendation: 'Yes',
    evaluation_text: 'Ahmed Hassan explained idempotent payment retries well.',
    model: 'test-model',
    prompt_version: 'test',
  });
  return r.sessionId;
}

type Loop = ReturnType<typeof createWebhookDelivery>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the loops' ticks until `done` holds (a generous deadline, never a speed assertion). */
async function until(what: string, done: () => boolean | Promise<boolean>, ...loops: Loop[]) {
  const deadline = Date.now() + 20_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Promise.all(loops.map((l) => l.tick()));
    await sleep(10);
  }
}

const deliveryRows = async (endpointId: string) =>
  (
    await sql<{ message_id: string; attempts: number; delivered_at: Date | null; last_error: string | null }>`
      SELECT message_id, attempts, delivered_at, last_error FROM webhook_deliveries WHERE endpoint_id = ${endpointId} ORDER BY seq`.execute(
      h.deps.db,
    )
  ).rows;
const pendingCount = async (endpointIds: string[]) =>
  (
    await sql<{ n: number }>`SELECT count(*)::int AS n FROM webhook_deliveries
      WHERE endpoint_id IN (${sql.join(endpointIds)}) AND delivered_at IS NULL`.execute(h.deps.db)
  ).rows[0]!.n;
const countEndpoints = async () =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM webhook_endpoints`.execute(h.deps.db)).rows[0]!.n;

/** Each delivery row of the endpoint was taken in exactly once, in the order the rows were created. */
async function expectOnceInOrder(r: Awaited<ReturnType<typeof receiver>>, path: string, endpointId: string) {
  const rows = await deliveryRows(endpointId);
  expect(rows.length).toBeGreaterThan(0);
  expect(r.ofPath(path).map((a) => a.id)).toEqual(rows.map((row) => row.message_id));
  return rows;
}

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

describe('the HR API', () => {
  const valid = { url: 'https://ats.example.com/hooks/interviews?tenant=7', events: ['interview.ended'] };
  /** For endpoints that get events: tests reach only loopback (nothing listens on port 9). */
  const local = { url: 'http://127.0.0.1:9/hooks?tenant=7', events: ['interview.ended'] };

  it('answers 201 with the secret once; lists without secrets; other organizations get 404', async () => {
    const hr = await hrUser(h);
    const res = await h.request('/api/webhooks', {
      method: 'POST',
      headers: hr.auth,
      json: { ...local, events: ['interview.ended', 'interview.ended', 'evaluation.ready'] },
    });
    expect(res.status).toBe(201);
    const created = await json<Record<string, unknown>>(res);
    expect(created).toEqual({
      id: expect.any(String),
      url: local.url,
      events: ['interview.ended', 'evaluation.ready'],
      enabled: true,
      createdAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
    });
    const secret = created.secret as string;

    const list = await h.request('/api/webhooks', { headers: hr.auth });
    const text = await list.text();
    expect(JSON.parse(text)).toEqual({
      items: [{ id: created.id, url: local.url, events: created.events, enabled: true, createdAt: created.createdAt }],
    });
    expect(text).not.toContain(secret);
    expect(text).not.toContain('whsec_');
    await voiceInterview(hr.auth);
    const deliveries = await (await h.request(`/api/webhooks/${created.id}/deliveries`, { headers: hr.auth })).text();
    expect(JSON.parse(deliveries).items).toHaveLength(2);
    expect(deliveries).not.toContain('whsec_');

    const stranger = await hrUser(h);
    expect((await json<{ items: unknown[] }>(await h.request('/api/webhooks', { headers: stranger.auth }))).items).toEqual([]);
    const id = created.id as string;
    await expectError(await h.request(`/api/webhooks/${id}/deliveries`, { headers: stranger.auth }), 404, 'NOT_FOUND');
    await expectError(await h.request(`/api/webhooks/${id}`, { method: 'DELETE', headers: stranger.auth }), 404, 'NOT_FOUND');
    await expectError(
      await h.request(`/api/webhooks/${id}`, { method: 'PATCH', headers: stranger.auth, json: { enabled: false } }),
      404,
      'NOT_FOUND',
    );
    await expectError(await h.request('/api/webhooks/123/deliveries', { headers: hr.auth }), 404, 'NOT_FOUND');
    expect((await json<{ items: { enabled: boolean }[] }>(await h.request('/api/webhooks', { headers: hr.auth }))).items[0]!.enabled).toBe(
      true,
    );
    await expectError(await h.request('/api/webhooks', { headers: {} }), 401, 'UNAUTHORIZED');
  });

  it('refuses bad input with a 400 and stores nothing', async () => {
    const strict = await anotherProcess({}); // production rules: https, public addresses only
    const hr = await hrUser(strict);
    const bad: unknown[] = [
      { ...valid, url: 'http://ats.example.com/hooks' },
      { ...valid, url: 'https://user:pass@ats.example.com/hooks' },
      { ...valid, url: 'https://token@ats.example.com/hooks' },
      { ...valid, url: 'https://127.0.0.1/hooks' },
      { ...valid, url: 'https://localhost:8443/hooks' },
      { ...valid, url: 'https://[::1]/hooks' },
      { ...valid, url: 'https://10.1.2.3/hooks' },
      { ...valid, url: 'https://169.254.169.254/latest/meta-data' },
      { ...valid, url: 'https://2130706433/hooks' }, // 127.0.0.1 written as a number
      { ...valid, url: 'ftp://ats.example.com/hooks' },
      { ...valid, url: 'javascript:alert(1)' },
      { ...valid, url: 'not a url' },
      { ...valid, url: `https://ats.example.com/${'a'.repeat(3000)}` },
      { ...valid, url: 42 },
      { ...valid, events: ['interview.deleted'] },
      { ...valid, events: [] },
      { ...valid, events: 'interview.ended' },
      { ...valid, events: Array(10).fill('interview.ended') },
      { url: valid.url },
      { events: valid.events },
      { ...valid, secret: 'whsec_mine' },
      { ...valid, enabled: false },
    ];
    const before = await countEndpoints();
    for (const body of bad) {
      const res = await strict.request('/api/webhooks', { method: 'POST', headers: hr.auth, json: body });
      await expectError(res, 400, 'VALIDATION_FAILED');
    }
    await expectError(
      await strict.request('/api/webhooks', {
        method: 'POST',
        headers: { ...hr.auth, 'content-type': 'application/json' },
        body: '{"url":',
      }),
      400,
      'INVALID_JSON',
    );
    const hook = (await json<{ id: string }>(await strict.request('/api/webhooks', { method: 'POST', headers: hr.auth, json: valid }))).id;
    await expectError(
      await strict.request(`/api/webhooks/${hook}`, { method: 'PATCH', headers: hr.auth, json: { enabled: 'no' } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await strict.request(`/api/webhooks/${hook}`, { method: 'PATCH', headers: hr.auth, json: { enabled: false, url: valid.url } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(await strict.request(`/api/webhooks/${hook}/deliveries?limit=0`, { headers: hr.auth }), 400, 'VALIDATION_FAILED');
    await expectError(await strict.request(`/api/webhooks/${hook}/deliveries?limit=5&x=1`, { headers: hr.auth }), 400, 'VALIDATION_FAILED');
    expect(await countEndpoints()).toBe(before + 1);

    // Credentials stay refused even where local http is allowed.
    const dev = await hrUser(h);
    await expectError(
      await h.request('/api/webhooks', { method: 'POST', headers: dev.auth, json: { ...valid, url: 'http://a:b@127.0.0.1:9/x' } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('keeps an organization to 20 endpoints', async () => {
    const hr = await hrUser(h);
    for (let i = 0; i < 20; i++) {
      expect(
        (await h.request('/api/webhooks', { method: 'POST', headers: hr.auth, json: { ...local, url: `${local.url}&n=${i}` } })).status,
      ).toBe(201);
    }
    await expectError(await h.request('/api/webhooks', { method: 'POST', headers: hr.auth, json: local }), 409, 'CONFLICT');
  });
});
