// The webhook files' harness, and a receiver on 127.0.0.1 standing in for an applicant-tracking
// system: it verifies every request's Standard Webhooks signature on its own.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import { createWebhookDelivery, WEBHOOK_DELIVERY, type WebhookDeliveryOptions } from '../../../api/webhook-delivery.js';
import { connectDatabase } from '../../../db/connect.js';
import { saveEvaluationOnce } from '../../../db/queries/evaluations.js';
import { transitionInterview } from '../../../db/queries/interviews.js';
import { json, recordingRooms, room, startHarness, type Harness } from '../../../testkit/api.js';
import type { TestDatabase } from '../../../testkit/postgres.js';

export const ALLOW_HTTP = { WEBHOOKS_ALLOW_HTTP: 'true' };
export const EVENTS = ['interview.started', 'interview.ended', 'evaluation.ready'];
/** Small waits, so a receiver can be down for several attempts within a second or two. */
export const FAST: WebhookDeliveryOptions = {
  ...WEBHOOK_DELIVERY,
  intervalMs: 20,
  timeoutMs: 2_000,
  lockMs: 5_000,
  retryMs: [30, 60, 90, 120, 150, 150, 150, 150, 150, 150, 150, 150, 150, 150],
};

export let h: Harness;
const lk = recordingRooms();
const opened: { close(): Promise<unknown> }[] = [];

/** Starts the file's harness (LiveKit rooms recorded, not real) before its tests; closes all after. */
export function useWebhooksHarness() {
  beforeAll(async () => {
    h = await startHarness(ALLOW_HTTP, undefined, { rooms: lk.service });
  });
  afterAll(async () => {
    for (const o of opened.reverse()) await o.close().catch(() => {});
    await h?.close();
  });
}

/** Another connection pool on the same database: another API process. Closing it keeps the data. */
export async function anotherProcess(env: Record<string, string> = ALLOW_HTTP) {
  const handle = await connectDatabase({ databaseUrl: h.database.url, dataDir: '.data' });
  const database: TestDatabase = { ...handle, url: h.database.url, name: h.database.name };
  const other = await startHarness(env, database, { rooms: lk.service });
  opened.push(other);
  return other;
}

// ---- The receiver: an applicant-tracking system's endpoint, verifying signatures on its own. ----

export interface Received {
  path: string;
  id: string;
  timestamp: number;
  type: string;
  data: Record<string, unknown>;
  raw: string;
}

/** The Standard Webhooks check, written here from the scheme, not with the product's signer. */
export function signatureHolds(secret: string, headers: Record<string, string | string[] | undefined>, body: string): boolean {
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

export async function receiver() {
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
export async function voiceInterview(auth: Record<string, string>, via = h) {
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

export type Loop = ReturnType<typeof createWebhookDelivery>;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the loops' ticks until `done` holds (a generous deadline, never a speed assertion). */
export async function until(what: string, done: () => boolean | Promise<boolean>, ...loops: Loop[]) {
  const deadline = Date.now() + 20_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Promise.all(loops.map((l) => l.tick()));
    await sleep(10);
  }
}

export const deliveryRows = async (endpointId: string) =>
  (
    await sql<{ message_id: string; attempts: number; delivered_at: Date | null; last_error: string | null }>`
      SELECT message_id, attempts, delivered_at, last_error FROM webhook_deliveries WHERE endpoint_id = ${endpointId} ORDER BY seq`.execute(
      h.deps.db,
    )
  ).rows;
export const pendingCount = async (endpointIds: string[]) =>
  (
    await sql<{ n: number }>`SELECT count(*)::int AS n FROM webhook_deliveries
      WHERE endpoint_id IN (${sql.join(endpointIds)}) AND delivered_at IS NULL`.execute(h.deps.db)
  ).rows[0]!.n;
export const countEndpoints = async () =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM webhook_endpoints`.execute(h.deps.db)).rows[0]!.n;

/** Each delivery row of the endpoint was taken in exactly once, in the order the rows were created. */
export async function expectOnceInOrder(r: Awaited<ReturnType<typeof receiver>>, path: string, endpointId: string) {
  const rows = await deliveryRows(endpointId);
  expect(rows.length).toBeGreaterThan(0);
  expect(r.ofPath(path).map((a) => a.id)).toEqual(rows.map((row) => row.message_id));
  return rows;
}
