import type { Db } from '../connect.js';
import { paginate, type Page } from './paging.js';

/** Inserts when job and candidate both belong to the organization; undefined otherwise. */
export async function insertApplication(db: Db, a: { organizationId: string; jobId: string; candidateId: string }) {
  return db
    .insertInto('applications')
    .columns(['organization_id', 'job_id', 'candidate_id'])
    .expression((eb) =>
      eb
        .selectFrom('jobs')
        .innerJoin('candidates', 'candidates.organization_id', 'jobs.organization_id')
        .select([eb.val(a.organizationId).as('organization_id'), 'jobs.id as job_id', 'candidates.id as candidate_id'])
        .where('jobs.id', '=', a.jobId)
        .where('candidates.id', '=', a.candidateId)
        .where('jobs.organization_id', '=', a.organizationId),
    )
    .returningAll()
    .executeTakeFirst();
}

export const getApplication = (db: Db, organizationId: string, id: string) =>
  db.selectFrom('applications').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();

export const listApplications = (db: Db, organizationId: string, page: Page) =>
  paginate(db.selectFrom('applications').selectAll().where('organization_id', '=', organizationId), page, 'applications');
