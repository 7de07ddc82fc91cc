// Each adapter once in Chromium, on the real library's results and the real worker (the generated tiny model, WASM).
// The tiny model's weights are random, so the expected order is the one its own scores give: each test scores the
// same texts with reranker.score() and checks that the adapter put the library's own objects in that order.
// The page is e2e/adapters.html (the public API and the libraries); Pagefind's index is built here with its Node
// API and served at /pagefind/ through page.route, as a site would serve it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import * as pagefindNode from 'pagefind';
import { HUB, TINY } from './support/page.ts';

const QUERY = 'how do cats and dogs get along';
const DOCS = [
  { id: 'a', title: 'Cats and dogs', text: 'Cats and dogs can live together when they are introduced slowly.' },
  { id: 'b', title: 'Dog walks', text: 'Dogs are loyal animals that need daily walks.' },
  { id: 'c', title: 'Soup', text: 'A recipe for tomato soup with fresh basil, nothing about cats or dogs.' },
  { id: 'd', title: 'Training', text: 'How to train a dog to live with a cat in a small home.' },
  { id: 'e', title: 'Cats at night', text: 'Cats hunt at night and sleep during the day.' },
  { id: 'f', title: 'Dogs and cats', text: 'Why some dogs chase cats, and how to stop it.' },
];
type Doc = (typeof DOCS)[number];

/** What each test brings back from the page: ids in the adapter's order, and what the checks need. */
interface Run {
  firstStage: string[];
  order: string[];
  ranks: number[];
  scores: (number | null)[];
  sameObjects: boolean;
  /** reranker.score() of the reranked results' texts, in first-stage order. */
  expected: number[];
}

let pagefindDir = '';
/** Paths of the Pagefind files served to the page and its workers, in order. */
const served: string[] = [];

test.beforeAll(async () => {
  pagefindDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rerank-web-e2e-pagefind-'));
  const { index, errors } = await pagefindNode.createIndex({});
  if (!index) throw new Error(`pagefind: ${errors.join('; ')}`);
  for (const d of DOCS) await index.addHTMLFile({ url: `/${d.id}/`, content: `<html lang="en"><body><h1>${d.title}</h1><p>${d.text}</p></body></html>` });
  const written = await index.writeFiles({ outputPath: path.join(pagefindDir, 'pagefind') });
  if (written.errors.length) throw new Error(`pagefind: ${written.errors.join('; ')}`);
  await pagefindNode.close();
});

