// Generators of the fuzzing file: hostile strings and JSON, tokens derived from the fixture's real
// ones, ids that are never the live interview's own. Those that read the fixture are functions:
// it exists only once setUpFuzz has run.
import fc from 'fast-check';
import { normalizePhone } from '../../../api/lib/phone.js';
import { PHONE } from '../../../testkit/api.js';
import { f, h, textReq, type LinkedInterview, type Req } from './fuzz-fixture.js';

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
export const huge = fc
  .tuple(fc.constantFrom('x', 'é', '😀', '\u0000', ' ', '9'), fc.integer({ min: 1_000, max: 300_000 }))
  .map(([c, n]) => c.repeat(Math.ceil(n / c.length)));

/** Short strings of control characters, lone surrogates and separators, mixed with plain ones. */
const controlish = fc.string({
  unit: fc.constantFrom('\u0000', '\u0001', '\u001f', '\u007f', '\ud800', '\udc00', '\u2028', '\ufffe', 'a', '0', ' ', '@', '.'),
  minLength: 1,
  maxLength: 20,
});

export const str = fc.oneof(
  { weight: 4, arbitrary: fc.string() },
  { weight: 2, arbitrary: controlish },
  { weight: 3, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii' }) },
  { weight: 3, arbitrary: nasty },
  { weight: 1, arbitrary: huge },
);

export const anyJson = fc.anything({
  maxDepth: 4,
  stringUnit: 'binary',
  withBoxedValues: true,
  withDate: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
});

/** Anything but a string: numbers, booleans, null, arrays, objects where strings are expected. */
export const notString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
);

/** A field value: a plausible one given, or anything at all. */
export const field = <T>(good: fc.Arbitrary<T>) =>
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
export const withJunk = (base: Record<string, unknown>) =>
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
export const oddJsonText = fc.oneof(
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

export const uuid = fc.uuid();
export const upperOrNot = (id: string) => fc.constantFrom(id, id.toUpperCase());
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
export const inertTokens = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(f.future.token, f.expired.token, f.regenerated.token, f.done.token) },
    { weight: 2, arbitrary: mutated(f.future.token) },
    { weight: 2, arbitrary: rearranged(f.future.token) },
    { weight: 2, arbitrary: forged },
    { weight: 2, arbitrary: str },
  );

export const anyToken = () => fc.oneof(movableTokens(), inertTokens());

/** Interview ids that are not the live or the fresh interview's. */
export const otherInterviewIds = () =>
  fc.oneof(
    uuid,
    fc.constantFrom(f.future.id, f.expired.id, f.regenerated.id, f.done.id, f.openRoom.id).chain(upperOrNot),
    fc.constantFrom(f.live.sessionId, f.live.currentQuestionId, f.done.sessionId),
  );

/** Text-session ids that are not the live interview's. */
export const otherSessionIds = () =>
  fc.oneof(
    uuid,
    fc
      .constantFrom(f.fresh.sessionId, f.future.sessionId, f.expired.sessionId, f.regenerated.sessionId, f.done.sessionId)
      .chain(upperOrNot),
    fc.constantFrom(f.live.id, f.live.currentQuestionId),
  );

/** Question ids that are not the live interview's current question. */
export const wrongQuestionIds = () =>
  fc.oneof(
    uuid.filter((id) => id !== f.live.currentQuestionId),
    fc.constantFrom(...f.live.questionIds.slice(1), ...f.done.questionIds),
  );

/** A token that opens its interview (live, fresh, completed) with a session that is not the live one. */
export const crossPairs = () =>
  fc.record({
    session_id: fc.oneof(uuid, fc.constantFrom(f.fresh.sessionId, f.future.sessionId, f.expired.sessionId, f.done.sessionId)),
    link_token: fc.constantFrom(f.live.token, f.fresh.token, f.done.token),
  });

export const answerText = fc.oneof(
  { weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.trim().length > 0) },
  { weight: 2, arbitrary: str },
  { weight: 1, arbitrary: notString },
);

export const path = (p: string) => fc.constantFrom(p, `${p}/`);

/** Any string as one encoded path segment (lone surrogates replaced, they cannot be encoded). */
export const segment = (s: string) =>
  encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

export const rawSegments = fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '..', '%2e%2e', 'a%2Fb', '%252F', ';', ',', '~', "'");

export const roomCodes = () =>
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

/** True when a body (as sent) would be a join with the candidate's own phone. */
export function carriesCandidatePhone(body: string | Uint8Array | undefined): boolean {
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

export const name = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('Ahmed', 'Hassan', 'Nour', "O'Brien", 'Jean-Luc', 'محمد', '李') },
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 100 }) },
  { weight: 2, arbitrary: str },
  { weight: 1, arbitrary: notString },
);

/** Phones, valid and not, none of them the candidate's. */
export const phone = fc
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

export const joinBody = fc.oneof(
  { weight: 6, arbitrary: fc.record({ phoneNumber: phone, firstName: name, lastName: name }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: fc.record({ phoneNumber: phone, firstName: name, lastName: name }).chain((b) => withJunk(b)) },
  { weight: 2, arbitrary: anyJson },
);

export const asJoinReq = (code: string, body: unknown): Req => textReq(`/api/public/interview/join/${code}`, body);

export const candidateCredentialHeaders = (): fc.Arbitrary<Record<string, string>> =>
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
