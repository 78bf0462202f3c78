// The API's multi-step writes are atomic (api/services/): a failure injected into the last step of
// each (a trigger that raises, in the real database) leaves nothing of the earlier steps behind, and
// the same call succeeds once the failure is gone. Also: a text session left 'completing' by a
// caller that died is taken over by the next complete call.
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hrUser, json, scheduledInterview, startHarness, type Harness } from '../../testkit/api.js';

let h: Harness;
let hr: Awaited<ReturnType<typeof hrUser>>;
beforeAll(async () => {
  h = await startHarness();
  hr = await hrUser(h);
});
afterAll(() => h?.close());

// Public endpoints are rate-limited per address: each test speaks from its own.
let tests = 0;
let ip = '';
beforeEach(() => void (ip = `198.51.100.${++tests}`));

const post = (path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  h.request(path, { method: 'POST', headers, json: body, ip });

/**
 * Makes every insert into `table` that matches `when` (SQL over NEW) fail until the returned
 * function is called. Scoped by the condition, so other tests' rows are untouched.
 */
async function failInserts(table: 'audit_log' | 'text_sessions', when: string) {
  const name = `injected_failure_${tests}`;
  await sql
    .raw(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF ${when} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$;
       CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}();`,
    )
    .execute(h.deps.db);
  return () => sql.raw(`DROP TRIGGER ${name} ON ${table}; DROP FUNCTION ${name}();`).execute(h.deps.db);
}

const interviewRow = (id: string) => h.deps.db.selectFrom('interviews').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const sessionsOf = (id: string) => h.deps.db.selectFrom('text_sessions').selectAll().where('interview_id', '=', id).execute();
const auditActions = async (id: string) =>
  (await h.deps.db.selectFrom('audit_log').select('action').where('interview_id', '=', id).orderBy('id').execute()).map((a) => a.action);

type Link = { link_token: string; ai_session_id: string };
const generate = (id: string) => post(`/api/ai-interview/generate-link/${id}/`, {}, hr.auth);

describe('atomic multi-step writes', () => {
  it('generate-link: a failure in its last step leaves no link version, status, audit entry or session', async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    const heal = await failInserts('text_sessions', `NEW.interview_id = '${id}'`);
    const failed = await generate(id);
    expect(failed.status).toBe(500);
    const after = await interviewRow(id);
    expect(after).toMatchObject({ link_version: 0, link_generated_at: null, status: 'SCHEDULED' });
    expect(await auditActions(id)).not.toContain('link.generated');
    expect(await sessionsOf(id)).toEqual([]);

    await heal();
    const ok = await generate(id);
    expect(ok.status).toBe(200);
    const link = await json<Link>(ok);
    expect(await interviewRow(id)).toMatchObject({ link_version: 1, status: 'READY' });
    expect((await auditActions(id)).filter((a) => a === 'link.generated')).toHaveLength(1);
    expect((await sessionsOf(id)).map((s) => s.id)).toEqual([link.ai_session_id]);
  });

  it('regenerate-link: a failure in its last step keeps the current link working and unaudited', async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    const first = await json<Link>(await generate(id));
    const heal = await failInserts('text_sessions', `NEW.interview_id = '${id}'`);
    const failed = await post(`/api/ai-interview/regenerate-link/${id}/`, {}, hr.auth);
    expect(failed.status).toBe(500);
    expect(await interviewRow(id)).toMatchObject({ link_version: 1 });
    expect(await auditActions(id)).not.toContain('link.regenerated');
    expect((await h.request(`/api/interviews/public/${first.link_token}/`, { ip })).status).toBe(200);

    await heal();
    expect((await post(`/api/ai-interview/regenerate-link/${id}/`, {}, hr.auth)).status).toBe(200);
    expect(await interviewRow(id)).toMatchObject({ link_version: 2 });
    expect((await h.request(`/api/interviews/public/${first.link_token}/`, { ip })).status).toBe(401);
  });

  it('opening a room: a failure in its audit entry leaves the interview without a room and SCHEDULED', async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    const heal = await failInserts('audit_log', `NEW.interview_id = '${id}' AND NEW.action = 'room.created'`);
    expect((await post(`/api/interviews/${id}/room`, {}, hr.auth)).status).toBe(500);
    expect(await interviewRow(id)).toMatchObject({ room_code: null, room_name: null, status: 'SCHEDULED' });

    await heal();
    expect((await post(`/api/interviews/${id}/room`, {}, hr.auth)).status).toBe(201);
    const opened = await interviewRow(id);
    expect(opened.status).toBe('READY');
    expect(opened.room_code).toEqual(expect.any(String));
    expect((await auditActions(id)).filter((a) => a === 'room.created')).toHaveLength(1);
  });

  it('text start: a failure in its last step leaves the session unstarted and the interview READY', async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    const link = await json<Link>(await generate(id));
    const heal = await failInserts('audit_log', `NEW.interview_id = '${id}' AND NEW.action = 'link.used'`);
    const start = () => post('/api/ai-interview/public/start/', { interview_id: id, link_token: link.link_token });
    expect((await start()).status).toBe(500);
    expect((await sessionsOf(id)).map((s) => s.status)).toEqual(['created']);
    expect(await interviewRow(id)).toMatchObject({ status: 'READY', started_at: null });
    expect(await auditActions(id)).not.toContain('interview.started');

    await heal();
    expect((await start()).status).toBe(200);
    expect((await sessionsOf(id)).map((s) => s.status)).toEqual(['started']);
    expect((await interviewRow(id)).status).toBe('IN_PROGRESS');
  });
});

describe('text-mode complete', () => {
  it("takes over a session left 'completing' by a caller that died, and evaluates it once", async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    const link = await json<Link>(await generate(id));
    expect((await post('/api/ai-interview/public/start/', { interview_id: id, link_token: link.link_token })).status).toBe(200);
    const answer = await post('/api/ai-interview/public/submit-response/', {
      session_id: link.ai_session_id,
      link_token: link.link_token,
      response_text: 'I built a payments ledger in TypeScript and Postgres.',
    });
    expect(answer.status).toBe(200);
    // What a process killed mid-evaluation leaves: the claim, with no lease behind it. Without the
    // takeover the call would wait for that dead evaluator and answer 409.
    await h.deps.db.updateTable('text_sessions').set({ status: 'completing' }).where('id', '=', link.ai_session_id).execute();

    const res = await post('/api/ai-interview/public/complete/', { session_id: link.ai_session_id, link_token: link.link_token });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ session_id: link.ai_session_id, status: 'completed', answered_questions: 1 });
    expect((await sessionsOf(id)).map((s) => s.status)).toEqual(['completed']);
    expect((await interviewRow(id)).status).toBe('COMPLETED');
    const evaluations = await h.deps.db.selectFrom('evaluations').select('version').where('interview_id', '=', id).execute();
    expect(evaluations).toEqual([{ version: 1 }]);
    expect(await h.deps.db.selectFrom('leases').selectAll().where('name', '=', `text-complete:${link.ai_session_id}`).execute()).toEqual(
      [],
    );
  });
});
