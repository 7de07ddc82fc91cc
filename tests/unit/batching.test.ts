import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packBatch, planBatches } from '../../src/core/batching.ts';

describe('planBatches', () => {
  it('groups similar lengths so padding stays small', () => {
    expect(planBatches([100, 5, 90, 6], 2, 10_000)).toEqual([[1, 3], [2, 0]]);
  });

  it('one document per run when maxBatch is 1 (dynamic int8: no batch-mates, no padding)', () => {
    expect(planBatches([3, 1, 2], 1, 10_000)).toEqual([[1], [2], [0]]);
  });

  it('starts a new run when the padded tokens would pass the budget', () => {
    expect(planBatches([100, 100, 100], 16, 250)).toEqual([[0, 1], [2]]);
  });

  it('property: every document in exactly one run, runs within maxBatch and the token budget', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 512 }), { maxLength: 200 }), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 512, max: 8192 }), (lengths, maxBatch, budget) => {
        const batches = planBatches(lengths, maxBatch, budget);
        expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
        for (const b of batches) {
          expect(b.length).toBeLessThanOrEqual(maxBatch);
          const width = Math.max(...b.map((i) => lengths[i]!));
          expect(b.length === 1 || b.length * width <= budget).toBe(true);
        }
      }),
    );
  });
});

describe('packBatch', () => {
  it('right-pads with the pad id and masks the padding', () => {
    const p = packBatch([{ ids: [1, 2, 3], typeIds: [0, 0, 1] }, { ids: [4], typeIds: [0] }], 0);
    expect(p.seqLen).toBe(3);
    expect([...p.inputIds]).toEqual([1n, 2n, 3n, 4n, 0n, 0n]);
    expect([...p.attentionMask]).toEqual([1n, 1n, 1n, 1n, 0n, 0n]);
    expect([...p.tokenTypeIds]).toEqual([0n, 0n, 1n, 0n, 0n, 0n]);
    expect(p.realTokens).toBe(4);
  });
});
