// The outcomes export (NYC Local Law 144 bias audit): one row per interview of an organization,
// with its job, its current evaluation and the candidate's self-reported categories. Selects no
// names, emails, phones, résumés or transcript text: the export must not carry them.
import type { Db } from '../connect.js';

export interface OutcomeFilter {
  jobId?: string;
  /** created_at >= from */
  from?: Date;
  /** created_at < to (the caller turns an inclusive day into the next midnight) */
  to?: Date;
}

export function outcomeRows(db: Db, organizationId: string, filter: OutcomeFilter) {
  let q = db
    .selectFrom('interviews')
    .innerJoin('applications', 'applications.id', 'interviews.application_id')
    .innerJoin('jobs', 'jobs.id', 'applications.job_id')
    .leftJoin('candidate_demographics as d', (join) =>
      join.onRef('d.candidate_id', '=', 'applications.candidate_id').on('d.organization_id', '=', organizationId),
    )
    // The interview's current evaluation: the highest version, the one HR sees. A lateral LIMIT 1
    // reads only this interview's evaluations (the unique index on interview_id, version), where a
    // DISTINCT ON subquery would sort every organization's.
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('evaluations')
          .select(['id', 'scored', 'score', 'recommendation', 'model', 'prompt_version', 'created_at'])
          .whereRef('evaluations.interview_id', '=', 'interviews.id')
          .orderBy('version', 'desc')
          .limit(1)
          .as('e'),
      (join) => join.onTrue(),
    )
    .select([
      'interviews.id as interview_id',
      'interviews.application_id',
      'applications.candidate_id',
      'applications.job_id',
      'jobs.title as job_title',
      'interviews.interview_type',
      'interviews.status',
      'interviews.end_reason',
      'interviews.created_at',
      'e.id as evaluation_id',
      'e.scored',
      'e.score',
      'e.recommendation',
      'e.model as evaluation_model',
      'e.prompt_version as evaluation_prompt_version',
      'e.created_at as evaluated_at',
      'd.sex',
      'd.race_ethnicity',
    ])
    .where('interviews.organization_id', '=', organizationId);
  if (filter.jobId) q = q.where('applications.job_id', '=', filter.jobId);
  if (filter.from) q = q.where('interviews.created_at', '>=', filter.from);
  if (filter.to) q = q.where('interviews.created_at', '<', filter.to);
  // Oldest first, so two exports of the same period list the rows in the same order.
  return q.orderBy('interviews.created_at', 'asc').orderBy('interviews.id', 'asc').execute();
}

export type OutcomeRow = Awaited<ReturnType<typeof outcomeRows>>[number];
