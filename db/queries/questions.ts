import type { Db } from '../connect.js';
import type { QuestionSource } from '../../core/domain.js';

export const listQuestions = (db: Db, interviewId: string) =>
  db.selectFrom('interview_questions').selectAll().where('interview_id', '=', interviewId).orderBy('position').execute();

/** A question's text and the language of its interview: what its audio is spoken in. */
export const getQuestionForSpeech = (db: Db, id: string) =>
  db
    .selectFrom('interview_questions')
    .innerJoin('interviews', 'interviews.id', 'interview_questions.interview_id')
    .select(['interview_questions.text', 'interviews.language'])
    .where('interview_questions.id', '=', id)
    .executeTakeFirst();

/**
 * Stores a plan unless one exists: two concurrent planners (a link generated while the agent starts)
 * end with one plan, the first one stored. Returns the plan in place.
 */
export async function savePlanOnce(
  db: Db,
  interviewId: string,
  plan: { text: string; kind: string; source: QuestionSource; criterion?: string | null; prompt_version?: string | null }[],
) {
  if (plan.length > 0) {
    await db
      .insertInto('interview_questions')
      .values(plan.map((q, i) => ({ interview_id: interviewId, position: i + 1, ...q })))
      .onConflict((oc) => oc.columns(['interview_id', 'position']).doNothing())
      .execute();
  }
  return listQuestions(db, interviewId);
}
