// Seed 002's text-mode interview: a session per interview, one response per question.
import { sql } from 'kysely';
import type { Db } from '../connect.js';
import type { TextSessionStatus } from '../../core/domain.js';

export async function ensureTextSession(db: Db, interviewId: string) {
  await db
    .insertInto('text_sessions')
    .values({ interview_id: interviewId })
    .onConflict((oc) => oc.column('interview_id').doNothing())
    .execute();
  return db.selectFrom('text_sessions').selectAll().where('interview_id', '=', interviewId).executeTakeFirstOrThrow();
}

export const getTextSession = (db: Db, id: string) => db.selectFrom('text_sessions').selectAll().where('id', '=', id).executeTakeFirst();

/** Guarded like interview statuses: concurrent callers make one change. */
export const moveTextSession = (db: Db, id: string, from: TextSessionStatus[], to: TextSessionStatus) =>
  db
    .updateTable('text_sessions')
    .set({
      status: to,
      started_at: sql`coalesce(started_at, CASE WHEN ${to} = 'started' THEN now() END)`,
      completed_at: sql`CASE WHEN ${to} = 'completed' THEN now() ELSE completed_at END`,
    })
    .where('id', '=', id)
    .where('status', 'in', from)
    .returningAll()
    .executeTakeFirst();

/**
 * Records the answer to the question at `position` and moves the session to the next one, in one
 * statement: the insert happens only if the session is still on that question, so a retried or
 * concurrent submit never records two answers or skips a question. The question and the answer also
 * go into the transcript (seq 2p-1 and 2p), so HR and the evaluation read text and voice interviews
 * the same way.
 */
export async function recordResponse(
  db: Db,
  r: { sessionId: string; interviewId: string; questionId: string; questionText: string; position: number; text: string },
) {
  const { rows } = await sql<{ id: string }>`
    WITH advanced AS (
      UPDATE text_sessions SET current_position = current_position + 1
      WHERE id = ${r.sessionId} AND status = 'started' AND current_position = ${r.position}
      RETURNING id
    ), turns AS (
      INSERT INTO transcript_turns (interview_id, seq, speaker, text, question_position)
      SELECT ${r.interviewId}::uuid, v.seq, v.speaker, v.text, ${r.position}::int
      FROM advanced, (VALUES (${2 * r.position - 1}::int, 'agent', ${r.questionText}::text),
                             (${2 * r.position}::int, 'candidate', ${r.text}::text)) AS v(seq, speaker, text)
      ON CONFLICT (interview_id, seq) DO NOTHING
    )
    INSERT INTO text_responses (session_id, question_id, response_text)
    SELECT id, ${r.questionId}::uuid, ${r.text} FROM advanced
    RETURNING id`.execute(db);
  return rows[0];
}

export const listResponses = (db: Db, sessionId: string) =>
  db
    .selectFrom('text_responses')
    .innerJoin('interview_questions', 'interview_questions.id', 'text_responses.question_id')
    .select(['text_responses.id', 'interview_questions.position', 'text_responses.response_text', 'text_responses.question_id'])
    .where('session_id', '=', sessionId)
    .orderBy('interview_questions.position')
    .execute();
