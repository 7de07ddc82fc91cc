// Pagefind's own default UI (the pagefind-ui.js its CLI wrote) on a real index, reranked by the integration
// (src/integrations/pagefind-ui.ts, installed by e2e/integrations-page.ts before Pagefind's script arrives, as the
// one script a site adds). The site is a few HTML pages made here, indexed by the `pagefind` CLI, served at
// /pagefind/ through context.route. The tiny model's weights are random: the expected order is the one its own
// scores give to the same texts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page, type Route } from '@playwright/test';
import { HUB, TINY } from './support/page.ts';

const PAGES = [
  ['Cats and dogs', 'Cats and dogs can live together when they are introduced slowly.', 'Introductions', 'Keep cats apart from a new dog for a week.'],
  ['Dog walks', 'Dogs need daily walks; cats do not.', 'Routes', 'Quiet streets are best, away from cats.'],
  ['Soup', 'A recipe for tomato soup with basil, nothing about cats.', 'Serving', 'Serve warm; cats will not want any.'],
  ['Training', 'How to train a dog to live with cats in a small home.', 'Rewards', 'Reward calm behaviour near the cats.'],
  ['Cats at night', 'Cats hunt at night and sleep during the day.', 'Sleep', 'Cats sleep sixteen hours a day.'],
  ['Chasing', 'Why some dogs chase cats, and how to stop it.', 'Stopping it', 'Redirect the dog before it chases the cats.'],
] as const;
const QUERY = 'cats';
const RERANK = { model: TINY, hubUrl: HUB, device: 'wasm' as const, dtype: 'fp32' as const };

let site = '';

test.beforeAll(() => {
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'rerank-web-e2e-pagefind-ui-'));
  PAGES.forEach(([title, text, heading, more], i) => {
    fs.writeFileSync(path.join(site, `p${i}.html`), `<!doctype html><html lang="en"><head><title>${title}</title></head><body><main>`
      + `<h1>${title}</h1><p>${text}</p><h2 id="part-${i}">${heading}</h2><p>${more}</p></main></body></html>`);
  });
  // The real CLI from the `pagefind` package, as a site's build runs it.
  execFileSync(path.resolve('node_modules/.bin/pagefind'), ['--site', site], { stdio: 'pipe' });
});

