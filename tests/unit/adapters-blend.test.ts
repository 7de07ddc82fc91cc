// The adapters' pure rules (src/adapters/blend.ts, shared.ts): normalisation, blending, threshold, the order of the
// final list, option validation and field text. Properties where a property exists.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrange, blendScores, minMax, rankNormalize, type ArrangeOptions, type FirstStageItem } from '../../src/adapters/blend.ts';
import { resolveAdapterOptions, rerankItems, textFromFields, valueAt } from '../../src/adapters/shared.ts';
import { rankIndices } from '../../src/core/scoring.ts';
import { keywordScorer } from './adapters-support.ts';

const score01 = fc.double({ min: 0, max: 1, noNaN: true });
const anyScore = fc.double({ min: -1e6, max: 1e6, noNaN: true });

/** A first-stage list of n items (fresh objects, so identity is checkable), its relevance sorted best first. */
function firstStage(relevance: readonly number[]): FirstStageItem<{ n: number }>[] {
  const sorted = [...relevance].sort((a, b) => b - a);
  return sorted.map((r, n) => ({ result: { n }, score: r, relevance: r }));
}

/** A list, its reranker scores for some head, and options. */
const scenario = fc
  .record({
    relevance: fc.array(anyScore, { maxLength: 30 }),
    topK: fc.integer({ min: 1, max: 40 }),
    rest: fc.constantFrom('keep' as const, 'drop' as const),
    threshold: fc.option(score01, { nil: null }),
    blend: fc.option(fc.record({ weight: score01, normalize: fc.constantFrom('minmax' as const, 'rank' as const) }), { nil: null }),
    seed: fc.array(score01, { minLength: 40, maxLength: 40 }),
  })
  .map(({ relevance, seed, ...o }) => {
    const items = firstStage(relevance);
    const scores = seed.slice(0, Math.min(o.topK, items.length));
    return { items, scores, o: o satisfies ArrangeOptions };
  });

describe('normalisation', () => {
  it('property: minmax maps into [0, 1], keeps the order, best to 1 and worst to 0', () => {
    fc.assert(fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1 }), (v) => {
      const m = minMax(v);
      for (const x of m) expect(x >= 0 && x <= 1).toBe(true);
      for (let i = 0; i < v.length; i++) for (let j = 0; j < v.length; j++) if (v[i]! < v[j]!) expect(m[i]!).toBeLessThanOrEqual(m[j]!);
      const distinct = new Set(v).size > 1;
      expect(m[v.indexOf(Math.max(...v))]).toBe(1);
      if (distinct) expect(m[v.indexOf(Math.min(...v))]).toBe(0);
    }));
  });

  it('minmax: equal values carry no order and all map to 1; a lone value too', () => {
    expect(minMax([0.3, 0.3, 0.3])).toEqual([1, 1, 1]);
    expect(minMax([42])).toEqual([1]);
    expect(minMax([2, 4, 3])).toEqual([0, 1, 0.5]);
  });

  it('property: rank normalisation is evenly spaced in [0, 1] and ties share a value', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1 }), (v) => {
      const r = rankNormalize(v);
      for (let i = 0; i < v.length; i++) {
        expect(r[i]! >= 0 && r[i]! <= 1).toBe(true);
        for (let j = 0; j < v.length; j++) {
          if (v[i] === v[j]) expect(r[i]).toBe(r[j]);
          if (v[i]! < v[j]!) expect(r[i]!).toBeLessThan(r[j]!);
        }
      }
    }));
    expect(rankNormalize([10, 30, 20])).toEqual([0, 1, 0.5]);
  });
});

