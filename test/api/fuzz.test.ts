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
// The fixture and the check of one request: helpers/fuzz-fixture.ts; the generators: helpers/fuzz-generators.ts.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE } from '../../testkit/api.js';
import { f, h, jsonReq, run, setUpFuzz, stats, textReq, totals, type Req } from './helpers/fuzz-fixture.js';
import {
  answerText,
  anyJson,
  anyToken,
  asJoinReq,
  candidateCredentialHeaders,
  carriesCandidatePhone,
  crossPairs,
  field,
  huge,
  inertTokens,
  joinBody,
  name,
  notString,
  oddJsonText,
  otherInterviewIds,
  otherSessionIds,
  path,
  rawSegments,
  roomCodes,
  segment,
  str,
  upperOrNot,
  uuid,
  withJunk,
  wrongQuestionIds,
} from './helpers/fuzz-generators.js';

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

beforeAll(setUpFuzz);
afterAll(() => h?.close());

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

/** POSTs of `body` to `p`, with and without the trailing slash. */
const runPost = (endpoint: 'start' | 'submit' | 'complete', p: string, body: fc.Arbitrary<unknown>) =>
  run(
    endpoint,
    fc.tuple(body, path(p)).map(([b, q]) => textReq(q, b)),
    RUNS[endpoint],
  );

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
    await runPost('start', START, body);
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
    await runPost('submit', SUBMIT, body);
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
    await runPost('complete', COMPLETE, body);
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
    console.log(`fuzz: ${totals.runs} requests (including any shrinking)`, JSON.stringify(summary));
    expect(totals.runs).toBeGreaterThanOrEqual(Object.values(RUNS).reduce((a, b) => a + b, 0));

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
    expect(share((s) => s === 400)).toBeGreaterThan(totals.runs * 0.2);
    expect(share((s) => s === 401 || s === 403)).toBeGreaterThan(totals.runs * 0.1);
    expect(share((s) => s >= 500)).toBe(0);
  });
});
