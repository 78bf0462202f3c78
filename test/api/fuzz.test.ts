// Property-based fuzzing of every public endpoint (and login) with fast-check, on real Postgres.
// For each random request: no 5xx, every error is the one documented envelope (whose code matches
// its status), and not one row of any business table changes. rate_limits is bookkeeping (every
// public call counts a hit there) and is left out of the comparison.
//
// "Nothing changed" only means something if no generated request is a valid one that may change
// state. The few that could (a join with the candidate's phone to an open room; start, a plain
// submit or complete with the live interview's own token and ids) are excluded by construction,
// never left to chance:
//  - join bodies for the open room never carry a phone that normalises to the candidate's number
//    (checked with the product's own normalizePhone, on every generated body: structured and raw);
//  - the tokens of the two interviews that could move (and every variant derived from them: one may
//    still verify) are only ever paired with ids that are not their own, or sent with an extra
//    unknown field (strict schemas reject it), or, for submit, with a question_id that is not the
//    current question (409 with current_question_id);
//  - the only real (token, id) pairs sent as-is belong to interviews that cannot move: not yet open,
//    expired, regenerated (old token) or completed.
// End requests never carry the organization's own HR token or a join session for the open room.
import fc from 'fast-check';
import { sql } from 'kysely';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../api/errors.js';
import { normalizePhone } from '../../api/lib/phone.js';
import { hrUser, json, PHONE, room, scheduledInterview, startHarness, type Harness } from '../../testkit/api.js';

const BUSINESS_TABLES = [
  'organizations',
  'users',
  'jobs',
  'candidates',
  'applications',
  'interviews',
  'interview_status_changes',
  'interview_questions',
  'transcript_turns',
  'evaluations',
  'text_sessions',
  'text_responses',
  'audit_log',
  'livekit_events',
] as const;

const ENVELOPE_EXTRAS = new Set(['retryAfter', 'opensAt', 'details', 'current_question_id']);
const DAY = 24 * 60 * 60 * 1000;

// Run counts per endpoint: about 5,000 requests in all.
const RUNS = {
  join: 700,
  joinOtherRooms: 300,
  roomInfo: 300,
  end: 400,
  start: 700,
  submit: 700,
  complete: 500,
  publicInterview: 300,
  audio: 300,
  login: 200,
  raw: 600,
};

let h: Harness;

interface LinkedInterview {
  id: string;
  token: string;
  sessionId: string;
}

const f = {} as {
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

type Stats = Map<number, number>;
const stats = new Map<string, Stats>();
let totalRuns = 0;

beforeAll(async () => {
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
});

afterAll(() => h?.close());

// ---------------------------------------------------------------------------------------------
// Checking one request

async function snapshot(): Promise<Record<string, string>> {
  const query = BUSINESS_TABLES.map(
    (t) => `SELECT '${t}' AS t, count(*)::int AS n, coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-') AS sum FROM ${t} x`,
  ).join(' UNION ALL ');
  const { rows } = await sql.raw<{ t: string; n: number; sum: string }>(query).execute(h.deps.db);
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n} rows, md5 ${r.sum}`]));
}

interface Req {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/** A JSON request; `undefined` sends no body at all. */
const jsonReq = (path: string, value: unknown, headers: Record<string, string> = {}): Req => {
  const body = JSON.stringify(value) as string | undefined;
  return body === undefined
    ? { method: 'POST', path, headers }
    : { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body };
};

function record(endpoint: string, status: number) {
  const s = stats.get(endpoint) ?? new Map<number, number>();
  s.set(status, (s.get(status) ?? 0) + 1);
  stats.set(endpoint, s);
  totalRuns += 1;
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
let lastSnapshot: Record<string, string> | undefined;

async function check(endpoint: string, req: Req) {
  const before = (lastSnapshot ??= await snapshot());
  const res = await h.request(req.path, { method: req.method, headers: req.headers, body: req.body });
  const text = await res.text();
  record(endpoint, res.status);
  expect(res.status, `${req.method} ${req.path.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 300) checkEnvelope(res.status, res.headers, text);
  else if (!req.path.includes('/public/audio/')) expect(typeof JSON.parse(text)).toBe('object');
  lastSnapshot = await snapshot();
  const changed = BUSINESS_TABLES.filter((t) => lastSnapshot![t] !== before[t]);
  expect(changed, `${req.method} ${req.path.slice(0, 200)} → ${res.status} changed rows`).toEqual([]);
}

