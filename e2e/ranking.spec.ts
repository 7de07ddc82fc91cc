// Ranking through the whole pipeline on the lexical oracle (tools/models/lexical-oracle.ts): its score is the share
// of the query's content words (stop words aside) found in the document, so each case can state its expected order.
import { expect, test } from '@playwright/test';
import { mustLoad, openHarness } from './support/page.ts';

const ORACLE = 'rerank-web-test/lexical-oracle';
type Ranked = { index: number; score: number; truncated: boolean }[];

for (const device of ['wasm', 'webgpu'] as const) {
  test(`expected order on ${device}: more query words first, ties keep input order`, async ({ page }) => {
    await openHarness(page);
    const info = await mustLoad(page, { model: ORACLE, device });
    // The oracle ships fp32 only: 'auto' looked for q8 first on WASM and fell back to fp32.
    expect(info.dtype).toBe('fp32');
    const docs = [
      'tomato soup with basil', // 0: no query word
      'cats', //                  1: one of the two content words ('and' is a stop word)
      'cats and dogs', //         2: both: the best
      'dogs', //                  3: one, ties with 1 and comes after it (input order breaks ties)
      'CATS AND DOGS!', //        4: lower-cased by the tokenizer: as good as 2, after it
    ];
    const ranked = await page.evaluate(async (d) => {
      const r = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
      return r.rerank('cats and dogs', d);
    }, docs);
    expect(ranked.map((x) => x.index)).toEqual([2, 4, 1, 3, 0]);
  });
}

test('a relevant passage at the end of a long document: found with max-passage, missed with truncation', async ({ page }) => {
  await openHarness(page);
  await mustLoad(page, { model: ORACLE, device: 'wasm' });
  const long = `${'the river water runs to the sea '.repeat(120)}the quick brown fox`; // ~900 tokens: 'fox' far past 512
  const docs = [
    'water and rivers', //   0: no query word
    long, //                 1: the relevant passage is its last one
    'a fox', //              2: one query word ('fox'); 'a' is not in the query
  ];
  const run = (mode: 'truncate' | 'max-passage') => page.evaluate(async ([d, m]) => {
    const r = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
    return r.rerank('quick brown fox', d as string[], { longDocuments: m as 'truncate' });
  }, [docs, mode] as const) as Promise<Ranked>;

  const truncated = await run('truncate');
  // Cut to its first 512 tokens, the long document has none of the query's words: it ranks below 'a fox'.
  expect(truncated.map((x) => x.index)).toEqual([2, 0, 1]);
  expect(truncated.find((x) => x.index === 1)!.truncated).toBe(true);

  const passages = await run('max-passage');
  // Its best window holds 'quick brown fox' (three query words): it now ranks first, and was read to the end.
  expect(passages.map((x) => x.index)).toEqual([1, 2, 0]);
  expect(passages.find((x) => x.index === 1)!.truncated).toBe(false);
  expect(passages[0]!.score).toBeGreaterThan(truncated[0]!.score);
});

test('max-passage marks a document longer than maxPassages windows as truncated', async ({ page }) => {
  await openHarness(page);
  await mustLoad(page, { model: ORACLE, device: 'wasm', maxLength: 64 });
  const r = await page.evaluate(async () => {
    const rr = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
    const doc = 'water '.repeat(1000) + 'fox';
    return rr.rerank('fox', [doc], { longDocuments: 'max-passage', maxPassages: 4 });
  });
  // Four 60-token windows cover 240 of ~1,000 tokens: 'fox' is never seen, and the result says so.
  expect(r[0]!.truncated).toBe(true);
  expect(r[0]!.score).toBeLessThan(0.5);
});
