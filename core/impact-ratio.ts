// Impact ratios for a NYC Local Law 144 bias audit of the AI evaluation, computed from the
// outcomes export's rows. Pure: the route gathers the rows, this does the arithmetic.
//
// The rule, per category (of sex, of race/ethnicity, and of the two intersected):
//  - n: the category's interviews that have an evaluation, i.e. that the tool decided on. Interviews
//    without one (not taken, abandoned before the end, evaluation pending) are counted in
//    `interviews` but in no rate: the tool did not assess them.
//  - selection rate: selected / n, where selected means a recommendation of Strong Yes or Yes
//    ("not scored" counts as not selected). Selection impact ratio: the rate over the highest
//    selection rate of any category.
//  - scoring rate (LL144's measure for tools that score): of the category's scored interviews, the
//    share scoring above (strictly) the median score of every scored interview in the export.
//    Scoring impact ratio: that rate over the highest scoring rate of any category.
//  - "unknown" (nothing supplied) is reported with its own counts, rates and ratios, but never sets
//    the highest rate the others are divided by: an unknown group is not one to compare against.
//    In the intersection, a pair is unknown when either half is.
//  - smallSample: the category holds fewer than 2% of n across all categories (unknown included).
//    LL144 lets the auditor leave such categories out; we flag them and never drop them.
//  - a rate with nothing to divide (n = 0), and a ratio whose highest rate is 0 or missing, is null.
import { UNKNOWN } from './demographics.js';

export const SELECTED_RECOMMENDATIONS: readonly string[] = ['Strong Yes', 'Yes'];
export const SMALL_SAMPLE_SHARE = 0.02;

export interface Outcome {
  category: string;
  evaluated: boolean;
  /** Recommended Strong Yes or Yes (see isSelected). */
  selected: boolean;
  /** The score when the evaluation scored the interview, else null. */
  score: number | null;
}

export interface CategoryImpact {
  category: string;
  interviews: number;
  n: number;
  selected: number;
  selectionRate: number | null;
  selectionImpactRatio: number | null;
  scored: number;
  scoredAboveMedian: number;
  scoringRate: number | null;
  scoringImpactRatio: number | null;
  smallSample: boolean;
}

export const isSelected = (recommendation: string | null) => recommendation !== null && SELECTED_RECOMMENDATIONS.includes(recommendation);

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of every scored outcome: the line the scoring rate counts above. */
export const medianScore = (outcomes: readonly Outcome[]) => median(outcomes.flatMap((o) => (o.score === null ? [] : [o.score])));

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function highest(rates: (number | null)[]): number | null {
  const known = rates.filter((r): r is number => r !== null);
  return known.length === 0 ? null : Math.max(...known);
}

const ratio = (r: number | null, top: number | null) => (r === null || top === null || top === 0 ? null : r / top);

/**
 * One entry per category in `categories`, in that order (a category with no outcomes gets zeros and
 * nulls). `isUnknown` says which categories never set the highest rate.
 */
export function impactRatios(
  outcomes: readonly Outcome[],
  categories: readonly string[],
  isUnknown: (category: string) => boolean = (c) => c === UNKNOWN,
): CategoryImpact[] {
  const line = medianScore(outcomes);
  const totalN = outcomes.filter((o) => o.evaluated).length;
  const counts = categories.map((category) => {
    const mine = outcomes.filter((o) => o.category === category);
    const evaluated = mine.filter((o) => o.evaluated);
    const scores = mine.flatMap((o) => (o.score === null ? [] : [o.score]));
    const n = evaluated.length;
    const selected = evaluated.filter((o) => o.selected).length;
    const scoredAboveMedian = line === null ? 0 : scores.filter((s) => s > line).length;
    return {
      category,
      interviews: mine.length,
      n,
      selected,
      selectionRate: rate(selected, n),
      scored: scores.length,
      scoredAboveMedian,
      scoringRate: rate(scoredAboveMedian, scores.length),
      smallSample: totalN === 0 || n / totalN < SMALL_SAMPLE_SHARE,
    };
  });
  const benchmark = counts.filter((c) => !isUnknown(c.category));
  const topSelection = highest(benchmark.map((c) => c.selectionRate));
  const topScoring = highest(benchmark.map((c) => c.scoringRate));
  return counts.map((c) => ({
    category: c.category,
    interviews: c.interviews,
    n: c.n,
    selected: c.selected,
    selectionRate: c.selectionRate,
    selectionImpactRatio: ratio(c.selectionRate, topSelection),
    scored: c.scored,
    scoredAboveMedian: c.scoredAboveMedian,
    scoringRate: c.scoringRate,
    scoringImpactRatio: ratio(c.scoringRate, topScoring),
    smallSample: c.smallSample,
  }));
}