test.afterAll(() => {
  if (pagefindDir) fs.rmSync(pagefindDir, { recursive: true, force: true });
});

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** Opens the adapters page (Pagefind's bundle served at /pagefind/) and loads the tiny model on WASM. */
async function open(page: Page): Promise<void> {
  // context.route also sees requests from workers, which Pagefind starts for its search.
  await page.context().route('**/pagefind/**', async (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname);
    served.push(rel);
    const file = path.join(pagefindDir, rel);
    if (!file.startsWith(pagefindDir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return route.fulfill({ status: 404 });
    return route.fulfill({
      status: 200,
      body: fs.readFileSync(file),
      // The page is cross-origin isolated; same-origin files need no CORP, but a worker's script must carry COEP.
      headers: { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' },
    });
  });
  await page.goto('/e2e/adapters.html');
  await page.waitForFunction(() => window.adaptersReady === true);
  await page.evaluate(async (o) => {
    (window as unknown as { reranker: unknown }).reranker = await window.adapters.rerankWeb.createReranker(o);
  }, { model: TINY, hubUrl: HUB, device: 'wasm' as const, dtype: 'fp32' as const });
}

/** The checks every adapter shares: the library's objects, each once, in the order of the worker's own scores. */
function expectRerankedByWorker(r: Run, reranked: number): void {
  expect(r.sameObjects).toBe(true);
  expect([...r.order].sort()).toEqual([...r.firstStage].sort());
  const head = r.ranks.slice(0, reranked);
  // Best score first; equal scores keep the first stage's order (as Reranker.rerank does).
  const want = [...head].sort((a, b) => r.expected[b]! - r.expected[a]! || a - b);
  expect(head).toEqual(want);
  for (let i = 0; i < reranked; i++) expect(r.scores[i]).toBeCloseTo(r.expected[r.ranks[i]!]!, 6);
  // Past topK: the first stage's order, unscored.
  expect(r.ranks.slice(reranked)).toEqual(r.ranks.slice(reranked).sort((a, b) => a - b));
  expect(r.scores.slice(reranked).every((s) => s === null)).toBe(true);
}

test('rerankMiniSearch: MiniSearch results in the worker\'s order, the same objects', async ({ page }) => {
  await open(page);
  const r: Run = await page.evaluate(async ([query, docs]) => {
    const { rerankWeb, MiniSearch } = window.adapters;
    const reranker = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
    const ms = new MiniSearch<Doc>({ fields: ['title', 'text'], storeFields: ['title', 'text'] });
    ms.addAll(docs);
    const results = ms.search(query, { combineWith: 'OR' });
    const out = await rerankWeb.rerankMiniSearch(reranker, query, results, { topK: 4 });
    const expected = await reranker.score(query, results.slice(0, 4).map((x) => `${x.title}\n${x.text}`));
    return {
      firstStage: results.map((x) => String(x.id)), order: out.map((e) => String(e.result.id)), ranks: out.map((e) => e.firstStageRank),
      scores: out.map((e) => e.score), sameObjects: out.every((e) => e.result === results[e.firstStageRank]), expected,
    };
  }, [QUERY, DOCS] as const);
  expect(r.firstStage.length).toBeGreaterThan(4); // the rest (past topK 4) is there to follow
  expectRerankedByWorker(r, 4);
});

test('rerankOrama: Orama hits in the worker\'s order, the same objects', async ({ page }) => {
  await open(page);
  const r: Run = await page.evaluate(async ([query, docs]) => {
    const { rerankWeb, orama } = window.adapters;
    const reranker = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
    const db = orama.create({ schema: { id: 'string', title: 'string', text: 'string' } as const });
    await orama.insertMultiple(db, docs);
    const results = await orama.search(db, { term: query });
    const out = await rerankWeb.rerankOrama(reranker, query, results, { fields: ['title', 'text'] });
    const expected = await reranker.score(query, results.hits.map((h) => `${h.document.title}\n${h.document.text}`));
    return {
      firstStage: results.hits.map((h) => h.id), order: out.map((e) => e.result.id), ranks: out.map((e) => e.firstStageRank),
      scores: out.map((e) => e.score), sameObjects: out.every((e) => e.result === results.hits[e.firstStageRank]), expected,
    };
  }, [QUERY, DOCS] as const);
  expect(r.firstStage.length).toBeGreaterThan(1);
  expectRerankedByWorker(r, r.firstStage.length);
});

test('rerankFuse: Fuse.js results in the worker\'s order, the same objects, blending at weight 1 agrees', async ({ page }) => {
  await open(page);
  const r = await page.evaluate(async ([docs]) => {
    const { rerankWeb, Fuse } = window.adapters;
    const reranker = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
    const keys = [{ name: 'title', weight: 2 }, 'text'];
    const results = new Fuse(docs, { keys, includeScore: true, ignoreLocation: true, threshold: 0.4 }).search('cats');
    const out = await rerankWeb.rerankFuse(reranker, 'cats', results, { fields: keys });
    const blended = await rerankWeb.rerankFuse(reranker, 'cats', results, { fields: keys, blend: { weight: 1 } });
    const expected = await reranker.score('cats', results.map((x) => `${x.item.title}\n${x.item.text}`));
    return {
      firstStage: results.map((x) => x.item.id), order: out.map((e) => e.result.item.id), ranks: out.map((e) => e.firstStageRank),
      scores: out.map((e) => e.score), sameObjects: out.every((e) => e.result === results[e.firstStageRank]), expected,
      blendedOrder: blended.map((e) => e.result.item.id), fuseScores: out.map((e) => e.firstStageScore === results[e.firstStageRank]!.score),
    };
  }, [DOCS] as const);
  expect(r.firstStage.length).toBeGreaterThan(1);
  expectRerankedByWorker(r, r.firstStage.length);
  expect(r.blendedOrder).toEqual(r.order);
  expect(r.fuseScores.every(Boolean)).toBe(true);
});

test('rerankPagefind: the site\'s pagefind.js results in the worker\'s order, data loaded for the top K only', async ({ page }) => {
  await open(page);
  // Pagefind requires every query word, so the query is one word: 'cats' (stemmed, it finds 'a cat' too).
  const count = await page.evaluate(async (query) => {
    const pagefind = (await window.adapters.loadPagefind()) as { search(q: string): Promise<{ results: unknown[] }> };
    const search = await pagefind.search(query);
    (window as unknown as { search: unknown }).search = search;
    return search.results.length;
  }, 'cats');
  expect(count).toBeGreaterThan(3); // results past topK exist, and must not be loaded
  const fragmentsBefore = served.filter((p) => p.includes('/fragment/')).length;
  const r = await page.evaluate(async (query) => {
    const { rerankWeb } = window.adapters;
    const reranker = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
    const search = (window as unknown as { search: { results: import('../src/index.ts').PagefindResultLike[] } }).search;
    const out = await rerankWeb.rerankPagefind(reranker, query, search, { topK: 3 });
    const head = await Promise.all(search.results.slice(0, 3).map((x) => x.data()));
    const expected = await reranker.score(query, head.map((d) => `${d.meta.title}\n${d.content}`));
    return {
      firstStage: search.results.map((x) => x.id), order: out.map((e) => e.result.id), ranks: out.map((e) => e.firstStageRank),
      scores: out.map((e) => e.score), sameObjects: out.every((e) => e.result === search.results[e.firstStageRank]), expected,
      dataUrls: out.map((e) => e.data?.url ?? null), headUrls: head.map((d) => d.url),
    };
  }, 'cats');
  expectRerankedByWorker(r, 3);
  // Entries carry the loaded data of their own result; past topK, none was loaded: three fragment requests in all.
  expect(r.dataUrls.slice(0, 3)).toEqual(r.ranks.slice(0, 3).map((i) => r.headUrls[i]));
  expect(r.dataUrls.slice(3).every((u) => u === null)).toBe(true);
  expect(served.filter((p) => p.includes('/fragment/')).length - fragmentsBefore).toBe(3);
});

test('rerankArray: a search API\'s JSON in the worker\'s order, with a threshold', async ({ page }) => {
  await open(page);
  const r = await page.evaluate(async ([query, docs]) => {
    const { rerankWeb } = window.adapters;
    const reranker = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
    const hits = docs.map((d, i) => ({ _id: d.id, _score: 10 - i, _source: { title: d.title, body: d.text } }));
    const texts = hits.map((h) => `${h._source.title}\n${h._source.body}`);
    const expected = await reranker.score(query, texts);
    const fields = ['_source.title', '_source.body'];
    const out = await rerankWeb.rerankArray(reranker, query, hits, { fields, getScore: (h) => h._score });
    const threshold = [...expected].sort((a, b) => a - b)[2]!; // the middle: some results pass, some do not
    const cut = await rerankWeb.rerankArray(reranker, query, hits, { fields, threshold });
    return {
      firstStage: hits.map((h) => h._id), order: out.map((e) => e.result._id), ranks: out.map((e) => e.firstStageRank),
      scores: out.map((e) => e.score), sameObjects: out.every((e) => e.result === hits[e.firstStageRank]), expected,
      threshold, cut: cut.map((e) => e.score!), firstStageScores: out.map((e) => e.firstStageScore),
    };
  }, [QUERY, DOCS] as const);
  expectRerankedByWorker(r, DOCS.length);
  expect(r.firstStageScores).toEqual(r.ranks.map((i) => 10 - i));
  expect(r.cut.length).toBe(r.expected.filter((s) => s >= r.threshold).length);
  for (const s of r.cut) expect(s).toBeGreaterThanOrEqual(r.threshold);
});
