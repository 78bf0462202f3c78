// The one percentile every benchmark reports with: nearest rank, so a figure is a value that was
// measured; NaN rather than a throw for an empty run, so a report still prints.
import { describe, expect, it } from 'vitest';
import { median, percentile, summarise } from '../../testkit/stats.js';

describe('testkit stats', () => {
  it('percentile is the nearest rank, never an interpolation', () => {
    const xs = [15, 20, 35, 40, 50];
    expect(percentile(xs, 5)).toBe(15);
    expect(percentile(xs, 30)).toBe(20);
    expect(percentile(xs, 40)).toBe(20);
    expect(percentile(xs, 50)).toBe(35);
    expect(percentile(xs, 100)).toBe(50);
    expect(percentile([3, 1, 2], 95)).toBe(3);
  });

  it('median takes the mean of the middle two of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('an empty run gives NaN everywhere and n = 0', () => {
    expect(percentile([], 95)).toBeNaN();
    expect(summarise([])).toEqual({ n: 0, p50: NaN, p95: NaN, max: NaN, min: NaN });
    expect(summarise([5, 1, 9])).toEqual({ n: 3, p50: 5, p95: 9, max: 9, min: 1 });
  });
});
