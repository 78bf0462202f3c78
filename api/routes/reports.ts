// The per-organization outcomes export for a NYC Local Law 144 bias audit: every interview with its
// stage, the AI evaluation's outcome and the candidate's self-reported categories, plus counts and
// impact ratios (core/impact-ratio.ts has the rule). No names, contact details or transcripts.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { RACE_ETHNICITY_CATEGORIES, SEX_CATEGORIES, UNKNOWN } from '../../core/demographics.js';
import { impactRatios, isSelected, medianScore, type Outcome } from '../../core/impact-ratio.js';
import { INTERVIEW_STATUSES } from '../../core/domain.js';
import { getJob } from '../../db/queries/jobs.js';
import { outcomeRows, type OutcomeRow } from '../../db/queries/reports.js';
import { RECOMMENDATIONS } from '../../core/rubric.js';
import type { App, AppEnv } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { iso } from '../views.js';
import { requireHr, validationError } from '../http.js';
import { toCsv } from '../lib/csv.js';

const DAY_MS = 24 * 60 * 60 * 1000;

// A day (YYYY-MM-DD, UTC) or an instant with its offset; a time without one would be ambiguous.
const when = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
export const outcomesQuery = z.strictObject({
  jobId: z.string().uuid().optional(),
  from: when.optional(),
  to: when.optional(),
});

const isDay = (s: string) => s.length === 10;

/**
 * `from` is inclusive; `to` is too when it is a day (the whole day counts) and exclusive when it is
 * an instant, so that one period's `to` can be the next one's `from`.
 */
function readFilters(c: Context) {
  const parsed = outcomesQuery.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error);
  const { jobId, from, to } = parsed.data;
  const fromDate = from === undefined ? undefined : new Date(from);
  const toDate = to === undefined ? undefined : new Date(Date.parse(to) + (isDay(to) ? DAY_MS : 0));
  if (fromDate && toDate && fromDate >= toDate) throw new ApiError('VALIDATION_FAILED', 'from must be before to');
  return {
    echo: { jobId: jobId?.toLowerCase() ?? null, from: from ?? null, to: to ?? null },
    query: { jobId: jobId?.toLowerCase(), from: fromDate, to: toDate },
  };
}

const outcomeView = (r: OutcomeRow) => ({
  interviewId: r.interview_id,
  applicationId: r.application_id,
  candidateId: r.candidate_id,
  jobId: r.job_id,
  jobTitle: r.job_title,
  interviewType: r.interview_type,
  stage: r.status,
  endReason: r.end_reason,
  evaluated: r.evaluation_id !== null,
  scored: r.scored === true,
  score: r.score,
  recommendation: r.recommendation,
  evaluationModel: r.evaluation_model,
  evaluationPromptVersion: r.evaluation_prompt_version,
  evaluatedAt: iso(r.evaluated_at),
  sex: r.sex ?? UNKNOWN,
  raceEthnicity: r.race_ethnicity ?? UNKNOWN,
});
type OutcomeView = ReturnType<typeof outcomeView>;

/** The CSV's columns: the JSON rows' keys, in their order (the API test holds the two together). */
const COLUMNS = [
  'interviewId',
  'applicationId',
  'candidateId',
  'jobId',
  'jobTitle',
  'interviewType',
  'stage',
  'endReason',
  'evaluated',
  'scored',
  'score',
  'recommendation',
  'evaluationModel',
  'evaluationPromptVersion',
  'evaluatedAt',
  'sex',
  'raceEthnicity',
] as const satisfies readonly (keyof OutcomeView)[];

const NOT_SCORED = 'not_scored';
const NOT_EVALUATED = 'not_evaluated';
const outcomeOf = (r: OutcomeView) =>
  !r.evaluated ? NOT_EVALUATED : !r.scored || r.recommendation === null ? NOT_SCORED : r.recommendation;