describe('blending', () => {
  it('the formula: (1 - w) · minmax(first stage) + w · minmax(reranker)', () => {
    // First stage 10, 6, 2 -> 1, 0.5, 0; reranker 0.2, 0.9, 0.4 -> 0, 1, 2/7. Weight 0.25.
    const b = blendScores([10, 6, 2], [0.2, 0.9, 0.4], { weight: 0.25, normalize: 'minmax' });
    expect(b[0]).toBeCloseTo(0.75, 12);
    expect(b[1]).toBeCloseTo(0.75 * 0.5 + 0.25, 12);
    expect(b[2]).toBeCloseTo(0.25 * (2 / 7), 12);
  });

  it('a missing first-stage score (Fuse without includeScore, a bare array) blends by rank instead', () => {
    expect(blendScores([null, 3, 1], [0.5, 0.5, 0.5], { weight: 0, normalize: 'minmax' })).toEqual([1, 0.5, 0]);
  });

  it('property: blended scores lie in [0, 1]', () => {
    fc.assert(fc.property(scenario, ({ items, scores, o }) => {
      if (!o.blend) return;
      for (const b of blendScores(items.slice(0, scores.length).map((i) => i.relevance), scores, o.blend)) expect(b >= 0 && b <= 1).toBe(true);
    }));
  });

  it('property: weight 0 keeps the first stage order, with either normalisation', () => {
    fc.assert(fc.property(scenario, fc.constantFrom('minmax' as const, 'rank' as const), ({ items, scores, o }, normalize) => {
      const out = arrange(items, scores, { ...o, threshold: null, blend: { weight: 0, normalize } });
      expect(out.map((e) => e.firstStageRank)).toEqual(out.map((_, i) => i));
    }));
  });

  it('property: weight 1 is the reranker order (rankIndices), with either normalisation', () => {
    fc.assert(fc.property(scenario, fc.constantFrom('minmax' as const, 'rank' as const), ({ items, scores, o }, normalize) => {
      const out = arrange(items, scores, { ...o, threshold: null, rest: 'drop', blend: { weight: 1, normalize } });
      expect(out.map((e) => e.firstStageRank)).toEqual(rankIndices(scores));
    }));
  });

  it('weight 0 follows the first stage even when the reranker disagrees everywhere', () => {
    const items = firstStage([3, 2, 1]);
    const out = arrange(items, [0.1, 0.2, 0.3], { topK: 3, rest: 'drop', threshold: null, blend: { weight: 0, normalize: 'minmax' } });
    expect(out.map((e) => e.result)).toEqual(items.map((i) => i.result));
  });
});

describe('arrange', () => {
  it('property: a subset of the input objects, by identity, each once; a permutation with rest keep and no threshold', () => {
    fc.assert(fc.property(scenario, ({ items, scores, o }) => {
      const out = arrange(items, scores, o);
      const inputs = new Set(items.map((i) => i.result));
      const seen = new Set<unknown>();
      for (const e of out) {
        expect(inputs.has(e.result)).toBe(true);
        expect(seen.has(e.result)).toBe(false);
        seen.add(e.result);
        expect(e.result).toBe(items[e.firstStageRank]!.result);
      }
      if (o.rest === 'keep' && o.threshold === null) expect(out.length).toBe(items.length);
      if (o.rest === 'drop') expect(out.length).toBeLessThanOrEqual(Math.min(o.topK, items.length));
    }));
  });

  it('property: the threshold never lets a reranked result below it through, and drops only those', () => {
    fc.assert(fc.property(scenario, score01, ({ items, scores, o }, threshold) => {
      const out = arrange(items, scores, { ...o, threshold });
      const reranked = out.filter((e) => e.score !== null);
      for (const e of reranked) expect(e.score!).toBeGreaterThanOrEqual(threshold);
      expect(reranked.length).toBe(scores.filter((s) => s >= threshold).length);
    }));
  });

  it('property: without blend the head is in reranker order; the rest follows in first-stage order, unscored', () => {
    fc.assert(fc.property(scenario, ({ items, scores, o }) => {
      const out = arrange(items, scores, { ...o, blend: null, threshold: null, rest: 'keep' });
      expect(out.slice(0, scores.length).map((e) => e.firstStageRank)).toEqual(rankIndices(scores));
      const tail = out.slice(scores.length);
      expect(tail.map((e) => e.firstStageRank)).toEqual(items.slice(scores.length).map((_, i) => scores.length + i));
      for (const e of tail) expect(e.score === null && e.blendedScore === undefined).toBe(true);
    }));
  });

  it('the threshold keeps a score equal to it, judges the reranker score (not the blended one), and spares the unscored rest', () => {
    const items = firstStage([9, 5, 1]);
    const o = { topK: 2, rest: 'keep', threshold: 0.5, blend: { weight: 0.1, normalize: 'minmax' } } as const;
    // Item 0 is first by the blend (its first-stage score dominates) but its reranker score 0.2 is below 0.5.
    const out = arrange(items, [0.2, 0.5], o);
    expect(out.map((e) => e.firstStageRank)).toEqual([1, 2]);
    expect(out[1]!.score).toBeNull();
  });

  it('reports the first stage score and rank, and the blended score only when blending', () => {
    const items = firstStage([9, 5]);
    const [top] = arrange(items, [0.2, 0.8], { topK: 2, rest: 'keep', threshold: null, blend: null });
    expect(top).toEqual({ result: items[1]!.result, score: 0.8, firstStageScore: 5, firstStageRank: 1 });
    const [b] = arrange(items, [0.2, 0.8], { topK: 2, rest: 'keep', threshold: null, blend: { weight: 0.5, normalize: 'minmax' } });
    expect(b!.blendedScore).toBe(0.5); // both 0.5: first stage 1 · 0.5 + 0 for one, 0 + 1 · 0.5 for the other; tie to the reranker
    expect(b!.result).toBe(items[1]!.result);
  });

  it('refuses a score count that does not match the head', () => {
    expect(() => arrange(firstStage([1, 2]), [0.5], { topK: 5, rest: 'keep', threshold: null, blend: null })).toThrow(RangeError);
  });
});

