import type { Insertable } from 'kysely';
import type { Db } from '../connect.js';
import type { Rubric } from '../../core/rubric.js';
import type { JobsTable } from '../schema.js';
import { paginate, type Page } from './paging.js';

export const insertJob = (db: Db, job: Insertable<JobsTable>) => db.insertInto('jobs').values(job).returningAll().executeTakeFirstOrThrow();

export const getJob = (db: Db, organizationId: string, id: string) =>
  db.selectFrom('jobs').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();

export const listJobs = (db: Db, organizationId: string, page: Page) =>
  paginate(db.selectFrom('jobs').selectAll().where('organization_id', '=', organizationId), page, 'jobs');

/** Replaces the job's rubric (null: back to the default). Stored evaluations keep the one they used. */
export const setJobRubric = (db: Db, organizationId: string, id: string, rubric: Rubric | null) =>
  db
    .updateTable('jobs')
    .set({ rubric: rubric === null ? null : JSON.stringify(rubric) })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
