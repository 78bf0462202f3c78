// The voice join through a seed 002 link (POST /api/interviews/public/{token}/join): the link admits
// its holder, the interview gets a room on the first join, and from there it is the room join of
// seed 000 (phone check, LiveKit token, candidate session cookie that the end call accepts).
import { TokenVerifier, type ClaimGrants } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hrUser, json, PHONE, scheduledInterview, startHarness, type Harness } from '../../testkit/api.js';

let h: Harness;
let auth: Record<string, string>;
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_PER_KEY: '100000', RATE_LIMIT_PER_IP: '100000' });
  auth = (await hrUser(h)).auth;
});
afterAll(() => h?.close());

const DAY = 24 * 60 * 60 * 1000;
const CANDIDATE = { phoneNumber: PHONE, firstName: 'Ahmed', lastName: 'Hassan' };

async function linked(body: Record<string, unknown> = {}) {
  const { id } = await scheduledInterview(h, auth, body);
  const res = await h.request(`/api/ai-interview/generate-link/${id}/`, { method: 'POST', headers: auth });
  expect(res.status).toBe(200);
  return { id, token: (await json<{ link_token: string }>(res)).link_token };
}

const join = (token: string, body: unknown = CANDIDATE, h2: Harness = h) =>
  h2.request(`/api/interviews/public/${token}/join`, { method: 'POST', json: body });

const row = (id: string) => h.deps.db.selectFrom('interviews').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const audit = (id: string) =>
  h.deps.db
    .selectFrom('audit_log')
    .select(['action', 'actor'])
    .where('interview_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await json(res);
  expect(body.code).toBe(code);
  return body;
}

describe('joining by link', () => {
  it('opens a room on the first join and answers like the room join, with a token for that room only', async () => {
    const { id, token } = await linked();
    expect((await row(id)).room_code).toBeNull();
    const res = await join(token);
    expect(res.status).toBe(200);
    const body = await json<Record<string, string | number>>(res);
    const after = await row(id);
    expect(after.room_code).toMatch(/^[A-Z2-9]{8}$/);
    expect(after.status).toBe('READY');
    expect(after.last_joined_at).not.toBeNull();
    expect(body).toMatchObject({
      roomCode: after.room_code,
      roomName: `interview_${after.room_code}`,
      identity: 'candidate_971509876543',
      participantName: 'Ahmed Hassan',
      jobTitle: 'Senior Backend Developer - Fintech',
      maxDuration: 1800,
    });
    const grants: ClaimGrants = await new TokenVerifier(h.config.livekit.apiKey, h.config.livekit.apiSecret).verify(body.token as string);
    expect(grants.video?.room).toBe(`interview_${after.room_code}`);
    expect(grants.video?.roomJoin).toBe(true);
    expect(await audit(id)).toContainEqual({ action: 'candidate.joined', actor: 'candidate' });

    // The candidate session cookie is the room join's: path-scoped to the end call, which accepts it.
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('candidate_session='))!;
    expect(cookie).toContain('Path=/api/public/interview');
    expect(cookie).toContain('HttpOnly');
    const end = await h.request(`/api/public/interview/room/${after.room_code}/end`, {
      method: 'POST',
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(end.status).toBe(200);
    expect((await row(id)).status).toBe('ABANDONED');
  });

  it('keeps the same room on later joins', async () => {
    const { id, token } = await linked();
    expect((await join(token)).status).toBe(200);
    const code = (await row(id)).room_code;
    const again = await join(token);
    expect(again.status).toBe(200);
    expect((await json(again)).roomCode).toBe(code);
    expect((await row(id)).room_code).toBe(code);
  });

  it('refuses a wrong phone number and changes nothing (no room is opened)', async () => {
    const { id, token } = await linked();
    const before = await row(id);
    await expectError(await join(token, { ...CANDIDATE, phoneNumber: '+971501112222' }), 403, 'PHONE_MISMATCH');
    await expectError(await join(token, { ...CANDIDATE, phoneNumber: '12' }), 400, 'VALIDATION_FAILED');
    await expectError(await join(token, { ...CANDIDATE, firstName: '' }), 400, 'VALIDATION_FAILED');
    expect(await row(id)).toEqual(before);
    expect((await audit(id)).map((a) => a.action)).not.toContain('candidate.joined');
  });

  it('refuses a wrong phone number once the room exists, too', async () => {
    const { token } = await linked();
    expect((await join(token)).status).toBe(200);
    await expectError(await join(token, { ...CANDIDATE, phoneNumber: '+971501112222' }), 403, 'PHONE_MISMATCH');
  });

  it('refuses links outside their window, tampered or replaced ones, and ended interviews', async () => {
    const early = await linked({ scheduledAt: new Date(h.clock.now + 2 * DAY).toISOString() });
    const body = await expectError(await join(early.token), 403, 'LINK_NOT_YET_VALID');
    expect(body.opensAt).toBe(new Date(h.clock.now + 2 * DAY - 15 * 60 * 1000).toISOString());
    expect((await row(early.id)).room_code).toBeNull();

    const late = await linked({ scheduledAt: new Date(h.clock.now - 2 * DAY).toISOString() });
    await expectError(await join(late.token), 410, 'LINK_EXPIRED');

    const live = await linked();
    await expectError(await join(`${live.token.slice(0, -2)}xx`), 401, 'INVALID_TOKEN');
    await expectError(await join('nonsense'), 401, 'INVALID_TOKEN');
    expect((await h.request(`/api/ai-interview/regenerate-link/${live.id}/`, { method: 'POST', headers: auth })).status).toBe(200);
    await expectError(await join(live.token), 401, 'INVALID_TOKEN');

    const ended = await linked();
    expect((await h.request(`/api/interviews/${ended.id}/end`, { method: 'POST', headers: auth })).status).toBe(200);
    await expectError(await join(ended.token), 410, 'INTERVIEW_ENDED');
    expect((await row(ended.id)).room_code).toBeNull();
  });

  it('is rate-limited per link', async () => {
    const limited = await startHarness({ RATE_LIMIT_PER_KEY: '3' }, { ...h.database, close: async () => {} });
    const { token } = await linked();
    for (let i = 0; i < 3; i++) expect((await join(token, { ...CANDIDATE, phoneNumber: '+971501112222' }, limited)).status).toBe(403);
    const res = await join(token, CANDIDATE, limited);
    await expectError(res, 429, 'RATE_LIMITED');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