const run = (endpoint: string, arb: fc.Arbitrary<Req>, numRuns: number) =>
  fc.assert(
    fc.asyncProperty(arb, (req) => check(endpoint, req)),
    { numRuns },
  );

// ---------------------------------------------------------------------------------------------
// Generators

/** Strings that have broken parsers before. */
const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\ufeff',
  '\u202e',
  '\r\n',
  '🙂'.repeat(40),
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '../../../etc/passwd',
  '%00',
  '%s%s%s%n',
  'null',
  'undefined',
  'NaN',
  'true',
  '-0',
  '1e309',
  '__proto__',
  'constructor',
  'toString',
  '0x10',
  '٠١٢٣٤٥٦٧٨٩',
  'Ａｈｍｅｄ',
);

/** Huge strings: some beyond the 256 KiB body limit, some inside it but beyond field limits. */
const huge = fc
  .tuple(fc.constantFrom('x', 'é', '😀', '\u0000', ' ', '9'), fc.integer({ min: 1_000, max: 300_000 }))
  .map(([c, n]) => c.repeat(Math.ceil(n / c.length)));

/** Short strings of control characters, lone surrogates and separators, mixed with plain ones. */
const controlish = fc.string({
  unit: fc.constantFrom('\u0000', '\u0001', '\u001f', '\u007f', '\ud800', '\udc00', '\u2028', '\ufffe', 'a', '0', ' ', '@', '.'),
  minLength: 1,
  maxLength: 20,
});

const str = fc.oneof(
  { weight: 4, arbitrary: fc.string() },
  { weight: 2, arbitrary: controlish },
  { weight: 3, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii' }) },
  { weight: 3, arbitrary: nasty },
  { weight: 1, arbitrary: huge },
);

const anyJson = fc.anything({
  maxDepth: 4,
  stringUnit: 'binary',
  withBoxedValues: true,
  withDate: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
});

/** Anything but a string: numbers, booleans, null, arrays, objects where strings are expected. */
const notString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
);

/** A field value: a plausible one given, or anything at all. */
const field = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary: good }, { weight: 2, arbitrary: str }, { weight: 1, arbitrary: notString });

/** Keys no schema knows, prototype pollution ones included (as own keys of a parsed body). */
const junkKeys = fc.dictionary(
  fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', 'status', 'score', 'role'), fc.string({ minLength: 1 })),
  anyJson,
  { minKeys: 1, maxKeys: 3 },
);

/**
 * JSON text of `base` plus at least one unknown key. Written as text: an object literal with a
 * "__proto__" key would set the prototype instead of adding a key.
 */
const withJunk = (base: Record<string, unknown>) =>
  junkKeys
    // At least one key the body does not have: a junk key equal to a real one would be overridden
    // by it (JSON.parse keeps the last), leaving a valid body.
    .filter((junk) => Object.keys(junk).some((k) => !Object.hasOwn(base, k)))
    .chain((junk) =>
      fc.constantFrom(
        `{${[...Object.entries(junk), ...Object.entries(base)].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`,
        `{"__proto__":{"isAdmin":true,"status":"COMPLETED"},${JSON.stringify(base).slice(1)}`,
        `{"constructor":{"prototype":{"polluted":1}},${JSON.stringify(base).slice(1)}`,
      ),
    )
    .filter((text) => text !== '{}');

/** Raw text bodies that are JSON in shape only: deep nesting, duplicates, oddities. */
const oddJsonText = fc.oneof(
  fc.integer({ min: 1, max: 50_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 40_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.constantFrom(
    '',
    ' ',
    'null',
    'true',
    '0',
    '"string"',
    '[]',
    '{}',
    '{',
    '{"a":1,}',
    '{"a":1}{"b":2}',
    "{'a':1}",
    '{"a":NaN}',
    '{"a":1e999999}',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '\ufeff{}',
    '{"__proto__":null}',
    '{"__proto__":{"__proto__":{"x":1}}}',
  ),
  fc.json(),
);

const uuid = fc.uuid();
const upperOrNot = (id: string) => fc.constantFrom(id, id.toUpperCase());
const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** Replaces one character of `t` with 1–3 random ones. */
const mutated = (t: string) =>
  fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 3, unit: 'binary-ascii' })).map(([i, s]) => {
    const k = i % t.length;
    return t.slice(0, k) + s + t.slice(k + 1);
  });

