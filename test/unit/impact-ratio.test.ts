// The LL144 arithmetic: selection and scoring rates, impact ratios against the highest known
// category, "unknown" kept out of that benchmark, and the 2% small-sample flag.
import { describe, expect, it } from 'vitest';
import { impactRatios, isSelected, median, medianScore, type Outcome } from '../../core/impact-ratio.js';

/** `n` outcomes of one category: how many selected, and the scores (null: not scored). */
function group(category: string, scores: (number | null)[], selected: number, notEvaluated = 0): Outcome[] {
  return [
    ...scores.map((score, i) => ({ category, evaluated: true, selected: i < selected, score })),
    ...Array.from({ length: notEvaluated }, () => ({ category, evaluated: false, selected: false, score: null })),
  ];
}

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones; null when empty', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([90, 10, 50])).toBe(50);
    expect(median([40, 10, 30, 20])).toBe(25);
    expect(median([5, 5, 5, 5])).toBe(5);
  });

  it('of the export counts scored outcomes only', () => {
    expect(medianScore([...group('a', [10, 20, null], 0, 3), ...group('b', [30], 0)])).toBe(20);
  });
});

describe('isSelected', () => {
  it('is Strong Yes or Yes only', () => {
    expect(['Strong Yes', 'Yes', 'Maybe', 'No', 'yes', '', null].map(isSelected)).toEqual([true, true, false, false, false, false, false]);
  });
});

describe('impactRatios', () => {
  it('divides each selection rate by the highest one', () => {
    // male 6/10 = 0.6, female 3/10 = 0.3: female's ratio is 0.5.
    const outcomes = [...group('male', Array(10).fill(null), 6), ...group('female', Array(10).fill(null), 3)];
    const [male, female, declined] = impactRatios(outcomes, ['male', 'female', 'declined']);
    expect(male).toMatchObject({ category: 'male', interviews: 10, n: 10, selected: 6, selectionRate: 0.6, selectionImpactRatio: 1 });
    expect(female).toMatchObject({ n: 10, selected: 3, selectionRate: 0.3, selectionImpactRatio: 0.5 });
    // A category nobody is in: zeros and nulls, flagged small, never left out.
    expect(declined).toEqual({
      category: 'declined',
      interviews: 0,
      n: 0,
      selected: 0,
      selectionRate: null,
      selectionImpactRatio: null,
      scored: 0,
      scoredAboveMedian: 0,
      scoringRate: null,
      scoringImpactRatio: null,
      smallSample: true,
    });
  });

  it('counts interviews without an evaluation, but in no rate', () => {
    const [a] = impactRatios(group('a', [null, null, null, null], 1, 6), ['a']);
    expect(a).toMatchObject({ interviews: 10, n: 4, selected: 1, selectionRate: 0.25, selectionImpactRatio: 1 });
  });

  it('scoring rate: the share scoring strictly above the median of every scored interview', () => {
    // All scores: 10 20 30 40 | 50 60 70 80 → median 45.
    const outcomes = [...group('a', [10, 20, 30, 80], 0), ...group('b', [40, 50, 60, 70], 0), ...group('c', [null, null], 0)];
    const [a, b, c] = impactRatios(outcomes, ['a', 'b', 'c']);
    expect(a).toMatchObject({ scored: 4, scoredAboveMedian: 1, scoringRate: 0.25, scoringImpactRatio: 1 / 3 });
    expect(b).toMatchObject({ scored: 4, scoredAboveMedian: 3, scoringRate: 0.75, scoringImpactRatio: 1 });
    // Evaluated but never scored: in n, not in the scoring rate.
    expect(c).toMatchObject({ n: 2, scored: 0, scoringRate: null, scoringImpactRatio: null });
  });

  it('a score equal to the median is not above it', () => {
    const [a, b] = impactRatios([...group('a', [50, 50], 0), ...group('b', [50, 90], 0)], ['a', 'b']);
    // median of 50 50 50 90 = 50
    expect(a).toMatchObject({ scoredAboveMedian: 0, scoringRate: 0, scoringImpactRatio: 0 });
    expect(b).toMatchObject({ scoredAboveMedian: 1, scoringRate: 0.5, scoringImpactRatio: 1 });
  });

  it('unknown has its own counts and ratio but never sets the highest rate', () => {
    const outcomes = [
      ...group('male', Array(10).fill(null), 4),
      ...group('female', Array(10).fill(null), 2),
      ...group('unknown', Array(10).fill(null), 8),
    ];
    const [male, female, unknown] = impactRatios(outcomes, ['male', 'female', 'unknown']);
    expect(male!.selectionImpactRatio).toBe(1);
    expect(female!.selectionImpactRatio).toBe(0.5);
    expect(unknown).toMatchObject({ n: 10, selected: 8, selectionRate: 0.8, selectionImpactRatio: 2 });
  });

  it('takes the unknown test from the caller (an intersection is unknown when either half is)', () => {
    const outcomes = [...group('male/white', [null, null], 1), ...group('male/unknown', [null, null], 2)];
    const rows = impactRatios(outcomes, ['male/white', 'male/unknown'], (c) => c.split('/').includes('unknown'));
    expect(rows.map((r) => r.selectionImpactRatio)).toEqual([1, 2]);
  });

  it('with only unknown, or a highest rate of 0, ratios are null (nothing to divide by)', () => {
    expect(impactRatios(group('unknown', [null], 1), ['unknown'])[0]!.selectionImpactRatio).toBeNull();
    const zero = impactRatios([...group('a', [null], 0), ...group('b', [null], 0)], ['a', 'b']);
    expect(zero.map((r) => [r.selectionRate, r.selectionImpactRatio])).toEqual([
      [0, null],
      [0, null],
    ]);
  });

  it('flags a category under 2% of n (unknown counted in the whole), never drops it', () => {
    // 1 of 51 = 1.96% → small; 2 of 100 = 2% → not small.
    const small = impactRatios([...group('a', Array(50).fill(null), 0), ...group('b', [null], 1)], ['a', 'b']);
    expect(small.map((r) => r.smallSample)).toEqual([false, true]);
    // b is small yet sets the highest rate: it is flagged, not removed.
    expect(small.map((r) => r.selectionImpactRatio)).toEqual([0, 1]);
    const edge = impactRatios(
      [...group('a', Array(49).fill(null), 0), ...group('unknown', Array(49).fill(null), 0), ...group('b', [null, null], 0)],
      ['a', 'b', 'unknown'],
    );
    expect(edge.map((r) => r.smallSample)).toEqual([false, false, false]);
    // Interviews without an evaluation do not count toward the 2%.
    const unevaluated = impactRatios([...group('a', Array(99).fill(null), 0), ...group('b', [null], 0, 50)], ['a', 'b']);
    expect(unevaluated[1]!.smallSample).toBe(true);
  });

  it('with no evaluated interviews at all every category is flagged small', () => {
    expect(impactRatios(group('a', [], 0, 3), ['a'])[0]).toMatchObject({ interviews: 3, n: 0, smallSample: true });
  });
});
