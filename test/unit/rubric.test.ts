// The scoring rule of core/rubric.ts: weighted mean in code, thresholds, must-haves flagged only.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RUBRIC,
  MUST_HAVE_MIN_SCORE,
  RECOMMENDATION_THRESHOLDS,
  recommendationFor,
  rubricSchema,
  scoreAgainstRubric,
  type Rubric,
} from '../../core/rubric.js';

const quote = [{ ref: 2, quote: 'I tuned the index.' }];
const rubric: Rubric = [
  { name: 'Postgres', description: '', weight: 3, mustHave: true },
  { name: 'Communication', description: '', weight: 1, mustHave: false },
];

describe('recommendationFor', () => {
  it.each([
    [100, 'Strong Yes'],
    [85, 'Strong Yes'],
    [84, 'Yes'],
    [70, 'Yes'],
    [69, 'Maybe'],
    [50, 'Maybe'],
    [49, 'No'],
    [0, 'No'],
  ])('%i → %s', (score, recommendation) => expect(recommendationFor(score)).toBe(recommendation));
});

describe('scoreAgainstRubric', () => {
  it('takes the weighted mean, rounded', () => {
    // (3 × 81 + 1 × 60) / 4 = 75.75 → 76
    const r = scoreAgainstRubric(rubric, [
      { name: 'Postgres', score: 81, evidence: quote },
      { name: 'Communication', score: 60, evidence: [] },
    ]);
    expect(r).toMatchObject({ score: 76, recommendation: 'Yes', mustHavesUnmet: [] });
    expect(r.criteria.map((c) => [c.name, c.weight, c.score, c.assessed, c.met])).toEqual([
      ['Postgres', 3, 81, true, true],
      ['Communication', 1, 60, true, null],
    ]);
  });

  it('gives equal weights the plain mean', () => {
    const r = scoreAgainstRubric(
      DEFAULT_RUBRIC,
      DEFAULT_RUBRIC.map((c, i) => ({ name: c.name, score: [90, 80, 70, 60][i]!, evidence: [] })),
    );
    expect(r.score).toBe(75);
  });

  it('matches names without regard to case or spaces, and keeps the first of a repeated criterion', () => {
    const r = scoreAgainstRubric(rubric, [
      { name: ' postgres ', score: 40, evidence: quote },
      { name: 'POSTGRES', score: 100, evidence: quote },
      { name: 'communication', score: 40, evidence: [] },
    ]);
    expect(r.criteria.map((c) => [c.name, c.score])).toEqual([
      ['Postgres', 40],
      ['Communication', 40],
    ]);
  });

  it('counts a criterion left out as 0, not assessed', () => {
    const r = scoreAgainstRubric(rubric, [{ name: 'Communication', score: 100, evidence: [] }]);
    expect(r.score).toBe(25);
    expect(r.criteria[0]).toMatchObject({ name: 'Postgres', score: 0, assessed: false, met: false });
  });

  it('flags a must-have below the bar or without a quote, and never changes the recommendation for it', () => {
    const high = (score: number, evidence = quote) =>
      scoreAgainstRubric(rubric, [
        { name: 'Postgres', score, evidence },
        { name: 'Communication', score: 100, evidence: [] },
      ]);
    expect(high(MUST_HAVE_MIN_SCORE).mustHavesUnmet).toEqual([]);
    expect(high(MUST_HAVE_MIN_SCORE - 1).mustHavesUnmet).toEqual(['Postgres']);
    const noQuote = high(100, []);
    expect(noQuote).toMatchObject({ score: 100, recommendation: 'Strong Yes', mustHavesUnmet: ['Postgres'] });
  });
});

describe('rubricSchema', () => {
  it('fills defaults and refuses duplicate names', () => {
    expect(rubricSchema.parse([{ name: 'A', weight: 1 }])).toEqual([{ name: 'A', description: '', weight: 1, mustHave: false }]);
    expect(
      rubricSchema.safeParse([
        { name: 'A', weight: 1 },
        { name: 'a', weight: 2 },
      ]).success,
    ).toBe(false);
  });
});

describe('the README', () => {
  it('documents the rule the code applies', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const t of RECOMMENDATION_THRESHOLDS) expect(readme).toContain(`| ${t.atLeast} and above | ${t.recommendation} |`);
    expect(readme).toContain(`| below ${RECOMMENDATION_THRESHOLDS.at(-1)!.atLeast} | No |`);
    expect(readme).toContain(`a must-have is met at a criterion score of ${MUST_HAVE_MIN_SCORE} or more`);
  });
});
