import type { Insertable } from 'kysely';
import type { Db } from '../connect.js';
import type { CandidatesTable } from '../schema.js';
import { paginate, type Page } from './paging.js';

export const insertCandidate = (db: Db, candidate: Insertable<CandidatesTable>) =>
  db.insertInto('candidates').values(candidate).returningAll().executeTakeFirstOrThrow();

export const getCandidate = (db: Db, organizationId: string, id: string) =>
  db.selectFrom('candidates').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();

export const listCandidates = (db: Db, organizationId: string, page: Page) =>
  paginate(db.selectFrom('candidates').selectAll().where('organization_id', '=', organizationId), page, 'candidates');
