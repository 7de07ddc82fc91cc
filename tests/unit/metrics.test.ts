import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dcg, mean, ndcgAtK } from '../../src/core/metrics.ts';

describe('nDCG@k', () => {
  const qrels = new Map([['a', 1], ['b', 2]]);

  it('is 1 for the ideal order and lower otherwise', () => {
    expect(ndcgAtK(['b', 'a', 'x'], qrels)).toBeCloseTo(1, 12);
    expect(ndcgAtK(['a', 'b', 'x'], qrels)!).toBeLessThan(1);
    expect(ndcgAtK(['x', 'y'], qrels)).toBe(0);
  });

  it('matches a hand computation', () => {
    // ranked: x(0), a(1), b(2) -> DCG = 1/log2(3) + 2/log2(4); ideal: 2/1 + 1/log2(3)
    const expected = (1 / Math.log2(3) + 2 / 2) / (2 + 1 / Math.log2(3));
    expect(ndcgAtK(['x', 'a', 'b'], qrels)).toBeCloseTo(expected, 12);
  });

  it('penalises relevant documents the first stage never retrieved', () => {
    expect(ndcgAtK(['b'], qrels)!).toBeLessThan(1);
  });

  it('counts only the first k positions', () => {
    expect(ndcgAtK(['x', 'y', 'b'], qrels, 2)).toBe(0);
  });

  it('is null for a query without relevant documents, and mean skips it', () => {
    expect(ndcgAtK(['a'], new Map())).toBeNull();
    expect(mean([0.5, null, 1])).toBe(0.75);
    expect(mean([null])).toBeNull();
  });

  it('property: within [0, 1], and sorting by grade never lowers it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 30 }), (grades) => {
        const ids = grades.map((_, i) => `d${i}`);
        const q = new Map(ids.map((id, i) => [id, grades[i]!]));
        const v = ndcgAtK(ids, q);
        if (v === null) return;
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1 + 1e-12);
        const sorted = [...ids].sort((a, b) => q.get(b)! - q.get(a)!);
        expect(ndcgAtK(sorted, q)!).toBeGreaterThanOrEqual(v - 1e-12);
        expect(dcg([], 10)).toBe(0);
      }),
    );
  });
});