/** A token's parts moved around: payload alone, signature alone, extra dots, base64 not base64url. */
const rearranged = (t: string) => {
  const [p, s] = t.split('.') as [string, string];
  return fc.constantFrom(
    p,
    s,
    `${p}.`,
    `.${s}`,
    `${p}.${s}.`,
    `${p}..${s}`,
    `${s}.${p}`,
    `${p}.${s}`.replace(/-/g, '+'),
    t.slice(0, -1),
    `${t}=`,
  );
};

/** Payload for a real interview (or a random one), signed with garbage. */
const forged = fc
  .tuple(
    fc.oneof(fc.constantFrom('live', 'fresh', 'future', 'expired', 'done'), uuid),
    fc.integer({ min: -1, max: 5 }),
    fc.integer({ min: -1, max: 2 ** 53 }),
    fc.uint8Array({ minLength: 0, maxLength: 40 }),
  )
  .map(([which, v, exp, sig]) => {
    const iid = which in f ? (f[which as 'live'] as LinkedInterview).id : which;
    return `${b64url(JSON.stringify({ iid, v, nbf: 0, exp }))}.${Buffer.from(sig).toString('base64url')}`;
  });

/**
 * Tokens of the interviews a valid request would move, and anything derived from them (a variant
 * may still verify, e.g. one with no '-' to replace): only ever sent with ids not their own.
 */
const movableTokens = () =>
  fc.oneof(
    fc.constantFrom(f.live.token, f.fresh.token),
    mutated(f.live.token),
    mutated(f.fresh.token),
    rearranged(f.live.token),
    rearranged(f.fresh.token),
  );

/** Tokens that open nothing that can move: not yet valid, expired, replaced, completed, junk. */
const inertTokens = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(f.future.token, f.expired.token, f.regenerated.token, f.done.token) },
    { weight: 2, arbitrary: mutated(f.future.token) },
    { weight: 2, arbitrary: rearranged(f.future.token) },
    { weight: 2, arbitrary: forged },
    { weight: 2, arbitrary: str },
  );

const anyToken = () => fc.oneof(movableTokens(), inertTokens());

/** Interview ids that are not the live or the fresh interview's. */
const otherInterviewIds = () =>
  fc.oneof(
    uuid,
    fc.constantFrom(f.future.id, f.expired.id, f.regenerated.id, f.done.id, f.openRoom.id).chain(upperOrNot),
    fc.constantFrom(f.live.sessionId, f.live.currentQuestionId, f.done.sessionId),
  );

/** Text-session ids that are not the live interview's. */
const otherSessionIds = () =>
  fc.oneof(
    uuid,
    fc
      .constantFrom(f.fresh.sessionId, f.future.sessionId, f.expired.sessionId, f.regenerated.sessionId, f.done.sessionId)
      .chain(upperOrNot),
    fc.constantFrom(f.live.id, f.live.currentQuestionId),
  );

/** Question ids that are not the live interview's current question. */
const wrongQuestionIds = () =>
  fc.oneof(
    uuid.filter((id) => id !== f.live.currentQuestionId),
    fc.constantFrom(...f.live.questionIds.slice(1), ...f.done.questionIds),
  );

/** A token that opens its interview (live, fresh, completed) with a session that is not the live one. */
const crossPairs = () =>
  fc.record({
    session_id: fc.oneof(uuid, fc.constantFrom(f.fresh.sessionId, f.future.sessionId, f.expired.sessionId, f.done.sessionId)),
    link_token: fc.constantFrom(f.live.token, f.fresh.token, f.done.token),
  });

const answerText = fc.oneof(
  { weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.trim().length > 0) },
  { weight: 2, arbitrary: str },
  { weight: 1, arbitrary: notString },
);

