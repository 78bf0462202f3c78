// Demographics for the bias-audit export. Read only by the demographics routes and by
// reports.ts: never join this table into a query that feeds a prompt or an evaluation.
import { sql } from 'kysely';
import type { RaceEthnicity, Sex } from '../../core/demographics.js';
import type { Db } from '../connect.js';

export interface DemographicsUpdate {
  /** undefined: keep what is stored; null: clear it. */
  sex?: Sex | null;
  raceEthnicity?: RaceEthnicity | null;
}

/**
 * The candidate's categories, or undefined when the candidate is not the organization's. A
 * candidate with nothing supplied answers nulls.
 */
export const getDemographics = (db: Db, organizationId: string, candidateId: string) =>
  db
    .selectFrom('candidates')
    .leftJoin('candidate_demographics as d', 'd.candidate_id', 'candidates.id')
    .select(['candidates.id as candidate_id', 'd.sex', 'd.race_ethnicity', 'd.updated_at'])
    .where('candidates.organization_id', '=', organizationId)
    .where('candidates.id', '=', candidateId)
    .executeTakeFirst();

/**
 * Upserts the given fields in one statement. The row is built from the candidate's own row, so a
 * candidate of another organization inserts nothing (undefined: a 404) and organization_id always
 * matches the candidate's.
 */
export const saveDemographics = (db: Db, organizationId: string, candidateId: string, u: DemographicsUpdate) =>
  db
    .insertInto('candidate_demographics')
    .columns(['candidate_id', 'organization_id', 'sex', 'race_ethnicity'])
    .expression((eb) =>
      eb
        .selectFrom('candidates')
        .select([
          'candidates.id',
          'candidates.organization_id',
          sql<Sex | null>`${u.sex ?? null}::text`.as('sex'),
          sql<RaceEthnicity | null>`${u.raceEthnicity ?? null}::text`.as('race_ethnicity'),
        ])
        .where('candidates.organization_id', '=', organizationId)
        .where('candidates.id', '=', candidateId),
    )
    .onConflict((oc) =>
      oc.column('candidate_id').doUpdateSet((eb) => ({
        ...(u.sex !== undefined ? { sex: eb.ref('excluded.sex') } : {}),
        ...(u.raceEthnicity !== undefined ? { race_ethnicity: eb.ref('excluded.race_ethnicity') } : {}),
        updated_at: sql<Date>`now()`,
      })),
    )
    .returning(['candidate_id', 'sex', 'race_ethnicity', 'updated_at'])
    .executeTakeFirst();
