// HR's rubric and the scoring rule. The model only scores each criterion and quotes the transcript;
// the overall score, the recommendation and the must-have flags are computed here, in code, so the
// same criterion scores always give the same result and the rule can be read (README: "How an
// interview is scored").
import { z } from 'zod';

export const RECOMMENDATIONS = ['Strong Yes', 'Yes', 'Maybe', 'No'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

/** The lowest overall score for each recommendation, best first; below the last: "No". */
export const RECOMMENDATION_THRESHOLDS: readonly { recommendation: Recommendation; atLeast: number }[] = [
  { recommendation: 'Strong Yes', atLeast: 85 },
  { recommendation: 'Yes', atLeast: 70 },
  { recommendation: 'Maybe', atLeast: 50 },
];

/** A must-have counts as met at this criterion score or above, with at least one verified quote. */
export const MUST_HAVE_MIN_SCORE = 60;

export const criterionSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().max(500).default(''),
  weight: z.number().int().min(1).max(100),
  mustHave: z.boolean().default(false),
});
export type RubricCriterion = z.output<typeof criterionSchema>;

export const rubricSchema = z
  .array(criterionSchema)
  .min(1)
  .max(10)
  .refine((r) => new Set(r.map((c) => c.name.toLowerCase())).size === r.length, 'criterion names must be unique');
export type Rubric = RubricCriterion[];

/** Used when a job has no rubric of its own. */
export const DEFAULT_RUBRIC: Rubric = [
  { name: 'Relevant experience', description: 'Experience that matches what the job description asks for.', weight: 25, mustHave: false },
  { name: 'Technical depth', description: 'Understanding of the tools, methods and trade-offs of the field.', weight: 25, mustHave: false },
  { name: 'Communication', description: 'Clear, structured, concrete answers.', weight: 25, mustHave: false },
  { name: 'Problem solving', description: 'How the candidate reasons through problems and decisions.', weight: 25, mustHave: false },
];

/** The rubric's criterion names as an enum, for the schemas the model answers in. */
export const criterionName = (rubric: Rubric) => z.enum(rubric.map((c) => c.name) as [string, ...string[]]);

export const rubricOf = (stored: Rubric | null | undefined): Rubric => (stored && stored.length > 0 ? stored : DEFAULT_RUBRIC);

export interface EvidenceQuote {
  /** Transcript turn seq (voice) or question position (text mode) the quote comes from. */
  ref: number;
  quote: string;
}

/** What the model gives per criterion, after its quotes were checked against the transcript. */
export interface CriterionAssessment {
  name: string;
  score: number;
  evidence: EvidenceQuote[];
}

/** One criterion as stored: the rubric entry it was scored against, with the result. */
export interface CriterionScore extends RubricCriterion, CriterionAssessment {
  /** false when the model gave no score for it: it then counts as 0. */
  assessed: boolean;
  /** Only for must-haves: score ≥ MUST_HAVE_MIN_SCORE and at least one verified quote. */
  met: boolean | null;
}

export interface Scored {
  score: number;
  recommendation: Recommendation;
  criteria: CriterionScore[];
  /** Must-haves not met: flagged for a human to decide, never an automatic rejection. */
  mustHavesUnmet: string[];
}

/** Must-haves not met: flagged for a person, never an automatic rejection. */
export const unmetMustHaves = (criteria: CriterionScore[]) => criteria.filter((c) => c.met === false).map((c) => c.name);

export function recommendationFor(score: number): Recommendation {
  return RECOMMENDATION_THRESHOLDS.find((t) => score >= t.atLeast)?.recommendation ?? 'No';
}

/**
 * The rule: each rubric criterion takes the model's score for it (0 when the model gave none), the
 * overall score is the weighted mean rounded to a whole number, and the recommendation follows from
 * it by RECOMMENDATION_THRESHOLDS. Must-haves below the bar are listed, and change nothing else.
 */
export function scoreAgainstRubric(rubric: Rubric, assessments: CriterionAssessment[]): Scored {
  // A criterion the model answered twice counts once: its first answer.
  const byName = new Map<string, CriterionAssessment>();
  for (const a of assessments) if (!byName.has(a.name.trim().toLowerCase())) byName.set(a.name.trim().toLowerCase(), a);
  const criteria = rubric.map((c): CriterionScore => {
    const a = byName.get(c.name.toLowerCase());
    const score = a?.score ?? 0;
    const evidence = a?.evidence ?? [];
    return {
      ...c,
      score,
      evidence,
      assessed: a !== undefined,
      met: c.mustHave ? score >= MUST_HAVE_MIN_SCORE && evidence.length > 0 : null,
    };
  });
  const totalWeight = criteria.reduce((sum, c) => sum + c.weight, 0);
  const score = Math.round(criteria.reduce((sum, c) => sum + c.weight * c.score, 0) / totalWeight);
  return {
    score,
    recommendation: recommendationFor(score),
    criteria,
    mustHavesUnmet: unmetMustHaves(criteria),
  };
}
