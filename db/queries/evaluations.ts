import type { Db } from '../connect.js';
import type { NewEvaluation } from '../schema.js';
import { isUniqueViolation } from './interviews.js';

/** The interview's first evaluation: a second writer (retry, second worker) keeps the first. */
export async function saveEvaluationOnce(db: Db, e: NewEvaluation) {
  await db
    .insertInto('evaluations')
    .values({ ...e, version: 1 })
    .onConflict((oc) => oc.columns(['interview_id', 'version']).doNothing())
    .execute();
  return getEvaluation(db, e.interview_id);
}

/**
 * A re-evaluation: the next version, never replacing one. Returns undefined when another writer
 * took that version number at the same moment (the caller reports a conflict).
 */
export async function addEvaluationVersion(db: Db, e: NewEvaluation) {
  try {
    return await db
      .insertInto('evaluations')
      .values((eb) => ({
        ...e,
        version: eb
          .selectFrom('evaluations')
          .select(eb.fn.coalesce(eb(eb.fn.max('version'), '+', 1), eb.lit(1)).as('next'))
          .where('interview_id', '=', e.interview_id),
      }))
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    if (isUniqueViolation(err)) return undefined;
    throw err;
  }
}

/** The current evaluation: the highest version. */
export const getEvaluation = (db: Db, interviewId: string) =>
  db.selectFrom('evaluations').selectAll().where('interview_id', '=', interviewId).orderBy('version', 'desc').limit(1).executeTakeFirst();

/** Every version, newest first. */
export const listEvaluations = (db: Db, interviewId: string) =>
  db.selectFrom('evaluations').selectAll().where('interview_id', '=', interviewId).orderBy('version', 'desc').execute();
