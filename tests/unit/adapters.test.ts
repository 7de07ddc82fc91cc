// The adapters on the real libraries' result lists (MiniSearch, Orama, Fuse.js, and a plain array), in Node, with a
// mocked scorer that scores by the count of 'gentle' (adapters-support.ts). The query is 'cats', so the libraries
// rank by 'cats' and the reranker by 'gentle': the expected orders differ from the first stage's, and are stated.
import { create, insertMultiple, search } from '@orama/orama';
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { rerankArray, rerankFuse, rerankMiniSearch, rerankOrama } from '../../src/index.ts';
import { DOCS, ids, keywordScorer, type Doc } from './adapters-support.ts';

function miniSearch(storeFields: string[] = ['title', 'text']) {
  const ms = new MiniSearch<Doc>({ fields: ['title', 'text'], storeFields });
  ms.addAll(DOCS);
  return ms.search('cats');
}

describe('rerankMiniSearch', () => {
  const results = miniSearch();
  const msId = (r: { id: unknown }) => String(r.id);

  it('premise: BM25 ranks by cats (a first), and finds every document with cats (not e)', () => {
    expect(ids(results.map((result) => ({ result })), msId)).toEqual(['a', 'c', 'b', 'f', 'd']);
  });

  it('orders by the reranker, keeps MiniSearch\'s own objects, and reports its BM25 score and rank', async () => {
    // Guards: the order comes from the scores, the same objects come back, and first-stage facts stay attached.
    const out = await rerankMiniSearch(keywordScorer(), 'cats', results);
    // gentle: c 4, d 2, b 1, then a and f with none, in BM25 order (ties keep the first stage's order).
    expect(ids(out, msId)).toEqual(['c', 'd', 'b', 'a', 'f']);
    for (const e of out) {
      expect(e.result).toBe(results[e.firstStageRank]);
      expect(e.firstStageScore).toBe(results[e.firstStageRank]!.score);
    }
    expect(out[0]).toMatchObject({ score: 0.8, firstStageRank: 1 });
  });

  it('sends the stored fields (all string ones by default, or `fields`) as text, never MiniSearch\'s own keys', async () => {
    // Guards the text: title and text joined, no id/terms/match; with fields ['text'], the title's 'Gentle' is gone.
    const scorer = keywordScorer();
    await rerankMiniSearch(scorer, 'cats', results.slice(0, 1));
    expect(scorer.calls[0]!.documents).toEqual(['Cats\nCats, cats and more cats: a page about cats.']);
    const out = await rerankMiniSearch(scorer, 'cats', results, { fields: ['text'] });
    expect(out.find((e) => e.result.id === 'c')!.score).toBe(0.75); // 3 in the text alone
  });

  it('topK reranks the head only; the rest keeps its BM25 order after it, unscored, or is dropped', async () => {
    // Guards topK: 3 texts sent (a, c, b); within them c (4) > b (1) > a (0); f and d follow as BM25 had them.
    const scorer = keywordScorer();
    const kept = await rerankMiniSearch(scorer, 'cats', results, { topK: 3 });
    expect(scorer.calls[0]!.documents).toHaveLength(3);
    expect(ids(kept, msId)).toEqual(['c', 'b', 'a', 'f', 'd']);
    expect(kept.slice(3).map((e) => e.score)).toEqual([null, null]);
    const dropped = await rerankMiniSearch(scorer, 'cats', results, { topK: 3, rest: 'drop' });
    expect(ids(dropped, msId)).toEqual(['c', 'b', 'a']);
  });

  it('blending: weight 0 is BM25\'s order, weight 1 the reranker\'s; each entry has its blended score', async () => {
    // Guards that blending is wired to the real scores: the two ends reproduce the two orders.
    const w0 = await rerankMiniSearch(keywordScorer(), 'cats', results, { blend: { weight: 0 } });
    expect(ids(w0, msId)).toEqual(['a', 'c', 'b', 'f', 'd']);
    const w1 = await rerankMiniSearch(keywordScorer(), 'cats', results, { blend: { weight: 1 } });
    expect(ids(w1, msId)).toEqual(['c', 'd', 'b', 'a', 'f']);
    // Halfway: c is second in BM25 and first by gentle, so it leads; a (BM25's best, no gentle) is pulled down.
    const half = await rerankMiniSearch(keywordScorer(), 'cats', results, { blend: { weight: 0.5 } });
    expect(half[0]!.result.id).toBe('c');
    for (const e of half) expect(e.blendedScore).toBeGreaterThanOrEqual(0);
  });

  it('threshold drops the results the reranker judged below it', async () => {
    // Guards the relevance cut: scores c 0.8, d 0.667, b 0.5, a 0, f 0; at 0.5, a and f go.
    const out = await rerankMiniSearch(keywordScorer(), 'cats', results, { threshold: 0.5 });
    expect(ids(out, msId)).toEqual(['c', 'd', 'b']);
  });

  it('results without stored text fields fail with INVALID_ARGUMENT and say how to fix it', async () => {
    // Guards the common mistake: MiniSearch stores no fields unless told, so there is no text to rerank.
    await expect(rerankMiniSearch(keywordScorer(), 'cats', miniSearch([]))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT', message: expect.stringContaining('storeFields'),
    });
  });

  it('passes the signal and score options through to the reranker', async () => {
    // Guards cancellation and options such as longDocuments reaching Reranker.score.
    const scorer = keywordScorer();
    const ac = new AbortController();
    await rerankMiniSearch(scorer, 'cats', results, { signal: ac.signal, scoreOptions: { longDocuments: 'max-passage' } as never });
    expect(scorer.calls[0]!.options).toMatchObject({ signal: ac.signal, longDocuments: 'max-passage' });
  });
});

