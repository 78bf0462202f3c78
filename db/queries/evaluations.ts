import type { Insertable } from 'kysely';
import type { Db } from '../connect.js';
import type { EvaluationsTable } from '../schema.js';

/** One evaluation per interview: a second writer (retry, second worker) keeps the first. */
export async function saveEvaluationOnce(db: Db, e: Insertable<EvaluationsTable>) {
  await db.insertInto('evaluations').values(e).onConflict((oc) => oc.column('interview_id').doNothing()).execute();
  return getEvaluation(db, e.interview_id);
}

export const getEvaluation = (db: Db, interviewId: string) =>
  db.selectFrom('evaluations').selectAll().where('interview_id', '=', interviewId).executeTakeFirst();
