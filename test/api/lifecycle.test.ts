// core/interview-lifecycle.ts on real Postgres: the end-reason table, and finalize() racing itself.
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalize } from '../../core/interview-lifecycle.js';
import { END_REASON_NAMES, END_REASONS, endStatusFor, type EndReason } from '../../core/domain.js';
import { hrUser, recordingRooms, room, startHarness, type Harness } from '../../testkit/api.js';

let h: Harness;
const lk = recordingRooms();
beforeAll(async () => {
  h = await startHarness({}, undefined, { rooms: lk.service });
});
afterAll(() => h?.close());

const row = async (id: string) =>
  (
    await sql<{ status: string; end_reason: string | null; questions_asked: number | null; questions_answered: number | null }>`
      SELECT status, end_reason, questions_asked, questions_answered FROM interviews WHERE id = ${id}`.execute(h.deps.db)
  ).rows[0]!;
const count = async (table: 'evaluations' | 'interview_status_changes' | 'audit_log', id: string, extra = sql`true`) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE interview_id = ${id} AND ${extra}`.execute(h.deps.db))
    .rows[0]!.n;

describe('the end-reason table', () => {
  it('is total, closed, and time running out before the plan is done is always TIMED_OUT', () => {
    for (const reason of END_REASON_NAMES) {
      for (const from of ['SCHEDULED', 'READY', 'IN_PROGRESS'] as const) {
        expect(['COMPLETED', 'TIMED_OUT', 'ABANDONED', 'CANCELLED', 'FAILED']).toContain(endStatusFor(reason, from));
      }
    }
    expect(endStatusFor('time_limit', 'IN_PROGRESS')).toBe('TIMED_OUT');
    expect(endStatusFor('time_limit_watchdog', 'IN_PROGRESS')).toBe('TIMED_OUT');
    expect(endStatusFor('candidate_silent', 'IN_PROGRESS')).toBe('ABANDONED');
    expect(endStatusFor('hr_ended', 'READY')).toBe('CANCELLED');
  });

  it('is the one the README documents, reason by reason', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const [reason, to] of Object.entries(END_REASONS)) {
      expect(readme).toMatch(new RegExp(`\\| \`${reason}\` \\|[^\\n]*\\| ${to.started} \\| ${to.notStarted} \\|`));
    }
  });

  it('is enforced by the database too: an unknown end reason cannot be stored', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    await expect(sql`UPDATE interviews SET end_reason = 'agent_finished' WHERE id = ${r.sessionId}`.execute(h.deps.db)).rejects.toThrow();
  });
});

describe('finalize', () => {
  it('makes one transition, one audit entry and one evaluation however many callers race, and deletes the room', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    await sql`UPDATE interviews SET status = 'IN_PROGRESS', started_at = now() WHERE id = ${r.sessionId}`.execute(h.deps.db);
    const reasons: EndReason[] = ['completed', 'candidate_ended', 'hr_ended', 'time_limit', 'candidate_silent', 'candidate_left'];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        finalize(h.deps, r.sessionId, {
          reason: reasons[i % reasons.length]!,
          actor: 'system',
          progress: { questionsAsked: 2, questionsAnswered: 1 },
          evaluate: true,
        }),
      ),
    );
    const winners = results.filter(Boolean);
    expect(winners).toHaveLength(1);
    const ended = await row(r.sessionId);
    expect(ended.end_reason).toBe(winners[0]!.end_reason);
    expect(ended.status).toBe(endStatusFor(ended.end_reason as EndReason, 'IN_PROGRESS'));
    expect(ended).toMatchObject({ questions_asked: 2, questions_answered: 1 });
    expect(await count('evaluations', r.sessionId)).toBe(1);
    expect(await count('interview_status_changes', r.sessionId, sql`to_status = ${ended.status}`)).toBe(1);
    expect(await count('audit_log', r.sessionId, sql`action = 'interview.ended'`)).toBe(1);
    expect(lk.deleted).toContain(r.roomName);
  });

  it('completes what is missing when called after someone else ended the interview', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    await finalize(h.deps, r.sessionId, { reason: 'hr_ended', actor: 'system', evaluate: false });
    expect(await count('evaluations', r.sessionId)).toBe(0);
    // The agent, later: no second ending, but the evaluation it holds the turns for.
    const again = await finalize(h.deps, r.sessionId, { reason: 'completed', actor: 'agent', evaluate: true });
    expect(again).toBeUndefined();
    expect(await row(r.sessionId)).toMatchObject({ status: 'CANCELLED', end_reason: 'hr_ended' });
    expect(await count('evaluations', r.sessionId)).toBe(1);
  });
});