const path = (p: string) => fc.constantFrom(p, `${p}/`);

// ---------------------------------------------------------------------------------------------
// Path segments

/** Any string as one encoded path segment (lone surrogates replaced, they cannot be encoded). */
const segment = (s: string) =>
  encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

const rawSegments = fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '..', '%2e%2e', 'a%2Fb', '%252F', ';', ',', '~', "'");

const roomCodes = () =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(f.openRoom.code, f.endedRoom.code, f.futureRoom.code).chain((c) => fc.constantFrom(c, c.toLowerCase())),
    },
    { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{8}$/) },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{0,12}$/).map(segment) },
    { weight: 2, arbitrary: str.filter((s) => s.length > 0 && s.length < 2000).map(segment) },
    { weight: 1, arbitrary: rawSegments },
  );

// ---------------------------------------------------------------------------------------------
// Seed 000: join, room info, end

/** True when a body (as sent) would be a join with the candidate's own phone. */
function carriesCandidatePhone(body: string | Uint8Array | undefined): boolean {
  if (body === undefined) return false;
  try {
    // Decoded as the API decodes it: UTF-8, a leading byte order mark dropped.
    const text = new TextDecoder().decode(typeof body === 'string' ? new TextEncoder().encode(body) : body);
    const phone = (JSON.parse(text) as { phoneNumber?: unknown } | null)?.phoneNumber;
    return typeof phone === 'string' && normalizePhone(phone.trim(), h.config.defaultPhoneRegion) === PHONE;
  } catch {
    return false;
  }
}

const name = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('Ahmed', 'Hassan', 'Nour', "O'Brien", 'Jean-Luc', 'محمد', '李') },
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 100 }) },
  { weight: 2, arbitrary: str },
  { weight: 1, arbitrary: notString },
);

/** Phones, valid and not, none of them the candidate's. */
const phone = fc
  .oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom('+14155552671', '+442079460018', '0501234567', '+971501111111', '050 765 4321', '00971561234567'),
    },
    { weight: 3, arbitrary: fc.stringMatching(/^\+?[0-9 ()\-.]{3,34}$/) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('0509876543abc', '📞0509876543', '0509876543 ext 1', 'tel:+971509876543', '+971509876543'.padEnd(33, ' ')),
    },
    { weight: 2, arbitrary: str },
    { weight: 1, arbitrary: notString },
  )
  .filter((p) => typeof p !== 'string' || normalizePhone(p.trim(), h.config.defaultPhoneRegion) !== PHONE);

