// The deployable site (`npm run build`, dist/) as a static host serves it: a plain server with no headers, as GitHub
// Pages is, and one that applies the shipped _headers file, as Netlify and Cloudflare Pages do. The demo must rerank,
// leave the console empty, request nothing that 404s, and dist/ must hold no test page and no file over 25 MiB.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PORTS } from '../playwright.config.ts';
import { HUB } from './support/page.ts';

const DIST = path.resolve('dist');
const ORACLE = 'rerank-web-test/lexical-oracle';
const servers: ChildProcess[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.skip(!fs.existsSync(path.join(DIST, 'index.html')), 'dist/ is not built: run `npm run build` (npm test does)');
  for (const [port, extra] of [[PORTS.staticHost, []], [PORTS.staticHostHeaders, ['--headers']]] as const) {
    servers.push(spawn('node', ['e2e/support/static-host.mjs', DIST, String(port), ...extra], { stdio: 'inherit' }));
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.status, { timeout: 10_000 }).toBe(200);
  }
});
test.afterAll(() => {
  for (const s of servers) s.kill();
});

function watch(context: BrowserContext, page: Page): { console: string[]; failed: string[] } {
  const seen = { console: [] as string[], failed: [] as string[] };
  context.on('console', (m) => seen.console.push(`[${m.type()}] ${m.text()}`));
  context.on('weberror', (e) => seen.console.push(`uncaught: ${e.error().message}`));
  page.on('pageerror', (e) => seen.console.push(`pageerror: ${e.message}`));
  // The site's own requests: the model host's answers are the library's business (its 'auto' dtype probes files).
  context.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).origin !== HUB) seen.failed.push(`${r.status()} ${r.url()}`);
  });
  return seen;
}

async function rerankOnce(page: Page, origin: string): Promise<{ isolated: boolean; info: string }> {
  await page.goto(`${origin}/?model=${encodeURIComponent(ORACLE)}&hub=${encodeURIComponent(HUB)}&device=wasm&dtype=fp32`);
  await expect(page.locator('#device-pill')).toHaveText(/^Ready/, { timeout: 60_000 });
  await page.locator('#query').fill('how long do cats sleep');
  await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 60_000 });
  await expect(page.locator('#results li .move.up').first()).toBeVisible(); // the oracle moves documents
  return { isolated: await page.evaluate(() => crossOriginIsolated), info: await page.locator('#info').innerText() };
}

test('dist/ holds the demo only: no test pages, no file over 25 MiB, no page that 404s', () => {
  // Static hosts cap files at 25 MiB (ORT's asyncify .wasm, 26.8 MB, is left out of the site build); the e2e pages
  // and the no-bundler example (whose import 404s without the library build) belong to the test build only.
  const files: string[] = [];
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.join(d, e.name))));
  walk(DIST);
  const site = files.map((f) => path.relative(DIST, f)).filter((f) => !f.startsWith('lib/') && !f.startsWith('standalone/'));
  expect(site.filter((f) => f.endsWith('.html'))).toEqual(['index.html']);
  for (const f of site) expect(fs.statSync(path.join(DIST, f)).size, f).toBeLessThan(25 * 1024 * 1024);
  expect(site.some((f) => f.includes('asyncify'))).toBe(false);
});

test('on a static host with no headers (GitHub Pages): isolated by the service worker, reranks, quiet console, no 404', async ({ page, context }) => {
  const seen = watch(context, page);
  const r = await rerankOnce(page, `http://127.0.0.1:${PORTS.staticHost}`);
  // One reload through coi-sw.js made the page cross-origin isolated, so WASM has its threads.
  expect(r.isolated).toBe(true);
  expect(r.info).not.toContain('not cross-origin isolated');
  expect(seen.failed).toEqual([]);
  expect(seen.console).toEqual([]);
});

test('with ?coi=0 the same host runs single-threaded, and still reranks with a quiet console', async ({ page, context }) => {
  // The fallback for a browser without service workers: one thread, said in the device line.
  const seen = watch(context, page);
  await page.goto(`http://127.0.0.1:${PORTS.staticHost}/?coi=0&model=${encodeURIComponent(ORACLE)}&hub=${encodeURIComponent(HUB)}&device=wasm&dtype=fp32`);
  await expect(page.locator('#device-pill')).toHaveText(/^Ready/, { timeout: 60_000 });
  await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 60_000 });
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(page.locator('#info')).toContainText('1 thread');
  expect(seen.failed).toEqual([]);
  expect(seen.console).toEqual([]);
});

test('with the shipped _headers (Netlify, Cloudflare Pages): isolated from the first load, no service worker', async ({ page, context }) => {
  const seen = watch(context, page);
  const r = await rerankOnce(page, `http://127.0.0.1:${PORTS.staticHostHeaders}`);
  expect(r.isolated).toBe(true);
  // The headers did it: the demo had no reason to register its worker.
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
  expect(seen.failed).toEqual([]);
  expect(seen.console).toEqual([]);
});
