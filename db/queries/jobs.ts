import type { Insertable } from 'kysely';
import type { Db } from '../connect.js';
import type { JobsTable } from '../schema.js';
import { paginate, type Page } from './paging.js';

export const insertJob = (db: Db, job: Insertable<JobsTable>) =>
  db.insertInto('jobs').values(job).returningAll().executeTakeFirstOrThrow();

export const getJob = (db: Db, organizationId: string, id: string) =>
  db.selectFrom('jobs').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();

export const listJobs = (db: Db, organizationId: string, page: Page) =>
  paginate(db.selectFrom('jobs').selectAll().where('organization_id', '=', organizationId), page, 'jobs');
