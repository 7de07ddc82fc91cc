import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packBatch, planBatches } from '../../src/core/batching.ts';
import { bucketFor, bucketLengths } from '../../src/core/buckets.ts';
import { resolveOptions } from '../../src/options.ts';

describe('bucketLengths', () => {
  it('steps of about 1.5x from 16, multiples of 16, ending at the window', () => {
    // Guards the shapes docs/webgpu-buckets.md measured: a change here changes every WebGPU run's shape.
    expect(bucketLengths(512)).toEqual([16, 32, 48, 80, 128, 192, 288, 432, 512]);
  });

  it('powers of two with growth 2', () => {
    expect(bucketLengths(512, 2)).toEqual([16, 32, 64, 128, 256, 512]);
  });

  it('a window that is not a multiple of 16 is the last bucket itself (no run pads past maxLength)', () => {
    expect(bucketLengths(100)).toEqual([16, 32, 48, 80, 100]);
    expect(bucketLengths(10)).toEqual([10]);
  });

  it('property: ascending, distinct, few (about log1.5 of the window), ending at maxLength', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8192 }), (maxLength) => {
      const b = bucketLengths(maxLength);
      expect(b.at(-1)).toBe(maxLength);
      for (let i = 1; i < b.length; i++) expect(b[i]!).toBeGreaterThan(b[i - 1]!);
      expect(b.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log(Math.max(1, maxLength / 16)) / Math.log(1.5)));
    }));
  });
});

describe('bucketFor', () => {
  it('property: the bucket holds the length, stays within maxLength, and is monotone in the length', () => {
    fc.assert(fc.property(fc.integer({ min: 16, max: 4096 }), fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 4096 }), (maxLength, x, y) => {
      const b = bucketLengths(maxLength);
      const [a, c] = [Math.min(x, y, maxLength), Math.min(Math.max(x, y), maxLength)];
      expect(bucketFor(a, b)).toBeGreaterThanOrEqual(a);
      expect(bucketFor(c, b)).toBeLessThanOrEqual(maxLength);
      expect(bucketFor(a, b)).toBeLessThanOrEqual(bucketFor(c, b));
      // Few distinct padded widths, whatever the lengths: what lets ORT reuse its pipelines.
      expect(b).toContain(bucketFor(a, b));
    }));
  });

  it('a length past the last bucket keeps its own width (never truncates)', () => {
    expect(bucketFor(600, bucketLengths(512))).toBe(600);
  });
});

describe('bucketed runs', () => {
  it('packBatch pads to the bucket with the pad id, mask 0 and token type 0', () => {
    const p = packBatch([{ ids: [5, 6, 7], typeIds: [0, 1, 1] }, { ids: [8], typeIds: [0] }], 3, (n) => bucketFor(n, [4, 8]));
    expect(p.seqLen).toBe(4);
    expect([...p.inputIds]).toEqual([5n, 6n, 7n, 3n, 8n, 3n, 3n, 3n]);
    expect([...p.attentionMask]).toEqual([1n, 1n, 1n, 0n, 1n, 0n, 0n, 0n]);
    expect([...p.tokenTypeIds]).toEqual([0n, 1n, 1n, 0n, 0n, 0n, 0n, 0n]);
    expect(p.realTokens).toBe(4);
  });

  it('planBatches counts the padded (bucket) width against the token budget', () => {
    // Exact widths 100 fit three runs of 100 in 300 tokens; bucketed to 128 only two fit.
    expect(planBatches([100, 100, 100], 16, 300)).toEqual([[0, 1, 2]]);
    expect(planBatches([100, 100, 100], 16, 300, (n) => bucketFor(n, bucketLengths(512)))).toEqual([[0, 1], [2]]);
  });

  it('property: bucketed plans keep every run within the budget at its padded width', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 512 }), { maxLength: 200 }), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 512, max: 8192 }), (lengths, maxBatch, budget) => {
      const buckets = bucketLengths(512);
      const batches = planBatches(lengths, maxBatch, budget, (n) => bucketFor(n, buckets));
      expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
      for (const run of batches) {
        const width = bucketFor(Math.max(...run.map((i) => lengths[i]!)), buckets);
        expect(run.length === 1 || run.length * width <= budget).toBe(true);
      }
    }));
  });
});

describe('webgpuShapes option', () => {
  it("defaults to 'exact' (buckets did not win on SwiftShader, docs/webgpu-buckets.md) and rejects unknown values", () => {
    expect(resolveOptions({}).webgpuShapes).toBe('exact');
    expect(resolveOptions({ webgpuShapes: 'buckets' }).webgpuShapes).toBe('buckets');
    expect(() => resolveOptions({ webgpuShapes: 'pow2' as 'exact' })).toThrow(/webgpuShapes must be 'exact' or 'buckets'/);
  });
});
