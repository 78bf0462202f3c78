// The fuzzing file's fixture (one of each state a request could move, built through the API) and the
// check of one request: no 5xx, the documented envelope, and not one business row changed.
import fc from 'fast-check';
import { AccessToken } from 'livekit-server-sdk';
import { expect } from 'vitest';
import { ERROR_STATUS } from '../../../api/errors.js';
import { hrUser, json, room, scheduledInterview, startHarness, type Harness } from '../../../testkit/api.js';
import { BUSINESS_TABLES, tableSnapshot } from './tables.js';

const ENVELOPE_EXTRAS = new Set(['retryAfter', 'opensAt', 'details', 'current_question_id']);
const DAY = 24 * 60 * 60 * 1000;

/** The harness of the fuzzing file, set by setUpFuzz. */
export let h: Harness;

export interface LinkedInterview {
  id: string;
  token: string;
  sessionId: string;
}

/** The fixture: rooms, interviews in every state, and credentials that must open nothing. */
export const f = {} as {
  hrEmail: string;
  openRoom: { code: string; roomName: string; id: string };
  endedRoom: { code: string; roomName: string; id: string };
  futureRoom: { code: string; roomName: string; id: string };
  /** Started, on its first question: the one interview a valid submit/complete would move. */
  live: LinkedInterview & { questionIds: string[]; currentQuestionId: string };
  /** Link generated, not started: a valid start would move it. */
  fresh: LinkedInterview;
  future: LinkedInterview;
  expired: LinkedInterview;
  regenerated: LinkedInterview;
  done: LinkedInterview & { questionIds: string[]; audio: { id: string; sig: string }[] };
  tokens: {
    otherOrgHr: string;
    livekitForEndedRoom: string;
    livekitWrongSecret: string;
  };
};

/** Statuses each endpoint answered, for the coverage check. */
export const stats = new Map<string, Map<number, number>>();
export const totals = { runs: 0 };

export async function setUpFuzz() {
  h = await startHarness({ RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_KEY: '1000000' });
  const hr = await hrUser(h);
  const other = await hrUser(h);
  f.hrEmail = hr.email;

  const mkRoom = async (body: Record<string, unknown> = {}) => {
    const r = await room(h, hr.auth, body);
    return { code: r.roomCode, roomName: r.roomName, id: r.sessionId };
  };
  f.openRoom = await mkRoom();
  f.endedRoom = await mkRoom();
  const ended = await h.request(`/api/interviews/${f.endedRoom.id}/end`, { method: 'POST', headers: hr.auth });
  expect(ended.status).toBe(200);
  f.futureRoom = await mkRoom({ scheduledAt: new Date(h.clock.now + 3 * DAY).toISOString() });

  const link = async (scheduledAt: number): Promise<LinkedInterview> => {
    const iv = await scheduledInterview(h, hr.auth, { scheduledAt: new Date(scheduledAt).toISOString() });
    const res = await h.request(`/api/ai-interview/generate-link/${iv.id}/`, { method: 'POST', headers: hr.auth });
    expect(res.status).toBe(200);
    const body = await json<{ link_token: string; ai_session_id: string }>(res);
    return { id: iv.id, token: body.link_token, sessionId: body.ai_session_id };
  };
  const start = async (l: LinkedInterview) => {
    const res = await h.request('/api/ai-interview/public/start/', {
      method: 'POST',
      json: { interview_id: l.id, link_token: l.token },
    });
    expect(res.status).toBe(200);
    return json<{ questions: { id: string; audio_url: string }[] }>(res);
  };

  const live = await link(h.clock.now);
  const liveQuestions = (await start(live)).questions;
  f.live = { ...live, questionIds: liveQuestions.map((q) => q.id), currentQuestionId: liveQuestions[0]!.id };
  f.fresh = await link(h.clock.now);
  f.future = await link(h.clock.now + 2 * DAY);
  f.expired = await link(h.clock.now - 3 * DAY);
  f.regenerated = await link(h.clock.now);
  const regen = await h.request(`/api/ai-interview/regenerate-link/${f.regenerated.id}/`, { method: 'POST', headers: hr.auth });
  expect(regen.status).toBe(200);

  const done = await link(h.clock.now);
  const doneQuestions = (await start(done)).questions;
  for (const q of doneQuestions) {
    const res = await h.request('/api/ai-interview/public/submit-response/', {
      method: 'POST',
      json: { session_id: done.sessionId, link_token: done.token, response_text: `An answer to ${q.id}`, question_id: q.id },
    });
    expect(res.status).toBe(200);
  }
  const completed = await h.request('/api/ai-interview/public/complete/', {
    method: 'POST',
    json: { session_id: done.sessionId, link_token: done.token },
  });
  expect(completed.status).toBe(200);
  f.done = {
    ...done,
    questionIds: doneQuestions.map((q) => q.id),
    audio: doneQuestions.map((q) => ({ id: q.id, sig: new URL(q.audio_url, 'http://x').searchParams.get('sig')! })),
  };

  // Credentials that are real but must not end the open room.
  const livekitToken = (secret: string, roomName: string) => {
    const t = new AccessToken(h.config.livekit.apiKey, secret, { identity: 'candidate_971509876543', ttl: 600 });
    t.addGrant({ roomJoin: true, room: roomName });
    return t.toJwt();
  };
  f.tokens = {
    otherOrgHr: other.access,
    livekitForEndedRoom: await livekitToken(h.config.livekit.apiSecret, f.endedRoom.roomName),
    livekitWrongSecret: await livekitToken('not-the-livekit-secret-0123456789abcdef', f.openRoom.roomName),
  };
}

