// The pagefind.js stand-in behind the Pagefind UI integration, on a fake pagefind module whose results are
// Pagefind-shaped (id, score, data()) and a mocked scorer counting 'gentle' (adapters-support.ts): each case states
// what the UI would see from each search() and when it is asked to search again. The Chromium test
// (e2e/pagefind-ui.spec.ts) runs it under Pagefind's real UI on a real index.
import { describe, expect, it } from 'vitest';
import { RerankError, type Scorer } from '../../src/index.ts';
import { wrapPagefind, type PagefindModule, type RerankState } from '../../src/integrations/pagefind-wrap.ts';
import { DOCS, keywordScorer } from './adapters-support.ts';

function fakePagefind() {
  const calls: string[] = [];
  const results = DOCS.map((d, i) => ({
    id: d.id, score: 10 - i,
    data: async () => ({ url: `/${d.id}/`, content: d.text, excerpt: `<mark>${d.title}</mark>`, meta: { title: d.title } }),
  }));
  const mod: PagefindModule = {
    async search(term: string, options?: object) { calls.push(`search ${term} ${JSON.stringify(options ?? {})}`); return { results: [...results], unfilteredResultCount: results.length }; },
    async preload(term: string) { calls.push(`preload ${term}`); },
    async options(o: object) { calls.push(`options ${JSON.stringify(o)}`); },
  };
  return { mod, calls, results };
}

function harness(scorer: () => Promise<Scorer> = async () => keywordScorer()) {
  const fake = fakePagefind();
  const states: RerankState[] = [];
  const asked: [string, object | undefined][] = [];
  let wake: () => void = () => {};
  const askedOnce = new Promise<void>((r) => { wake = r; });
  const wrapped = wrapPagefind(fake.mod, {
    scorer,
    onReranked: (term, options) => { asked.push([term, options]); wake(); },
    onState: (s) => states.push(s),
  });
  return { ...fake, wrapped, states, asked, askedOnce };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('wrapPagefind', () => {
  it('answers with Pagefind\'s own order at once, then the same objects reranked on the search it asks for', async () => {
    const h = harness();
    const first = await h.wrapped.search('cats', { filters: {} });
    // Pagefind's order, Pagefind's objects: what the UI draws while the reranker works.
    expect(first!.results.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(first!.results[0]).toBe(h.results[0]);
    await h.askedOnce;
    expect(h.asked).toEqual([['cats', { filters: {} }]]);
    const second = await h.wrapped.search('cats', { filters: {} });
    // 'gentle' counts: c 4, d 2, b 1, e 1, a 0, f 0; ties keep Pagefind's order. Other fields survive.
    expect(second!.results.map((r) => r.id)).toEqual(['c', 'd', 'b', 'e', 'a', 'f']);
    expect(second!.results.every((r) => h.results.includes(r as never))).toBe(true);
    expect(second!.unfilteredResultCount).toBe(6);
    expect(h.states).toEqual(['loading', 'reranking', 'reranked']);
    // The reranked answer is for that one search: the next one goes to Pagefind again.
    await h.wrapped.search('cats', { filters: {} });
    expect(h.calls.filter((c) => c.startsWith('search'))).toHaveLength(2);
  });

  it('a new search before the reranker is done drops the old one: no redraw is asked for the stale term', async () => {
    let release: (s: Scorer) => void = () => {};
    const h = harness(() => new Promise<Scorer>((r) => { release = r; }));
    await h.wrapped.search('cats');
    await h.wrapped.search('gentle');
    release(keywordScorer());
    await h.askedOnce;
    await settle();
    expect(h.asked.map(([t]) => t)).toEqual(['gentle']);
  });

  it('when the model cannot load: Pagefind\'s order stays, state failed, no redraw, later searches still answered', async () => {
    const h = harness(async () => { throw new RerankError('MODEL_NOT_FOUND', 'no such model'); });
    const first = await h.wrapped.search('cats');
    await settle();
    expect(first!.results.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(h.states.at(-1)).toBe('failed');
    expect(h.asked).toEqual([]);
    const next = await h.wrapped.search('dogs');
    await settle();
    expect(next!.results).toHaveLength(6);
    expect(h.states.filter((s) => s === 'loading')).toHaveLength(1); // the failed load is not tried on every keystroke
  });

  it('passes the other exports through to the real module', async () => {
    const h = harness();
    await (h.wrapped.options as (o: object) => Promise<void>)({ excerptLength: 12 });
    await (h.wrapped.preload as (t: string) => Promise<void>)('ca');
    expect(h.calls).toEqual(['options {"excerptLength":12}', 'preload ca']);
  });
});
