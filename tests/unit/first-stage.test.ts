import fc from 'fast-check';
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { describe, expect, it } from 'vitest';
import { englishProcessTerm, ENGLISH_STOP_WORDS, STANDARD_BM25 } from '../../src/core/first-stage.ts';
import { mrrAtK, recallAtK } from '../../src/core/metrics.ts';

const processTerm = englishProcessTerm(stemmer);

describe('englishProcessTerm', () => {
  it('lower-cases, drops possessives and stop words, and stems as Lucene EnglishAnalyzer does', () => {
    expect(processTerm('Running')).toBe('run');
    expect(processTerm("cell's")).toBe('cell');
    expect(processTerm('cell’s')).toBe('cell');
    expect(processTerm('mutations')).toBe(processTerm('mutation'));
    expect(processTerm('The')).toBeNull();
    expect(processTerm('with')).toBeNull();
    // Not in Lucene's list (which has 33 words): kept, as BEIR's baseline keeps them.
    expect(processTerm('what')).toBe('what');
    expect(ENGLISH_STOP_WORDS.size).toBe(33);
  });

  it('takes any stemmer and stop list', () => {
    const upper = englishProcessTerm((w) => w.toUpperCase(), new Set(['cats']));
    expect(upper('Dogs')).toBe('DOGS');
    expect(upper('Cats')).toBeNull();
  });

  it('maps a word in any case to one term, and never returns an empty term', () => {
    // A query word and the same word in a document must meet whatever their case (Porter itself is not
    // idempotent, so the property is about case and emptiness, not about stemming twice).
    fc.assert(fc.property(fc.stringMatching(/^[a-zA-Z]{1,12}$/), (w) => {
      const t = processTerm(w);
      expect(processTerm(w.toUpperCase())).toBe(t);
      expect(processTerm(w.toLowerCase())).toBe(t);
      if (t !== null) expect(t.length).toBeGreaterThan(0);
    }));
  });
});

describe('standard first stage on stated documents', () => {
  const docs = [
    { id: 'inflected', title: 'Mutated genes', text: 'Mutations in these genes were observed in mice.' },
    { id: 'exact-title', title: 'Gene mutation', text: 'A short note.' },
    { id: 'stop-words', title: 'The role of the', text: 'It is what it is, and that is that, for the most part.' },
    { id: 'other', title: 'Coral reefs', text: 'Reef fish and warm water.' },
  ];
  const search = (opts: object, q: string) => {
    const ms = new MiniSearch({ fields: ['title', 'text'], ...opts });
    ms.addAll(docs);
    return ms.search(q, { combineWith: 'OR', bm25: STANDARD_BM25 }).map((r) => String(r.id));
  };
  const standard = { processTerm };

  it('finds inflected forms that plain BM25 misses', () => {
    // Guards stemming: "gene mutation" must reach the document that only says "genes" and "mutations".
    expect(search(standard, 'gene mutation')).toContain('inflected');
    expect(search({}, 'gene mutation')).not.toContain('inflected');
  });

  it('lets no document match on stop words alone', () => {
    // Guards the stop list: a query of function words plus one content word must not surface the document made
    // of function words.
    expect(search(standard, 'the role of the reef')).toEqual(['other', 'stop-words']);
    expect(search(standard, 'the of is that')).toEqual([]);
  });
});

describe('recall@k and MRR@k', () => {
  const qrels = new Map([['a', 1], ['b', 2], ['z', 0]]);

  it('match hand computations', () => {
    expect(recallAtK(['x', 'a', 'y', 'b'], qrels, 2)).toBe(0.5);
    expect(recallAtK(['x', 'a', 'y', 'b'], qrels, 4)).toBe(1);
    expect(mrrAtK(['x', 'z', 'b'], qrels, 10)).toBeCloseTo(1 / 3, 12);
    expect(mrrAtK(['x', 'y'], qrels, 10)).toBe(0);
    expect(recallAtK(['a'], new Map([['a', 0]]), 10)).toBeNull();
  });

  it('recall grows with k and stays in [0, 1]', () => {
    fc.assert(fc.property(fc.shuffledSubarray(['a', 'b', 'c', 'd', 'e', 'f']), fc.integer({ min: 0, max: 6 }), (ranked, k) => {
      const r1 = recallAtK(ranked, qrels, k)!;
      const r2 = recallAtK(ranked, qrels, k + 1)!;
      expect(r1).toBeGreaterThanOrEqual(0);
      expect(r2).toBeLessThanOrEqual(1);
      expect(r2).toBeGreaterThanOrEqual(r1);
    }));
  });
});