describe('rerankOrama', () => {
  async function oramaResults() {
    const db = create({ schema: { id: 'string', title: 'string', text: 'string', meta: { author: 'string' } } as const });
    await insertMultiple(db, DOCS);
    return search(db, { term: 'cats' });
  }

  it('takes the `{ hits }` object as search() returns it, keeps the hits, orders by the reranker', async () => {
    // Guards Orama's shape: text from hit.document (string fields but id), the same hit objects back.
    const results = await oramaResults();
    expect(results.hits.map((h) => h.id)).toEqual(['a', 'c', 'b', 'f', 'd']); // premise: BM25 by cats
    const out = await rerankOrama(keywordScorer(), 'cats', results);
    expect(ids(out, (h) => h.id)).toEqual(['c', 'd', 'b', 'a', 'f']);
    for (const e of out) expect(e.result).toBe(results.hits[e.firstStageRank]);
    expect(out[0]!.firstStageScore).toBe(results.hits[1]!.score);
  });

  it('fields are paths into the document, nested ones too; the hits array works as well', async () => {
    // Guards nested paths: only meta.author (no 'gentle' anywhere) -> every score 0 -> the first stage's order.
    const results = await oramaResults();
    const scorer = keywordScorer();
    const out = await rerankOrama(scorer, 'cats', results.hits, { fields: ['meta.author'] });
    expect(scorer.calls[0]!.documents).toEqual(['Ann', 'Cy', 'Bob', 'Fi', 'Di']);
    expect(out.map((e) => e.result)).toEqual(results.hits);
  });
});

