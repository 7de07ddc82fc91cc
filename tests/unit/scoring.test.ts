import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logitsToScores, rankIndices, sigmoid } from '../../src/core/scoring.ts';

describe('calibration', () => {
  it('sigmoid of a single-logit head', () => {
    expect(logitsToScores([0, 2, -2], 3, 1)).toEqual([0.5, sigmoid(2), sigmoid(-2)]);
    expect(sigmoid(2)).toBeCloseTo(0.880797, 6);
  });

  it('softmax of the positive (second) class of a two-label head', () => {
    const [s] = logitsToScores([1, 3], 1, 2);
    expect(s).toBeCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(3)), 12);
  });

  it('does not overflow on extreme logits', () => {
    expect(logitsToScores([1000, -1000], 2, 1)).toEqual([1, 0]);
  });

  it('rejects heads that are not rerankers and mismatched shapes', () => {
    expect(() => logitsToScores([1, 2, 3], 1, 3)).toThrow(RangeError);
    expect(() => logitsToScores([1, 2, 3], 2, 1)).toThrow(RangeError);
  });

  it('property: scores lie in [0, 1] and keep the order of the logits', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 2 }), (logits) => {
        const s = logitsToScores(logits, logits.length, 1);
        for (let i = 0; i < s.length; i++) {
          expect(s[i]).toBeGreaterThanOrEqual(0);
          expect(s[i]).toBeLessThanOrEqual(1);
          for (let j = 0; j < s.length; j++) if (logits[i]! > logits[j]! + 1e-9) expect(s[i]).toBeGreaterThanOrEqual(s[j]!);
        }
      }),
    );
  });
});

describe('rankIndices', () => {
  it('best first; ties keep input order so a ranking never flickers between runs', () => {
    // Documents 1 and 3 tie: 1 came first in the input, so it ranks first.
    expect(rankIndices([0.1, 0.9, 0.5, 0.9])).toEqual([1, 3, 2, 0]);
  });

  it('topK keeps the best K', () => {
    expect(rankIndices([0.1, 0.9, 0.5], 2)).toEqual([1, 2]);
  });

  it('property: a permutation, sorted by score, and topK is its prefix', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true })), fc.integer({ min: 0, max: 50 }), (scores, k) => {
        const all = rankIndices(scores);
        expect([...all].sort((a, b) => a - b)).toEqual(scores.map((_, i) => i));
        for (let i = 1; i < all.length; i++) expect(scores[all[i - 1]!]!).toBeGreaterThanOrEqual(scores[all[i]!]!);
        expect(rankIndices(scores, k)).toEqual(all.slice(0, k));
      }),
    );
  });
});