// Checking one request

export interface Req {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/** A JSON request; `undefined` sends no body at all. */
export const jsonReq = (path: string, value: unknown, headers: Record<string, string> = {}): Req => {
  const body = JSON.stringify(value) as string | undefined;
  return body === undefined
    ? { method: 'POST', path, headers }
    : { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body };
};

function record(endpoint: string, status: number) {
  const s = stats.get(endpoint) ?? new Map<number, number>();
  s.set(status, (s.get(status) ?? 0) + 1);
  stats.set(endpoint, s);
  totals.runs += 1;
}

function checkEnvelope(status: number, headers: Headers, text: string) {
  expect(headers.get('content-type') ?? '').toMatch(/^application\/json/);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(typeof body).toBe('object');
  expect(typeof body.error).toBe('string');
  expect((body.error as string).length).toBeGreaterThan(0);
  expect(typeof body.code).toBe('string');
  expect(typeof body.requestId).toBe('string');
  expect(body.requestId).toBe(headers.get('x-request-id'));
  // The code is one of the vocabulary, and it is the one for this status.
  expect(ERROR_STATUS[body.code as keyof typeof ERROR_STATUS]).toBe(status);
  const extras = Object.keys(body).filter((k) => !['error', 'code', 'requestId'].includes(k));
  for (const k of extras) expect(ENVELOPE_EXTRAS.has(k), `unexpected envelope key ${k}`).toBe(true);
  if ('retryAfter' in body) expect(typeof body.retryAfter).toBe('number');
  if ('opensAt' in body) expect(Number.isNaN(Date.parse(body.opensAt as string))).toBe(false);
  if ('details' in body) {
    expect(Array.isArray(body.details)).toBe(true);
    for (const d of body.details as unknown[]) expect(typeof d).toBe('string');
  }
  if ('current_question_id' in body) expect(body.current_question_id).toBe(f.live.currentQuestionId);
  // Internals never leak.
  expect(text).not.toMatch(/at .+\.(ts|js):\d+|ECONNREFUSED|duplicate key|syntax error at|violates/);
}

/** The business tables as the previous request left them (nothing else writes to them meanwhile). */
let lastSnapshot: Awaited<ReturnType<typeof tableSnapshot>> | undefined;

async function check(endpoint: string, req: Req) {
  const before = (lastSnapshot ??= await tableSnapshot(h.deps.db));
  const res = await h.request(req.path, { method: req.method, headers: req.headers, body: req.body });
  const text = await res.text();
  record(endpoint, res.status);
  expect(res.status, `${req.method} ${req.path.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 300) checkEnvelope(res.status, res.headers, text);
  else if (!req.path.includes('/public/audio/')) expect(typeof JSON.parse(text)).toBe('object');
  lastSnapshot = await tableSnapshot(h.deps.db);
  const changed = BUSINESS_TABLES.filter((t) => lastSnapshot![t]!.rows !== before[t]!.rows || lastSnapshot![t]!.md5 !== before[t]!.md5);
  expect(changed, `${req.method} ${req.path.slice(0, 200)} → ${res.status} changed rows`).toEqual([]);
}

export const run = (endpoint: string, arb: fc.Arbitrary<Req>, numRuns: number) =>
  fc.assert(
    fc.asyncProperty(arb, (req) => check(endpoint, req)),
    { numRuns },
  );

// ---------------------------------------------------------------------------------------------
// Generators

/** A POST of `body`: JSON text sent as written (it may carry keys an object cannot), anything else as JSON. */
export const textReq = (p: string, body: unknown): Req =>
  typeof body === 'string' && body.startsWith('{')
    ? { method: 'POST', path: p, headers: { 'content-type': 'application/json' }, body }
    : jsonReq(p, body);