const joinBody = fc.oneof(
  { weight: 6, arbitrary: fc.record({ phoneNumber: phone, firstName: name, lastName: name }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: fc.record({ phoneNumber: phone, firstName: name, lastName: name }).chain((b) => withJunk(b)) },
  { weight: 2, arbitrary: anyJson },
);

const asJoinReq = (code: string, body: unknown): Req =>
  typeof body === 'string' && body.startsWith('{')
    ? { method: 'POST', path: `/api/public/interview/join/${code}`, headers: { 'content-type': 'application/json' }, body }
    : jsonReq(`/api/public/interview/join/${code}`, body);

const candidateCredentialHeaders = (): fc.Arbitrary<Record<string, string>> =>
  fc.oneof(
    fc.constant({}),
    str.filter((s) => /^[\x21-\x7e]*$/.test(s) && s.length < 4000).map((s) => ({ authorization: `Bearer ${s}` })),
    fc.constantFrom<Record<string, string>>(
      { authorization: `Bearer ${f.tokens.otherOrgHr}` },
      { cookie: `hr_session=${f.tokens.otherOrgHr}` },
      { authorization: `Bearer ${f.tokens.livekitWrongSecret}` },
      { authorization: `Bearer ${f.tokens.livekitForEndedRoom}` },
      { cookie: `candidate_session=${f.tokens.livekitForEndedRoom}` },
      { cookie: `candidate_session=${f.tokens.livekitForEndedRoom}`, origin: 'https://evil.example' },
      { cookie: 'candidate_session=eyJhbGciOiJub25lIn0.eyJ0eXAiOiJjYW5kaWRhdGUifQ.' },
      { cookie: `candidate_session=${f.tokens.otherOrgHr}` },
      { authorization: 'Bearer' },
      { authorization: 'Basic YWRtaW46YWRtaW4=' },
      { cookie: '; ; =;' },
    ),
  );

describe('seed 000 public endpoints', () => {
  it(`POST /join/{code} on the open room: ${RUNS.join} bodies, never the candidate's phone`, async () => {
    const arb = joinBody.map((b) => asJoinReq(f.openRoom.code, b)).filter((r) => !carriesCandidatePhone(r.body));
    await run('join', arb, RUNS.join);
  }, 120_000);

  it(`POST /join/{code} on random codes and rooms that cannot be joined: ${RUNS.joinOtherRooms}`, async () => {
    // Ended and not-yet-open rooms may get the candidate's real phone: they admit nobody.
    const closedRoom = fc
      .tuple(fc.constantFrom(f.endedRoom.code, f.futureRoom.code), fc.constantFrom(PHONE, '0509876543'), name, name)
      .map(([code, phoneNumber, firstName, lastName]) => asJoinReq(code, { phoneNumber, firstName, lastName }));
    const randomCode = fc
      .tuple(roomCodes(), joinBody)
      .filter(([code]) => code.toUpperCase() !== f.openRoom.code)
      .map(([code, b]) => asJoinReq(code, b))
      .filter((r) => !carriesCandidatePhone(r.body));
    await run('join', fc.oneof(closedRoom, randomCode), RUNS.joinOtherRooms);
  }, 120_000);

  it(`GET /room/{code}: ${RUNS.roomInfo} codes and query strings`, async () => {
    const arb = fc
      .tuple(roomCodes(), fc.option(fc.string().map(segment), { nil: undefined }), fc.boolean())
      .map(([code, q, slash]): Req => ({
        method: 'GET',
        path: `/api/public/interview/room/${code}${slash ? '/' : ''}${q === undefined ? '' : `?${q}=${q}`}`,
      }));
    await run('roomInfo', arb, RUNS.roomInfo);
  }, 120_000);

  it(`POST /room/{code}/end: ${RUNS.end} codes, credentials and bodies, never a valid end of the open room`, async () => {
    const random = fc
      .tuple(roomCodes(), candidateCredentialHeaders(), fc.option(anyJson, { nil: undefined }))
      .map(([code, headers, body]) => jsonReq(`/api/public/interview/room/${code}/end`, body, headers));
    // The ended room's own candidate session or join token: a valid end of an ended interview, which
    // answers 200 and changes nothing (the transition is guarded). From another site: 403.
    const endedRoomCredentials = fc
      .tuple(
        fc.constantFrom<Record<string, string>>(
          { authorization: `Bearer ${f.tokens.livekitForEndedRoom}` },
          { cookie: `candidate_session=${f.tokens.livekitForEndedRoom}` },
          { cookie: `candidate_session=${f.tokens.livekitForEndedRoom}`, origin: 'https://evil.example' },
          { cookie: `candidate_session=${f.tokens.livekitForEndedRoom}`, origin: 'null' },
        ),
        fc.constantFrom(f.endedRoom.code, f.endedRoom.code.toLowerCase(), f.openRoom.code, f.futureRoom.code),
      )
      .map(([headers, code]) => jsonReq(`/api/public/interview/room/${code}/end`, undefined, headers));
    await run('end', fc.oneof({ weight: 4, arbitrary: random }, { weight: 1, arbitrary: endedRoomCredentials }), RUNS.end);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// Seed 002: the text-mode interview

const START = '/api/ai-interview/public/start';
const SUBMIT = '/api/ai-interview/public/submit-response';
const COMPLETE = '/api/ai-interview/public/complete';

const textReq = (p: string, body: unknown): Req =>
  typeof body === 'string' && body.startsWith('{')
    ? { method: 'POST', path: p, headers: { 'content-type': 'application/json' }, body }
    : jsonReq(p, body);

describe('seed 002 public endpoints', () => {
  it(`POST ${START}/: ${RUNS.start} bodies, never a valid start of an interview that could move`, async () => {
    const body = fc.oneof(
      // Any token, with an id that is not the live or the fresh interview's.
      {
        weight: 5,
        arbitrary: fc.record({ interview_id: field(otherInterviewIds()), link_token: field(anyToken()) }, { requiredKeys: [] }),
      },
      // The live and fresh ids with a token that is not theirs.
      {
        weight: 2,
        arbitrary: fc.record({ interview_id: fc.constantFrom(f.live.id, f.fresh.id).chain(upperOrNot), link_token: field(inertTokens()) }),
      },
      // Real pairs of interviews that cannot move: 403 not yet open, 410 expired or completed, 401 replaced.
      {
        weight: 3,
        arbitrary: fc.constantFrom(f.future, f.expired, f.regenerated, f.done).map((l) => ({ interview_id: l.id, link_token: l.token })),
      },
      // The live and fresh interviews' own pairs, always with an unknown field.
      { weight: 2, arbitrary: fc.constantFrom(f.live, f.fresh).chain((l) => withJunk({ interview_id: l.id, link_token: l.token })) },
      { weight: 1, arbitrary: anyJson },
    );
    await run(
      'start',
      fc.tuple(body, path(START)).map(([b, p]) => textReq(p, b)),
      RUNS.start,
    );
  }, 120_000);

  it(`POST ${SUBMIT}/: ${RUNS.submit} bodies, never a valid answer to the live interview`, async () => {
    const liveButWrongQuestion = fc.record({
      session_id: fc.constant(f.live.sessionId),
      link_token: fc.constant(f.live.token),
      response_text: answerText,
      question_id: field(wrongQuestionIds()),
    });
    const body = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record(
          { session_id: field(otherSessionIds()), link_token: field(anyToken()), response_text: answerText, question_id: field(uuid) },
          { requiredKeys: ['session_id', 'link_token'] },
        ),
      },
      // Real pairs of sessions that cannot take an answer: not started, completed, out of window, replaced.
      {
        weight: 3,
        arbitrary: fc
          .tuple(fc.constantFrom(f.fresh, f.future, f.expired, f.regenerated, f.done), answerText)
          .map(([l, response_text]) => ({ session_id: l.sessionId, link_token: l.token, response_text })),
      },
      // The live session with a question that is not the current one: 409 with current_question_id.
      { weight: 3, arbitrary: liveButWrongQuestion },
      // Tokens that open their interview, with another interview's session: 404.
      { weight: 1, arbitrary: fc.tuple(crossPairs(), answerText).map(([pair, response_text]) => ({ ...pair, response_text })) },
      // The live session with another interview's token.
      {
        weight: 1,
        arbitrary: fc.record({ session_id: fc.constant(f.live.sessionId), link_token: field(inertTokens()), response_text: answerText }),
      },
      {
        weight: 1,
        arbitrary: fc
          .record({ response_text: fc.string({ minLength: 1 }) })
          .chain((b) => withJunk({ session_id: f.live.sessionId, link_token: f.live.token, ...b })),
      },
      { weight: 1, arbitrary: anyJson },
    );
    await run(
      'submit',
      fc.tuple(body, path(SUBMIT)).map(([b, p]) => textReq(p, b)),
      RUNS.submit,
    );
  }, 120_000);

  it(`POST ${COMPLETE}/: ${RUNS.complete} bodies, never a valid completion of the live interview`, async () => {
    const body = fc.oneof(
      { weight: 4, arbitrary: fc.record({ session_id: field(otherSessionIds()), link_token: field(anyToken()) }, { requiredKeys: [] }) },
      // Completed (200, the stored result, read-only), not started (409), out of window, replaced.
      {
        weight: 3,
        arbitrary: fc
          .constantFrom(f.fresh, f.future, f.expired, f.regenerated, f.done)
          .map((l) => ({ session_id: l.sessionId, link_token: l.token })),
      },
      { weight: 2, arbitrary: fc.record({ session_id: fc.constant(f.live.sessionId), link_token: field(inertTokens()) }) },
      { weight: 1, arbitrary: crossPairs() },
      { weight: 1, arbitrary: withJunk({ session_id: f.live.sessionId, link_token: f.live.token }) },
      { weight: 1, arbitrary: anyJson },
    );
    await run(
      'complete',
      fc.tuple(body, path(COMPLETE)).map(([b, p]) => textReq(p, b)),
      RUNS.complete,
    );
  }, 120_000);

  it(`GET /api/interviews/public/{token}/: ${RUNS.publicInterview} tokens (read-only, real ones included)`, async () => {
    const arb = fc
      .tuple(
        fc.oneof(
          {
            weight: 2,
            arbitrary: fc.constantFrom(f.live.token, f.fresh.token, f.future.token, f.expired.token, f.regenerated.token, f.done.token),
          },
          { weight: 3, arbitrary: anyToken() },
          { weight: 1, arbitrary: rawSegments },
        ),
        fc.boolean(),
      )
      .filter(([t]) => typeof t === 'string' && t.length > 0 && t.length < 4000)
      .map(([t, slash]): Req => ({
        method: 'GET',
        path: `/api/interviews/public/${/^%|^\.\.|^[;,~']$/.test(t as string) ? t : segment(t as string)}${slash ? '/' : ''}`,
      }));
    await run('publicInterview', arb, RUNS.publicInterview);
  }, 120_000);

  it(`GET /api/ai-interview/public/audio/{id}: ${RUNS.audio} ids and signatures, never a matching pair`, async () => {
    const id = fc.oneof(
      fc.constantFrom(...f.done.questionIds, ...f.live.questionIds).chain(upperOrNot),
      uuid,
      str.filter((s) => s.length > 0 && s.length < 2000).map(segment),
      rawSegments,
    );
    const sig = fc.option(
      fc.oneof(
        fc.constantFrom(...f.done.audio.map((a) => a.sig)),
        fc.string({ minLength: 22, maxLength: 22 }),
        str.filter((s) => s.length < 2000),
      ),
      { nil: undefined },
    );
    const arb = fc
      .tuple(id, sig)
      // A real question with its own signature would synthesise speech: a valid request, left out.
      .filter(([i, s]) => !f.done.audio.some((a) => a.id === i.toLowerCase() && a.sig === s))
      .map(([i, s]): Req => ({
        method: 'GET',
        path: `/api/ai-interview/public/audio/${i}${s === undefined ? '' : `?sig=${segment(s)}`}`,
      }));
    await run('audio', arb, RUNS.audio);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// Login, and raw bodies with random content types everywhere

describe('login and raw bodies', () => {
  it(`POST /api/auth/login/: ${RUNS.login} bodies (a login writes nothing; the real password is never sent)`, async () => {
    const email = fc.oneof(
      fc.constantFrom(f.hrEmail, f.hrEmail.toUpperCase(), ` ${f.hrEmail} `, 'admin@example.com'),
      fc.emailAddress(),
      fc.emailAddress().chain((e) => fc.nat({ max: e.length }).map((i) => `${e.slice(0, i)}\u0000${e.slice(i)}`)),
      str,
      notString,
    );
    const password = fc.oneof(fc.string({ maxLength: 64 }), str, notString).filter((p) => p !== 'correct horse battery staple');
    const body = fc.oneof(
      { weight: 5, arbitrary: fc.record({ email, password }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: fc.record({ email, password }).chain((b) => withJunk(b)) },
      { weight: 1, arbitrary: anyJson },
    );
    await run(
      'login',
      body.map((b) => textReq('/api/auth/login/', b)),
      RUNS.login,
    );
  }, 120_000);

  it(`random raw bodies and content types on every POST endpoint: ${RUNS.raw}`, async () => {
    const endpoints = [
      () => `/api/public/interview/join/${f.openRoom.code}`,
      () => `/api/public/interview/join/${f.futureRoom.code}`,
      () => `/api/public/interview/room/${f.openRoom.code}/end`,
      () => `${START}/`,
      () => `${SUBMIT}/`,
      () => `${COMPLETE}/`,
      () => '/api/auth/login/',
      // Unsigned: LiveKit's webhook answers 401 and records nothing.
      () => '/api/livekit/webhook',
      // HR-only (PUT / GET), sent here without a session: a 401 whatever the body or method.
      () => '/api/candidates/00000000-0000-4000-8000-000000000000/demographics',
      () => '/api/reports/outcomes',
      () => '/api/reports/outcomes.csv',
    ];
    const contentType = fc.option(
      fc.oneof(
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'APPLICATION/JSON',
          'application/vnd.api+json',
          'application/jsonx',
          'application/x-json',
          'text/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=xyz',
          'application/octet-stream',
          'application/xml',
          '*/*',
          'json',
        ),
        fc.string({ maxLength: 60 }).map((s) => s.trim()),
      ),
      { nil: undefined },
    );
    const body = fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 500 }) },
      { weight: 3, arbitrary: fc.uint8Array({ maxLength: 500 }).map((a) => new Uint8Array(a)) },
      { weight: 3, arbitrary: oddJsonText },
      { weight: 1, arbitrary: fc.constantFrom('phoneNumber=%2B971509876543&firstName=A&lastName=B', 'a=1&b=2', '--xyz\r\n\r\n--xyz--') },
      { weight: 2, arbitrary: huge },
    );
    const arb = fc
      .tuple(fc.constantFrom(...endpoints), contentType, body)
      .map(([endpoint, type, b]): Req => ({
        method: 'POST',
        path: endpoint(),
        headers: type === undefined ? {} : { 'content-type': type },
        body: b,
      }))
      .filter((r) => !carriesCandidatePhone(r.body));
    await run('raw', arb, RUNS.raw);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// The generators reached past routing: every endpoint answered with more than 404s.

describe('coverage of the fuzzing', () => {
  const count = (endpoint: string, status: number) => stats.get(endpoint)?.get(status) ?? 0;
  const total = (endpoint: string) => [...(stats.get(endpoint)?.values() ?? [])].reduce((a, b) => a + b, 0);

  it('ran every request it planned and reached validation, authentication and state checks', () => {
    const summary = Object.fromEntries([...stats].map(([e, s]) => [e, Object.fromEntries([...s].sort(([a], [b]) => a - b))]));
    console.log(`fuzz: ${totalRuns} requests (including any shrinking)`, JSON.stringify(summary));
    expect(totalRuns).toBeGreaterThanOrEqual(Object.values(RUNS).reduce((a, b) => a + b, 0));

    const expectStatuses = (endpoint: string, statuses: number[]) => {
      for (const s of statuses) expect(count(endpoint, s), `${endpoint} never answered ${s}`).toBeGreaterThan(0);
      expect(count(endpoint, 404), `${endpoint}: mostly 404s`).toBeLessThan(total(endpoint) * 0.9);
    };
    // 400 invalid body, 403 phone mismatch / not open, 410 ended room, 413 too large.
    expectStatuses('join', [400, 403, 404, 410]);
    expectStatuses('roomInfo', [200, 404]);
    // 401 no or foreign credentials, 403 cross-site cookie, 200 ending an already ended room (no-op).
    expectStatuses('end', [200, 401, 403, 404]);
    // 400 invalid, 401 bad token, 403 not yet open (with opensAt), 410 expired or completed.
    expectStatuses('start', [400, 401, 403, 410]);
    // 404 session of another interview, 409 not started or not the current question, 410 completed.
    expectStatuses('submit', [400, 401, 403, 404, 409, 410]);
    // 200 stored result of the completed interview, 409 not started.
    expectStatuses('complete', [200, 400, 401, 403, 404, 409, 410]);
    expectStatuses('publicInterview', [200, 401, 403, 410]);
    // No valid (question, signature) pair is sent, and anything else is an unknown resource.
    expect(count('audio', 404)).toBe(total('audio'));
    expectStatuses('login', [400, 401]);
    expectStatuses('raw', [400, 401, 413, 415]);

    const all = [...stats.values()].flatMap((s) => [...s]);
    const share = (pred: (status: number) => boolean) => all.filter(([s]) => pred(s)).reduce((a, [, n]) => a + n, 0);
    expect(share((s) => s >= 200 && s < 300)).toBeGreaterThan(0);
    expect(share((s) => s === 413)).toBeGreaterThan(0);
    expect(share((s) => s === 400)).toBeGreaterThan(totalRuns * 0.2);
    expect(share((s) => s === 401 || s === 403)).toBeGreaterThan(totalRuns * 0.1);
    expect(share((s) => s >= 500)).toBe(0);
  });
});