describe('options', () => {
  it('defaults: topK 50, rest keep, no blend, no threshold; blend: true is weight 0.5, minmax', () => {
    expect(resolveAdapterOptions({})).toEqual({ topK: 50, rest: 'keep', blend: null, threshold: null });
    expect(resolveAdapterOptions({ blend: true }).blend).toEqual({ weight: 0.5, normalize: 'minmax' });
  });

  it.each([
    [{ topK: 0 }, /topK/], [{ topK: 1.5 }, /topK/], [{ topK: '3' }, /topK/], [{ rest: 'all' }, /rest/],
    [{ blend: { weight: 1.5 } }, /weight/], [{ blend: { weight: Number.NaN } }, /weight/], [{ blend: { normalize: 'zscore' } }, /normalize/],
    [{ blend: 'yes' }, /blend/], [{ threshold: Number.NaN }, /threshold/], [{ threshold: '0.5' }, /threshold/],
  ])('rejects %j with INVALID_ARGUMENT', (o, message) => {
    expect(() => resolveAdapterOptions(o as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) }));
  });

  it('a bad option fails before the reranker is called, even for an empty list', async () => {
    const scorer = keywordScorer();
    await expect(rerankItems(scorer, 'q', [], () => [], { topK: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(rerankItems(scorer, 7 as never, [], () => [], {})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(scorer.calls).toEqual([]);
  });

  it('an aborted signal rejects with ABORTED before any text is read', async () => {
    const ac = new AbortController();
    ac.abort();
    let read = false;
    const items = [{ result: 'x', score: null, relevance: null }];
    await expect(rerankItems(keywordScorer(), 'q', items, () => ((read = true), ['x']), { signal: ac.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(read).toBe(false);
  });

  it('a scorer that returns the wrong number of scores is an INFERENCE_FAILED, not a silent misorder', async () => {
    const items = [{ result: 'x', score: null, relevance: null }, { result: 'y', score: null, relevance: null }];
    await expect(rerankItems({ score: async () => [0.5] }, 'q', items, (h) => h.map(() => 't'), {})).rejects.toMatchObject({ code: 'INFERENCE_FAILED' });
  });
});

describe('field text', () => {
  it('dotted and array paths; strings, numbers and arrays of them; fields joined by newlines', () => {
    const doc = { title: 'T', meta: { author: 'A', year: 2024, tags: ['x', 'y'] }, 'a.b': 'dotted key' };
    expect(valueAt(doc, 'meta.author')).toBe('A');
    expect(valueAt(doc, ['a.b'])).toBe('dotted key');
    expect(textFromFields(doc, ['title', 'meta.year', 'meta.tags', 'missing'])).toBe('T\n2024\nx y');
  });

  it('without fields: a string is its own text, an object gives its top-level strings but the skipped keys', () => {
    expect(textFromFields('plain', undefined)).toBe('plain');
    expect(textFromFields({ id: 'x1', title: 'T', body: 'B', n: 3 }, undefined, new Set(['id']))).toBe('T\nB');
  });

  it('null when none of the fields is there (the adapter names the result and how to fix it); empty text is text', () => {
    expect(textFromFields({ id: 1 }, ['title'])).toBeNull();
    expect(textFromFields({ id: 'x' }, undefined, new Set(['id']))).toBeNull();
    expect(textFromFields({ title: '' }, ['title'])).toBe('');
  });
});