test.afterAll(() => {
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** The integrations page, the site's /pagefind/ bundle served (to the page and Pagefind's workers), Pagefind's UI script added. */
async function open(page: Page, hub: (route: Route) => Promise<void>, ui: 'default' | 'modular' | 'none' = 'default'): Promise<void> {
  await page.context().route('**/pagefind/**', async (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname);
    const file = path.join(site, rel);
    if (!file.startsWith(site) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return route.fulfill({ status: 404 });
    return route.fulfill({
      status: 200,
      body: fs.readFileSync(file),
      headers: { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' },
    });
  });
  await page.context().route(`${HUB}/**`, hub);
  if (ui === 'none') return; // the test brings its own page
  await page.goto('/e2e/integrations.html');
  await page.waitForFunction(() => window.integrationsReady === true);
  if (ui === 'modular') return openModular(page);
  await page.addStyleTag({ url: '/pagefind/pagefind-ui.css' });
  await page.addScriptTag({ url: '/pagefind/pagefind-ui.js' }); // defines window.PagefindUI, which the integration wraps
  await page.evaluate((rerank) => {
    const UI = (window as unknown as { PagefindUI: new (o: object) => unknown }).PagefindUI;
    new UI({ element: '#search', showSubResults: true, pageSize: 10, rerank });
  }, RERANK);
  await page.fill('.pagefind-ui__search-input', QUERY);
}

/** Pagefind's modular UI: an Instance with its Input and ResultList; the states land in window.rerankStates. */
async function openModular(page: Page): Promise<void> {
  await page.addScriptTag({ url: '/pagefind/pagefind-modular-ui.js' }); // defines window.PagefindModularUI
  await page.evaluate((rerank) => {
    type C = new (o: object) => { add(c: unknown): void; triggerSearch(t: string): void };
    const M = (window as unknown as { PagefindModularUI: Record<'Instance' | 'Input' | 'ResultList', C> }).PagefindModularUI;
    const states: string[] = [];
    (window as unknown as { rerankStates: string[] }).rerankStates = states;
    const list = document.createElement('ol');
    list.id = 'results';
    document.body.append(list);
    const instance = new M.Instance({ rerank: { ...rerank, onState: (s: string) => states.push(s) } });
    instance.add(new M.Input({ containerElement: '#search' }));
    instance.add(new M.ResultList({ containerElement: '#results' }));
    instance.triggerSearch('cats');
  }, RERANK);
}

/** Everything the page and its workers print (a normal load and rerank must print nothing). */
function quiet(page: Page): string[] {
  const seen: string[] = [];
  page.context().on('console', (m) => seen.push(`[${m.type()}] ${m.text()}`));
  page.context().on('weberror', (e) => seen.push(`uncaught: ${e.error().message}`));
  page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
  return seen;
}

/** The page URLs of the results on screen, top to bottom (the main link of each, not its sub-results). */
const shown = (page: Page) => page.locator('.pagefind-ui__result-inner > .pagefind-ui__result-title .pagefind-ui__result-link')
  .evaluateAll((links) => links.map((a) => a.getAttribute('href')));

/** Pagefind's own order for the query, from the JS API of the same bundle. */
const pagefindOrder = (page: Page) => page.evaluate(async (q) => {
  const pf = (await window.integrations.loadPagefind()) as { search(q: string): Promise<{ results: { data(): Promise<{ url: string }> }[] }> };
  const s = await pf.search(q);
  return Promise.all(s.results.map(async (r) => (await r.data()).url));
}, QUERY);

/** What the markup must keep: an excerpt with the match marked on every result, and sub-results (nested links). */
async function expectPagefindMarkup(page: Page, count: number): Promise<void> {
  await expect(page.locator('.pagefind-ui__result')).toHaveCount(count);
  const excerpts = await page.locator('.pagefind-ui__result-inner > .pagefind-ui__result-excerpt').evaluateAll((ps) => ps.map((p) => p.innerHTML));
  expect(excerpts).toHaveLength(count);
  for (const html of excerpts) expect(html).toMatch(/<mark>[^<]*cat/i);
  expect(await page.locator('.pagefind-ui__result-nested .pagefind-ui__result-link').count()).toBeGreaterThan(0);
  await expect(page.locator('.pagefind-ui__message')).toHaveText(`${count} results for ${QUERY}`);
}

test('Pagefind\'s UI: Pagefind\'s order while the model loads, then the reranker\'s, in Pagefind\'s own markup', async ({ page }) => {
  let release: () => void = () => {};
  const held = new Promise<void>((r) => { release = r; });
  const console = quiet(page);
  await open(page, async (route) => { await held; await route.continue(); });
  const firstStage = await pagefindOrder(page);
  expect(firstStage.length).toBe(PAGES.length); // every page has the word
  // While the model is held back: Pagefind's order on screen, full markup, and the status says so.
  await expect(page.locator('#search')).toHaveAttribute('data-rerank-state', 'loading');
  await expect(page.locator('.rerank-web-status')).toHaveText('Loading the reranker…');
  await expect.poll(() => shown(page)).toEqual(firstStage);
  await expectPagefindMarkup(page, PAGES.length);

  release();
  await expect(page.locator('#search')).toHaveAttribute('data-rerank-state', 'reranked', { timeout: 60_000 });
  await expect(page.locator('.rerank-web-status')).toBeHidden();
  // The order the tiny model's own scores give to the same texts (title and content of each page's fragment).
  const expected = await page.evaluate(async ([q, o]) => {
    const pf = (await window.integrations.loadPagefind()) as { search(q: string): Promise<{ results: { data(): Promise<{ url: string; content: string; meta: { title: string } }> }[] }> };
    const data = await Promise.all((await pf.search(q)).results.map((r) => r.data()));
    const reranker = await window.integrations.rerankWeb.createReranker(o);
    const scores = await reranker.score(q, data.map((d) => `${d.meta.title}\n${d.content}`));
    await reranker.dispose();
    return data.map((d, i) => ({ url: d.url, s: scores[i]!, i })).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.url);
  }, [QUERY, RERANK] as const);
  expect(expected).not.toEqual(firstStage); // otherwise this test could not tell reranked from not
  await expect.poll(() => shown(page), { timeout: 10_000 }).toEqual(expected);
  await expectPagefindMarkup(page, PAGES.length);
  expect(console).toEqual([]);
});

test('Pagefind\'s UI when the model cannot load: Pagefind\'s order stays, the UI keeps working', async ({ page }) => {
  await open(page, (route) => route.fulfill({ status: 404, body: 'not here' }));
  const firstStage = await pagefindOrder(page);
  await expect(page.locator('#search')).toHaveAttribute('data-rerank-state', 'failed', { timeout: 60_000 });
  await expect(page.locator('.rerank-web-status')).toBeHidden();
  await expect.poll(() => shown(page)).toEqual(firstStage);
  await expectPagefindMarkup(page, PAGES.length);
  // A new search still answers, in Pagefind's order, without trying the model again.
  await page.fill('.pagefind-ui__search-input', 'dogs');
  await expect(page.locator('.pagefind-ui__message')).toHaveText(/results? for dogs/);
  expect((await shown(page)).length).toBeGreaterThan(0);
});

test('Pagefind\'s modular UI: the same, through its Instance and ResultList', async ({ page }) => {
  let release: () => void = () => {};
  const held = new Promise<void>((r) => { release = r; });
  await open(page, async (route) => { await held; await route.continue(); }, 'modular');
  const firstStage = await pagefindOrder(page);
  const links = () => page.locator('#results .pagefind-modular-list-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const states = () => page.evaluate(() => (window as unknown as { rerankStates: string[] }).rerankStates);
  await expect.poll(links).toEqual(firstStage); // Pagefind's order while the model is held back
  expect(await states()).toEqual(['loading']);
  release();
  await expect.poll(states, { timeout: 60_000 }).toEqual(['loading', 'reranking', 'reranked']);
  const expected = await page.evaluate(async ([q, o]) => {
    const pf = (await window.integrations.loadPagefind()) as { search(q: string): Promise<{ results: { data(): Promise<{ url: string; content: string; meta: { title: string } }> }[] }> };
    const data = await Promise.all((await pf.search(q)).results.map((r) => r.data()));
    const reranker = await window.integrations.rerankWeb.createReranker(o);
    const scores = await reranker.score(q, data.map((d) => `${d.meta.title}\n${d.content}`));
    await reranker.dispose();
    return data.map((d, i) => ({ url: d.url, s: scores[i]!, i })).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.url);
  }, [QUERY, RERANK] as const);
  expect(expected).not.toEqual(firstStage);
  await expect.poll(links, { timeout: 10_000 }).toEqual(expected);
  const excerpts = await page.locator('#results .pagefind-modular-list-excerpt').evaluateAll((ps) => ps.map((p) => p.innerHTML));
  for (const html of excerpts) expect(html).toMatch(/<mark>[^<]*cat/i); // the modular UI's own markup, excerpts kept
});

test('the documented page: Pagefind\'s UI script, the standalone build\'s one script, new PagefindUI in DOMContentLoaded', async ({ page }) => {
  const console = quiet(page);
  await open(page, (route) => route.continue(), 'none');
  // The snippet of docs/adapters.md, with the test model; /standalone/ is dist/standalone (npm run build:lib).
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
    <link href="/pagefind/pagefind-ui.css" rel="stylesheet">
    <script src="/pagefind/pagefind-ui.js"></script>
    <script type="module" src="/standalone/pagefind-ui.js"></script></head><body>
    <div id="search"></div>
    <script>
      window.addEventListener('DOMContentLoaded', () => {
        new PagefindUI({ element: '#search', showSubResults: true, pageSize: 10, rerank: ${JSON.stringify(RERANK)} });
      });
    </script></body></html>`;
  await page.context().route('**/pagefind-site/', (route) => route.fulfill({
    status: 200, body: html,
    headers: { 'content-type': 'text/html', 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
  }));
  await page.goto('/pagefind-site/');
  await page.fill('.pagefind-ui__search-input', QUERY);
  await expect(page.locator('#search')).toHaveAttribute('data-rerank-state', 'reranked', { timeout: 60_000 });
  const expected = await page.evaluate(async ([q, o]) => {
    const pf = (await import(/* @vite-ignore */ new URL('/pagefind/pagefind.js', location.href).href)) as { search(q: string): Promise<{ results: { data(): Promise<{ url: string; content: string; meta: { title: string } }> }[] }> };
    const { createReranker } = (await import(/* @vite-ignore */ new URL('/standalone/rerank-web.js', location.href).href)) as typeof import('../src/index.ts');
    const data = await Promise.all((await pf.search(q)).results.map((r) => r.data()));
    const reranker = await createReranker(o);
    const scores = await reranker.score(q, data.map((d) => `${d.meta.title}\n${d.content}`));
    await reranker.dispose();
    return data.map((d, i) => ({ url: d.url, s: scores[i]!, i })).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.url);
  }, [QUERY, RERANK] as const);
  await expect.poll(() => shown(page), { timeout: 10_000 }).toEqual(expected);
  await expectPagefindMarkup(page, PAGES.length);
  expect(console).toEqual([]);
});
