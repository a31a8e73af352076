import { describe, expect, it } from 'vitest';
import { medianInterval } from '../../../scripts/support/median-interval.ts';

describe('the confidence interval of a median (bench figures)', () => {
  it('takes the order statistics the binomial distribution gives for the sample size', () => {
    const thirty = Array.from({ length: 30 }, (_, i) => 30 - i); // 30, 29, …, 1: order does not matter
    // For n = 30, P(X ≤ 9) = 0.0214 for X ~ Bin(30, ½), so the 10th smallest and the 10th largest.
    expect(medianInterval(thirty)).toEqual([10, 21]);
    // For n = 10, P(X ≤ 1) = 0.0107 and P(X ≤ 2) = 0.0547: the 2nd smallest and the 2nd largest.
    expect(medianInterval(Array.from({ length: 10 }, (_, i) => i + 1))).toEqual([2, 9]);
    // For n = 6, only the extremes: P(X = 0) = 1/64, and 2/64 ≤ 0.05.
    expect(medianInterval([5, 1, 4, 2, 6, 3])).toEqual([1, 6]);
  });

  it('gives none where no pair of order statistics reaches 95 %', () => {
    expect(medianInterval([1, 2, 3, 4, 5])).toBeNull();
    expect(medianInterval([])).toBeNull();
  });
});
