// Seed 002's interview links, as its clients use them: HR logs in, generates / gets / regenerates a
// link, and the link opens the public start endpoint and the public interview URL, only inside its
// window and only while it is the current one.
// With an LLM planning the questions: links-llm.test.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readLinkToken, signLinkToken } from '../../api/lib/link-token.js';
import { QUESTION_BANK } from '../../core/question-bank.js';
import { hrUser, json, scheduledInterview, startHarness, type Harness } from '../../testkit/api.js';
import { call, documented, useAddressPerTest, useFileDatabase } from './helpers/public.js';
import * as links from './helpers/links.js';

const file = useFileDatabase();
useAddressPerTest('198.51.100');

describe('seed 002 links, no LLM configured', () => {
  let h: Harness;
  let hr: links.Hr;
  let realNow: number;
  beforeAll(async () => {
    h = await startHarness({}, file.database);
    realNow = h.clock.now;
    hr = await hrUser(h);
  });
  afterEach(() => {
    h.clock.now = realNow;
  });

  it("runs the seed's script: login, generate with a JSON content type and no body, every documented field", async () => {
    const login = await call(h, '/api/auth/login/', { method: 'POST', json: { email: hr.email, password: hr.password } });
    expect(login.status).toBe(200);
    const { access } = await json<{ access: string }>(login);
    expect(access).toEqual(expect.any(String));
    const headers = { Authorization: `Bearer ${access}`, 'Content-Type': 'application/json' };

    const slot = h.clock.now;
    const { id } = await scheduledInterview(h, hr.auth, { scheduledAt: new Date(slot).toISOString(), maxDuration: 1800 });
    const res = await call(h, `/api/ai-interview/generate-link/${id}/`, { method: 'POST', headers });
    expect(res.status).toBe(200);
    const link = await json<links.LinkBody>(res);
    expect(Object.keys(link).sort()).toEqual([...links.LINK_FIELDS]);
    expect(link).toEqual({
      interview_id: id,
      link_token: expect.stringMatching(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
      ai_interview_url: `${links.BASE}/api/ai-interview/public/start/`,
      public_interview_url: `${links.BASE}/api/interviews/public/${link.link_token}/`,
      expires_at: new Date(slot + 1800 * 1000 + 2 * links.HOUR).toISOString(),
      ai_session_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ai_interview_type: 'technical',
      candidate_name: 'Ahmed Hassan',
      candidate_email: 'ahmed@example.com',
      job_title: links.JOB_TITLE,
      message: 'AI interview link generated successfully',
    });

    // The session id is the interview's text session, and the interview is ready for the candidate.
    const session = await h.deps.db.selectFrom('text_sessions').selectAll().where('interview_id', '=', id).executeTakeFirstOrThrow();
    expect(link.ai_session_id).toBe(session.id);
    expect(session.status).toBe('created');
    const detail = await json<{ status: string; linkGeneratedAt: string | null }>(
      await call(h, `/api/interviews/${id}`, { headers: hr.auth }),
    );
    expect(detail.status).toBe('READY');
    expect(detail.linkGeneratedAt).not.toBeNull();

    // The public interview URL works and shows nothing the token holder should not see.
    const view = await call(h, links.pathOf(link.public_interview_url));
    expect(view.status).toBe(200);
    const viewText = await view.clone().text();
    expect(await json(view)).toMatchObject({
      interview_id: id,
      candidate_first_name: 'Ahmed',
      job_title: links.JOB_TITLE,
      company_name: 'MENA Bank',
      ai_interview_type: 'technical',
      max_duration: 1800,
      scheduled_at: new Date(slot).toISOString(),
      opens_at: new Date(slot - 15 * 60_000).toISOString(),
      expires_at: link.expires_at,
      ai_interview_url: link.ai_interview_url,
    });
    expect(viewText).not.toContain('ahmed@example.com');
    expect(viewText).not.toContain('+971');

    // Generating again is idempotent: the same link, not a new version.
    const again = await links.generated(h, hr, id);
    expect(again.link_token).toBe(link.link_token);
    expect(again.ai_session_id).toBe(link.ai_session_id);
    expect(await links.linkVersion(h, id)).toBe(1);
  });

  it('accepts a body whose interview_id matches the path, and refuses one that does not', async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    const ok = await links.generate(h, hr, id, { interview_id: id.toUpperCase() });
    expect(ok.status).toBe(200);
    expect((await json<links.LinkBody>(ok)).interview_id).toBe(id);

    const other = await scheduledInterview(h, hr.auth);
    const mismatch = await links.generate(h, hr, other.id, { interview_id: id });
    expect(mismatch.status).toBe(400);
    expect(await json(mismatch)).toMatchObject({ code: 'VALIDATION_FAILED', error: expect.stringContaining('interview_id') });
    const unknownField = await links.generate(h, hr, other.id, { interview_id: other.id, candidate_email: 'x@example.com' });
    expect(unknownField.status).toBe(400);
    // Refused requests changed nothing: no link, no plan.
    expect(await links.linkVersion(h, other.id)).toBe(0);
    expect(await links.questionsOf(h, other.id)).toHaveLength(0);
  });

  it('refuses an unscheduled interview with exactly the documented error, and changes nothing', async () => {
    const { id } = await scheduledInterview(h, hr.auth, { scheduledAt: null });
    const res = await links.generate(h, hr, id);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error).toBe('Interview must have a scheduled start time to generate AI interview link');
    expect(body.code).toBe('NOT_SCHEDULED');
    expect(await links.linkVersion(h, id)).toBe(0);
    expect(await links.questionsOf(h, id)).toHaveLength(0);
    const get = await links.getLink(h, hr, id);
    expect(get.status).toBe(404);
  });

  it('get-link: 404 before a link exists; afterwards the same link with the plan size and expiry', async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    await links.expectNoLink(await links.getLink(h, hr, id));

    const link = await links.generated(h, hr, id);
    const got = await documented(await links.getLink(h, hr, id), [...links.LINK_FIELDS, 'is_expired', 'questions_generated'].sort());
    expect(got).toEqual({
      ...link,
      questions_generated: 5,
      is_expired: false,
      message: 'AI interview link retrieved successfully',
    });
  });

  it('regenerate: a new token; the old one is refused everywhere, the new one works', async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    await links.expectNoLink(await links.regenerate(h, hr, id));

    const first = await links.generated(h, hr, id);
    const second = await documented<links.LinkBody>(await links.regenerate(h, hr, id), [...links.LINK_FIELDS]);
    expect(second.message).toBe('AI interview link regenerated successfully');
    expect(second.link_token).not.toBe(first.link_token);
    expect(second.public_interview_url).toBe(`${links.BASE}/api/interviews/public/${second.link_token}/`);
    expect(second.ai_session_id).toBe(first.ai_session_id);
    expect(second.expires_at).toBe(first.expires_at);
    expect(await links.linkVersion(h, id)).toBe(2);

    await links.expectInvalidToken(await links.start(h, id, first.link_token));
    await links.expectInvalidToken(await call(h, links.pathOf(first.public_interview_url)));

    const view = await call(h, links.pathOf(second.public_interview_url));
    expect(view.status).toBe(200);
    expect((await json(view)).interview_id).toBe(id);
    const started = await links.start(h, id, second.link_token);
    expect(started.status).toBe(200);
    expect(await json(started)).toMatchObject({ interview_id: id, status: 'started', session_id: first.ai_session_id });

    // get-link now hands out the new token.
    expect((await json<links.LinkBody>(await links.getLink(h, hr, id))).link_token).toBe(second.link_token);
  });

  it("answers 404 for another organization's interview and 401 without authentication", async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    const stranger = await hrUser(h);
    for (const res of [
      await links.generate(h, stranger, id),
      await links.getLink(h, stranger, id),
      await links.regenerate(h, stranger, id),
    ]) {
      expect(res.status).toBe(404);
      expect((await json(res)).code).toBe('NOT_FOUND');
    }
    expect(await links.linkVersion(h, id)).toBe(0);
    // Unknown and malformed ids are 404 too.
    expect((await links.generate(h, hr, randomUUID())).status).toBe(404);
    expect((await links.getLink(h, hr, 'not-a-uuid')).status).toBe(404);

    const nobody = { ...hr, auth: {} as links.Hr['auth'] };
    const [jwtHead, jwtBody] = hr.access.split('.');
    const forged = { ...hr, auth: { authorization: `Bearer ${jwtHead}.${jwtBody}.${Buffer.alloc(32).toString('base64url')}` } };
    for (const who of [nobody, forged]) {
      for (const res of [await links.generate(h, who, id), await links.getLink(h, who, id), await links.regenerate(h, who, id)]) {
        expect(res.status).toBe(401);
        expect((await json(res)).code).toBe('UNAUTHORIZED');
      }
    }
    expect(await links.linkVersion(h, id)).toBe(0);
  });

  it('plans the questions from the bank when no LLM is configured', async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    await links.generated(h, hr, id);
    const questions = await links.questionsOf(h, id);
    expect(questions.map((q) => q.source)).toEqual(['bank', 'bank', 'bank', 'bank', 'bank']);
    expect(questions.map((q) => q.text)).toEqual(QUESTION_BANK.TECHNICAL.map((q) => q.text));
    expect(questions.map((q) => q.position)).toEqual([1, 2, 3, 4, 5]);
  });

  it('opens 15 minutes before the slot (403 with opensAt before) and closes 2 h after its end (410)', async () => {
    const slot = realNow + 24 * links.HOUR;
    const { id } = await scheduledInterview(h, hr.auth, { scheduledAt: new Date(slot).toISOString(), maxDuration: 1800 });
    const link = await links.generated(h, hr, id);
    const opensAt = new Date(slot - 15 * 60_000).toISOString();
    const end = slot + 1800 * 1000 + 2 * links.HOUR;
    expect(link.expires_at).toBe(new Date(end).toISOString());

    h.clock.now = slot - 20 * 60_000;
    for (const res of [await links.start(h, id, link.link_token), await links.publicView(h, link.link_token)]) {
      expect(res.status).toBe(403);
      const body = await json(res);
      expect(body).toMatchObject({ code: 'LINK_NOT_YET_VALID', opensAt });
      expect(body.error).toContain(opensAt);
    }
    // Refused early: the candidate did not start anything.
    const session = await h.deps.db.selectFrom('text_sessions').selectAll().where('interview_id', '=', id).executeTakeFirstOrThrow();
    expect(session.status).toBe('created');

    h.clock.now = slot - 15 * 60_000;
    expect((await links.publicView(h, link.link_token)).status).toBe(200);
    h.clock.now = end - 1;
    expect((await links.publicView(h, link.link_token)).status).toBe(200);
    expect((await json(await links.getLink(h, hr, id))).is_expired).toBe(false);

    for (const now of [end, end + 7 * 24 * links.HOUR]) {
      h.clock.now = now;
      for (const res of [await links.start(h, id, link.link_token), await links.publicView(h, link.link_token)]) {
        expect(res.status).toBe(410);
        expect((await json(res)).code).toBe('LINK_EXPIRED');
      }
      expect((await json(await links.getLink(h, hr, id))).is_expired).toBe(true);
    }
  });

  it('refuses forged tokens with 401 and records nothing', async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    const link = await links.generated(h, hr, id);
    const token = link.link_token;
    const [encoded, signature] = token.split('.') as [string, string];
    const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
    const payload = readLinkToken(token)!;
    expect(payload).toMatchObject({ iid: id, v: 1 });

    const other = await scheduledInterview(h, hr.auth);
    const otherLink = await links.generated(h, hr, other.id);

    const forgeries = [
      randomBytes(48).toString('base64url'),
      `${randomBytes(40).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
      `${encoded}.${randomBytes(32).toString('base64url')}`,
      `${encoded}.${flip(signature, 0)}`,
      `${encoded}.${flip(signature, 20)}`,
      `${encoded}.${flip(signature, signature.length - 1)}`,
      `${encoded}.${signature}=`,
      // The same payload, MACed with another secret.
      signLinkToken('some-other-secret-0123456789abcdefghij', payload, 'ahmed@example.com'),
      // The right secret, but bound to someone else's email.
      signLinkToken(h.config.linkSecret, payload, 'mallory@example.com'),
      // A later expiry and a higher version, keeping the old signature.
      `${Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 30 * 24 * links.HOUR })).toString('base64url')}.${signature}`,
      `${Buffer.from(JSON.stringify({ ...payload, v: 2 })).toString('base64url')}.${signature}`,
    ];
    for (const forged of forgeries) {
      await links.expectInvalidToken(await links.start(h, id, forged));
      await links.expectInvalidToken(await links.publicView(h, forged));
    }
    // A genuine token of another interview does not open this one.
    await links.expectInvalidToken(await links.start(h, id, otherLink.link_token));

    const session = await h.deps.db.selectFrom('text_sessions').selectAll().where('interview_id', '=', id).executeTakeFirstOrThrow();
    expect(session.status).toBe('created');
    expect((await links.auditOf(h, id)).map((a) => a.action)).not.toContain('link.used');
    // The genuine token still works after all that.
    expect((await links.start(h, id, token)).status).toBe(200);
  });

  it('writes link.generated, link.regenerated and link.used to the audit log, with no personal data', async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    await links.generated(h, hr, id);
    const second = await json<links.LinkBody>(await links.regenerate(h, hr, id));
    expect((await links.start(h, id, second.link_token)).status).toBe(200);

    const rows = await links.auditOf(h, id);
    const linkRows = rows.filter((r) => r.action.startsWith('link.'));
    expect(linkRows.map((r) => [r.action, r.actor, r.details.version])).toEqual([
      ['link.generated', `hr:${hr.userId}`, 1],
      ['link.regenerated', `hr:${hr.userId}`, 2],
      ['link.used', 'candidate', 2],
    ]);
    expect(rows.every((r) => r.organization_id === hr.organizationId)).toBe(true);
    const text = JSON.stringify(rows.map((r) => r.details));
    expect(text).not.toContain('ahmed');
    expect(text).not.toContain(second.link_token);

    // HR sees the same trail on the interview.
    const detail = await json<{ audit: { action: string }[] }>(await call(h, `/api/interviews/${id}`, { headers: hr.auth }));
    expect(detail.audit.map((a) => a.action)).toEqual(rows.map((r) => r.action));
  });
});