describe('rerankFuse', () => {
  const keys = [{ name: 'title', weight: 2 }, 'text'];
  const fuse = new Fuse(DOCS, { keys, includeScore: true, threshold: 0.3 });
  const results = fuse.search('cats');

  it('keeps the FuseResults, reports Fuse\'s score as is (lower is better), orders by the reranker', async () => {
    // Guards Fuse's shape: text from result.item, same objects, Fuse's own score untouched.
    expect(ids(results.map((result) => ({ result })), (r) => r.item.id)).toEqual(['a', 'f', 'c', 'b', 'd']); // premise
    const out = await rerankFuse(keywordScorer(), 'cats', results);
    expect(ids(out, (r) => r.item.id)).toEqual(['c', 'd', 'b', 'a', 'f']);
    for (const e of out) {
      expect(e.result).toBe(results[e.firstStageRank]);
      expect(e.firstStageScore).toBe(results[e.firstStageRank]!.score);
    }
  });

  it('blend weight 0 keeps Fuse\'s order: its distance is turned around (1 - score), not read as relevance', async () => {
    // Guards the direction: read as "higher is better", Fuse's worst match would come first.
    const out = await rerankFuse(keywordScorer(), 'cats', results, { blend: { weight: 0 } });
    expect(out.map((e) => e.result)).toEqual(results);
  });

  it('Fuse\'s own keys work as fields (objects with name included)', async () => {
    // Guards passing the Fuse `keys` array as it is: { name: 'title' } and 'text' both read.
    const scorer = keywordScorer();
    await rerankFuse(scorer, 'cats', results.slice(0, 1), { fields: keys });
    expect(scorer.calls[0]!.documents).toEqual(['Cats\nCats, cats and more cats: a page about cats.']);
  });

  it('a list of strings, searched without includeScore: strings are their text, blending falls back to the rank', async () => {
    // Guards items that are strings and a missing score: firstStageScore null, weight 0 = Fuse's order.
    const list = ['gentle cats', 'cats', 'cat food', 'dogs'];
    const plain = new Fuse(list).search('cats');
    expect(plain.map((r) => r.item)).toEqual(['cats', 'gentle cats', 'cat food']); // premise
    const out = await rerankFuse(keywordScorer(), 'cats', plain);
    expect(out.map((e) => e.result.item)).toEqual(['gentle cats', 'cats', 'cat food']);
    expect(out.every((e) => e.firstStageScore === null)).toBe(true);
    const w0 = await rerankFuse(keywordScorer(), 'cats', plain, { blend: { weight: 0 } });
    expect(w0.map((e) => e.result)).toEqual(plain);
  });
});

describe('rerankArray', () => {
  it('strings are their own text; the array order is the first stage', async () => {
    // Guards the simplest input: no options at all.
    const list = ['cats', 'gentle gentle cats', 'gentle cats'];
    const out = await rerankArray(keywordScorer(), 'cats', list);
    expect(out.map((e) => e.result)).toEqual(['gentle gentle cats', 'gentle cats', 'cats']);
    expect(out.map((e) => e.firstStageRank)).toEqual([1, 2, 0]);
  });

  it('a search API\'s JSON: fields, its numeric `score` read by default, objects kept', async () => {
    // Guards arbitrary JSON: text from nested fields, first-stage score from `score`, identity of each hit.
    const api = { hits: DOCS.map((d, i) => ({ _id: d.id, score: 10 - i, source: { title: d.title, body: d.text } })) };
    const scorer = keywordScorer();
    const out = await rerankArray(scorer, 'cats', api.hits, { fields: ['source.title', 'source.body'] });
    expect(ids(out, (h) => h._id)).toEqual(['c', 'd', 'b', 'e', 'a', 'f']);
    for (const e of out) expect(e.result).toBe(api.hits[e.firstStageRank]);
    expect(out[0]!.firstStageScore).toBe(8);
  });

  it('getScore with lowerIsBetter (a distance): weight 0 keeps the ascending-distance order', async () => {
    // Guards the direction switch of a custom score.
    const hits = [{ t: 'a', d: 0.1 }, { t: 'gentle b', d: 0.2 }, { t: 'gentle gentle c', d: 0.9 }];
    const w0 = await rerankArray(keywordScorer(), 'q', hits, { getText: (h) => h.t, getScore: (h) => h.d, lowerIsBetter: true, blend: { weight: 0 } });
    expect(w0.map((e) => e.result)).toEqual(hits);
    expect(w0.map((e) => e.firstStageScore)).toEqual([0.1, 0.2, 0.9]);
  });

  it('bad input fails with coded errors before the reranker is called', async () => {
    // Guards misuse: a non-array, a getText that returns no string, an object with no text fields.
    const scorer = keywordScorer();
    await expect(rerankArray(scorer, 'q', 'nope' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(rerankArray(scorer, 'q', [{ t: 1 }], { getText: (h) => h.t as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/result 0/) });
    await expect(rerankArray(scorer, 'q', [{ id: 'only an id' }])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(scorer.calls).toEqual([]);
  });

  it('an empty list returns [] without calling the reranker', async () => {
    const scorer = keywordScorer();
    expect(await rerankArray(scorer, 'q', [])).toEqual([]);
    expect(scorer.calls).toEqual([]);
  });
});