function summarise(rows: OutcomeView[]) {
  // Every stage and outcome appears, with 0 when none: the auditor sees what is absent too.
  const byStage = Object.fromEntries(INTERVIEW_STATUSES.map((s) => [s, 0])) as Record<string, number>;
  const byRecommendation: Record<string, number> = Object.fromEntries([...RECOMMENDATIONS, NOT_SCORED, NOT_EVALUATED].map((k) => [k, 0]));
  const pairs = new Map<string, { stage: string; recommendation: string; n: number }>();
  for (const r of rows) {
    const outcome = outcomeOf(r);
    byStage[r.stage] = (byStage[r.stage] ?? 0) + 1;
    // An outcome no longer in the prompt's list (an older prompt version) is still counted.
    byRecommendation[outcome] = (byRecommendation[outcome] ?? 0) + 1;
    const key = `${r.stage}\n${outcome}`;
    const pair = pairs.get(key) ?? { stage: r.stage, recommendation: outcome, n: 0 };
    pair.n += 1;
    pairs.set(key, pair);
  }
  const stageOrder = Object.keys(byStage);
  const outcomeOrder = Object.keys(byRecommendation);
  const byStageAndRecommendation = [...pairs.values()].sort(
    (a, b) =>
      stageOrder.indexOf(a.stage) - stageOrder.indexOf(b.stage) ||
      outcomeOrder.indexOf(a.recommendation) - outcomeOrder.indexOf(b.recommendation),
  );
  return { byStage, byRecommendation, byStageAndRecommendation };
}

function ratios(rows: OutcomeView[]) {
  const outcomes = (category: (r: OutcomeView) => string): Outcome[] =>
    rows.map((r) => ({
      category: category(r),
      evaluated: r.evaluated,
      selected: r.scored && isSelected(r.recommendation),
      score: r.scored ? r.score : null,
    }));
  // The intersection lists the pairs that occur (all 36 would be mostly zeros), in vocabulary order.
  const sexes = [...SEX_CATEGORIES, UNKNOWN] as string[];
  const races = [...RACE_ETHNICITY_CATEGORIES, UNKNOWN] as string[];
  const pairKey = (r: OutcomeView) => `${r.sex}/${r.raceEthnicity}`;
  const present = new Set(rows.map(pairKey));
  const pairs = sexes.flatMap((s) => races.map((e) => ({ sex: s, raceEthnicity: e, key: `${s}/${e}` })));
  const occurring = pairs.filter((p) => present.has(p.key));
  const intersectional = impactRatios(
    outcomes(pairKey),
    occurring.map((p) => p.key),
    (key) => key.split('/').includes(UNKNOWN),
  ).map((entry, i) => ({ ...entry, sex: occurring[i]!.sex, raceEthnicity: occurring[i]!.raceEthnicity }));
  return {
    medianScore: medianScore(outcomes(() => '')),
    sex: impactRatios(
      outcomes((r) => r.sex),
      sexes,
    ),
    raceEthnicity: impactRatios(
      outcomes((r) => r.raceEthnicity),
      races,
    ),
    intersectional,
  };
}

export function reportRoutes(app: App) {
  const r = new Hono<AppEnv>().use(requireHr(app));

  async function load(c: Context<AppEnv>) {
    const organizationId = c.get('hr').organizationId;
    const filters = readFilters(c);
    // Another organization's job is a 404, as everywhere else, not an empty report.
    if (filters.query.jobId && !(await getJob(app.deps.db, organizationId, filters.query.jobId))) throw notFound('Job');
    const rows = (await outcomeRows(app.deps.db, organizationId, filters.query)).map(outcomeView);
    return { organizationId, generatedAt: new Date(app.deps.now()).toISOString(), filters: filters.echo, rows };
  }

  r.get('/outcomes', async (c) => {
    const report = await load(c);
    return c.json({ ...report, summary: summarise(report.rows), impactRatios: ratios(report.rows) });
  });

  r.get('/outcomes.csv', async (c) => {
    const report = await load(c);
    const day = report.generatedAt.slice(0, 10);
    return c.body(
      toCsv(
        COLUMNS,
        report.rows.map((row) => COLUMNS.map((k) => row[k])),
      ),
      200,
      {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="outcomes-${day}.csv"`,
      },
    );
  });

  return r;
}
