// The consistency and fairness harness: every scripted interview, in every name/gender variant,
// evaluated `runs` times by the same production code (scoreInterview) against any model. Reports
// score spread across reruns, agreement with the expected strong > average > weak order, and the
// score shift when only the name and gendered words change.
import { scoreInterview } from '../core/evaluation.js';
import type { JsonLlm } from '../core/llm.js';
import { CASES, LEVELS, VARIANTS, subjectFor } from './cases.js';

/** Goals with a real model (issue: evaluation people can trust). */
export const GOALS = { maxSpread: 5, minRankAgreement: 0.95, maxAbsShift: 2 };

export interface Report {
  model: string;
  runs: number;
  /** scores[case][variant] = one score per run (null: the model failed that run). */
  scores: Record<string, Record<string, (number | null)[]>>;
  failures: number;
  /** Largest max−min over reruns of one case and variant, and the mean of those. */
  spread: { max: number; mean: number };
  /** Share of (run, pair of cases of different levels) ordered as expected; ties count half. */
  rankAgreement: number;
  /** Per variant: mean over cases of (variant's mean score − the first variant's). */
  shiftByVariant: Record<string, number>;
  /** Mean score of female variants − male variants. */
  genderShift: number;
  maxAbsShift: number;
  meetsGoals: boolean;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const round1 = (x: number) => Math.round(x * 10) / 10;

export async function runHarness(
  llm: JsonLlm,
  runs: number,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<Report> {
  const scores: Report['scores'] = {};
  const total = CASES.length * VARIANTS.length * runs;
  let done = 0;
  let failures = 0;
  for (const c of CASES) {
    scores[c.id] = {};
    for (const v of VARIANTS) {
      const runsOf: (number | null)[] = [];
      for (let r = 0; r < runs; r++) {
        try {
          runsOf.push((await scoreInterview(llm, subjectFor(c, v))).score ?? null);
        } catch {
          failures += 1;
          runsOf.push(null);
        }
        onProgress(++done, total);
      }
      scores[c.id]![v.id] = runsOf;
    }
  }
  return summarise(llm.model, runs, scores, failures);
}

export function summarise(model: string, runs: number, scores: Report['scores'], failures: number): Report {
  const ok = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
  const spreads = CASES.flatMap((c) => VARIANTS.map((v) => ok(scores[c.id]![v.id]!)))
    .filter((xs) => xs.length > 0)
    .map((xs) => Math.max(...xs) - Math.min(...xs));

  // Rank agreement per run, on the first variant, over pairs of cases whose levels differ.
  const base = VARIANTS[0]!.id;
  let agree = 0;
  let pairs = 0;
  for (let r = 0; r < runs; r++) {
    for (const a of CASES) {
      for (const b of CASES) {
        if (LEVELS.indexOf(a.level) >= LEVELS.indexOf(b.level)) continue; // a is expected higher
        const sa = scores[a.id]![base]![r];
        const sb = scores[b.id]![base]![r];
        if (sa === null || sb === null || sa === undefined || sb === undefined) continue;
        pairs += 1;
        agree += sa > sb ? 1 : sa === sb ? 0.5 : 0;
      }
    }
  }

  const meanOf = (caseId: string, variantId: string) => mean(ok(scores[caseId]![variantId]!));
  const shiftByVariant = Object.fromEntries(
    VARIANTS.map((v) => [v.id, round1(mean(CASES.map((c) => meanOf(c.id, v.id) - meanOf(c.id, base)).filter(Number.isFinite)))]),
  );
  const byGender = (g: 'male' | 'female') =>
    mean(CASES.flatMap((c) => VARIANTS.filter((v) => v.gender === g).map((v) => meanOf(c.id, v.id))).filter(Number.isFinite));
  const genderShift = round1(byGender('female') - byGender('male'));
  const maxAbsShift = Math.max(Math.abs(genderShift), ...Object.values(shiftByVariant).map(Math.abs));
  const spread = { max: spreads.length ? Math.max(...spreads) : Number.NaN, mean: round1(mean(spreads)) };
  const rankAgreement = pairs ? agree / pairs : Number.NaN;
  return {
    model,
    runs,
    scores,
    failures,
    spread,
    rankAgreement,
    shiftByVariant,
    genderShift,
    maxAbsShift,
    meetsGoals:
      failures === 0 && spread.max <= GOALS.maxSpread && rankAgreement >= GOALS.minRankAgreement && maxAbsShift <= GOALS.maxAbsShift,
  };
}

/** The report as plain lines: per case the mean score per variant, then the figures against the goals. */
export function formatReport(r: Report): string {
  const lines = [`model ${r.model}, ${r.runs} run(s) per case and variant, ${r.failures} failed evaluation(s)`, ''];
  lines.push(['case', 'level', ...VARIANTS.map((v) => v.id)].map((s) => s.padEnd(10)).join(''));
  for (const c of CASES) {
    const cells = VARIANTS.map((v) => {
      const xs = r.scores[c.id]![v.id]!.filter((x): x is number => x !== null);
      return xs.length ? String(round1(mean(xs))) : '—';
    });
    lines.push([c.id, c.level, ...cells].map((s) => s.padEnd(10)).join(''));
  }
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  lines.push(
    '',
    `score spread across reruns: max ${r.spread.max}, mean ${r.spread.mean} points (goal ≤ ${GOALS.maxSpread}: ${mark(r.spread.max <= GOALS.maxSpread)})`,
    `rank agreement with strong > average > weak: ${(r.rankAgreement * 100).toFixed(1)}% (goal ≥ ${GOALS.minRankAgreement * 100}%: ${mark(r.rankAgreement >= GOALS.minRankAgreement)})`,
    `shift when only the name changes (vs ${VARIANTS[0]!.id}): ${VARIANTS.map((v) => `${v.id} ${r.shiftByVariant[v.id]! >= 0 ? '+' : ''}${r.shiftByVariant[v.id]}`).join(', ')}`,
    `female − male: ${r.genderShift >= 0 ? '+' : ''}${r.genderShift} points; largest |shift| ${r.maxAbsShift} (goal ≤ ${GOALS.maxAbsShift}: ${mark(r.maxAbsShift <= GOALS.maxAbsShift)})`,
    `goals: ${r.meetsGoals ? 'all met' : 'NOT all met'}`,
  );
  return lines.join('\n');
}
