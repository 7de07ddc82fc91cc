// An empty or blank query has no order to give: rerank/score and every adapter reject it with INVALID_ARGUMENT and a
// message, before any scoring (issue 24: a blank query was accepted and the documents came back in arbitrary order).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkQuery } from '../../src/call-options.ts';
import { rerankArray, rerankFuse, rerankMiniSearch, rerankOrama, rerankPagefind } from '../../src/index.ts';
import { keywordScorer } from './adapters-support.ts';

const BLANKS = ['', ' ', '\t', '\n  \r\n', '\u00a0', '\u3000'];

describe('checkQuery', () => {
  it('rejects empty and whitespace-only queries, saying which', () => {
    // The two messages differ, so that a user sees whether nothing or only spaces arrived.
    expect(() => checkQuery('')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/query is empty/) }));
    for (const q of BLANKS.slice(1)) {
      expect(() => checkQuery(q)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/only whitespace/) }));
    }
  });

  it('rejects a query that is not a string, naming what came', () => {
    // A common slip: passing the search library's result or undefined in the query's place.
    expect(() => checkQuery(undefined)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/undefined/) }));
    expect(() => checkQuery(null)).toThrow(expect.objectContaining({ message: expect.stringMatching(/null/) }));
  });

  it('accepts any string with a non-space character', () => {
    // The rule must not refuse real queries: one visible character anywhere is enough.
    fc.assert(fc.property(fc.string(), fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''), fc.string(), (a, b, c) => {
      checkQuery(`${a.replace(/\S/g, ' ')}${b}${c}`);
      return true;
    }));
  });
});

describe('every adapter applies the same rule', () => {
  const adapters = {
    rerankArray: (s: ReturnType<typeof keywordScorer>, q: string) => rerankArray(s, q, [{ text: 'cats' }]),
    rerankMiniSearch: (s: ReturnType<typeof keywordScorer>, q: string) => rerankMiniSearch(s, q, [{ id: 1, score: 1, terms: [], queryTerms: [], match: {}, text: 'cats' }]),
    rerankOrama: (s: ReturnType<typeof keywordScorer>, q: string) => rerankOrama(s, q, { hits: [{ id: '1', score: 1, document: { text: 'cats' } }] }),
    rerankFuse: (s: ReturnType<typeof keywordScorer>, q: string) => rerankFuse(s, q, [{ item: { text: 'cats' }, refIndex: 0, score: 0.1 }]),
    rerankPagefind: (s: ReturnType<typeof keywordScorer>, q: string) => rerankPagefind(s, q, [{ id: 'p', score: 1, words: [], data: async () => ({ content: 'cats', meta: { title: 'Cats' } }) }]),
  };
  for (const [name, run] of Object.entries(adapters)) {
    it(`${name}: blank queries are INVALID_ARGUMENT and the reranker is never called; a real one goes through`, async () => {
      // Guards both sides: the rule is applied, and the same call with a real query does reach the scorer.
      for (const q of BLANKS) {
        const scorer = keywordScorer();
        await expect(run(scorer, q)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/query is (empty|only whitespace)/) });
        expect(scorer.calls).toHaveLength(0);
      }
      const scorer = keywordScorer();
      await run(scorer, 'cats');
      expect(scorer.calls).toHaveLength(1);
    });
  }
});
