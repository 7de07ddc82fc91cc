// rerankPagefind on real Pagefind results in Node: the index is built with Pagefind's Node API into a temp folder,
// served over local HTTP (Pagefind fetches its index and fragments), and searched with the pagefind.js it
// generated. The mocked scorer counts 'gentle' (adapters-support.ts), so each case states its order.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as pagefindNode from 'pagefind';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rerankPagefind, type PagefindResultLike } from '../../src/index.ts';
import { DOCS, keywordScorer } from './adapters-support.ts';

/** The part of pagefind.js (which ships no types) that these tests call. */
interface PagefindModule {
  options(o: { basePath: string }): Promise<void>;
  search(q: string): Promise<{ results: PagefindResultLike[] }>;
  destroy(): Promise<void>;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rerank-web-pagefind-'));
const requests: string[] = [];
let server: http.Server;
let pagefind: PagefindModule;

beforeAll(async () => {
  const { index, errors } = await pagefindNode.createIndex({});
  if (!index) throw new Error(`pagefind: ${errors.join('; ')}`);
  for (const d of DOCS) {
    await index.addHTMLFile({ url: `/${d.id}/`, content: `<html lang="en"><body><h1>${d.title}</h1><p>${d.text}</p></body></html>` });
  }
  const written = await index.writeFiles({ outputPath: path.join(root, 'pagefind') });
  if (written.errors.length) throw new Error(`pagefind: ${written.errors.join('; ')}`);
  await pagefindNode.close();

  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url.pathname);
    const file = path.join(root, url.pathname);
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return void res.writeHead(404).end();
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  pagefind = (await import(/* @vite-ignore */ pathToFileURL(path.join(root, 'pagefind', 'pagefind.js')).href)) as PagefindModule;
  await pagefind.options({ basePath: `http://127.0.0.1:${port}/pagefind/` });
}, 60_000);

afterAll(async () => {
  await pagefind?.destroy();
  await new Promise((resolve) => server?.close(resolve));
  fs.rmSync(root, { recursive: true, force: true });
});

const fragments = () => requests.filter((p) => p.includes('/fragment/')).length;
const urlOf = (r: { data: { url: string } | null }) => r.data && new URL(r.data.url).pathname;

describe('rerankPagefind', () => {
  it('orders the results by the reranker, keeps Pagefind\'s objects, hands back the loaded data', async () => {
    // Guards the whole path: data() loaded, title + content as text, same result objects, data for rendering.
    const search = await pagefind.search('cats');
    expect(search.results).toHaveLength(5); // premise: every page with 'cats' (not e)
    const scorer = keywordScorer();
    const out = await rerankPagefind(scorer, 'cats', search);
    // gentle in title + content (Pagefind's content repeats the title): c 5, d 2, b 1; a and f none, in Pagefind's order.
    const firstStage = await Promise.all(search.results.map(async (r) => new URL((await r.data()).url).pathname));
    const zero = firstStage.filter((u) => u === '/a/' || u === '/f/');
    expect(out.map(urlOf)).toEqual(['/c/', '/d/', '/b/', ...zero]);
    for (const e of out) {
      expect(e.result).toBe(search.results[e.firstStageRank]);
      expect(e.firstStageScore).toBe(search.results[e.firstStageRank]!.score);
    }
    expect(scorer.calls[0]!.documents.find((d) => d.startsWith('Gentle cats\n'))).toBe('Gentle cats\nGentle cats. Gentle breeds: the gentle cats that are gentle with children.');
  });

  it('loads data() for the top K only: one fragment request per reranked result, none for the rest', async () => {
    // Guards the cost: each data() is a request, and results past topK are never loaded. Pagefind caches fragments
    // per instance, so this runs on a fresh instance of pagefind.js (imported under another URL), which starts cold.
    const cold = (await import(/* @vite-ignore */ `${pathToFileURL(path.join(root, 'pagefind', 'pagefind.js')).href}?cold`)) as PagefindModule;
    const { port } = server.address() as AddressInfo;
    await cold.options({ basePath: `http://127.0.0.1:${port}/pagefind/` });
    const search = await cold.search('cats');
    const before = fragments();
    const out = await rerankPagefind(keywordScorer(), 'cats', search.results, { topK: 3 });
    expect(fragments() - before).toBe(3);
    expect(out.filter((e) => e.data !== null).map((e) => e.firstStageRank).sort()).toEqual([0, 1, 2]);
    expect(out.slice(3).every((e) => e.data === null && e.score === null)).toBe(true);
    await cold.destroy();
  });

  it('fields and getText read the loaded data; a threshold drops the pages judged irrelevant', async () => {
    // Guards text options on data(): meta.title alone ('Gentle cats' is the only title with gentle), and getText.
    const search = await pagefind.search('cats');
    const byTitle = await rerankPagefind(keywordScorer(), 'cats', search, { fields: ['meta.title'], threshold: 0.5 });
    expect(byTitle.map(urlOf)).toEqual(['/c/']);
    const scorer = keywordScorer();
    await rerankPagefind(scorer, 'cats', search, { getText: (d, r) => `${d.meta.title} ${r.id.length > 0}` });
    expect(scorer.calls[0]!.documents.every((t) => t.endsWith(' true'))).toBe(true);
  });

  it('an abort while data() loads rejects with ABORTED and never calls the reranker', async () => {
    // Guards cancellation between the data loads and scoring (typing on cancels a stale rerank).
    const search = await pagefind.search('cats');
    const ac = new AbortController();
    const slow = search.results.map((r) => ({ ...r, data: async () => { ac.abort(); return r.data(); } }));
    const scorer = keywordScorer();
    await expect(rerankPagefind(scorer, 'cats', slow, { signal: ac.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(scorer.calls).toEqual([]);
  });
});
