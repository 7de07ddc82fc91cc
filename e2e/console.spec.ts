// A quiet console: a normal load and rerank, on WASM and WebGPU, every dtype the generated models have, one and two
// WASM sessions, leaves nothing in the console of the page, the reranker's worker, its lane workers or ORT's threads.
// Playwright 1.65 reports dedicated workers' console messages, nested ones (our lanes) included, through the context's
// (and the page's) 'console' event; the first test checks that this is still so, or an empty list would prove nothing.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mustLoad, openHarness, TINY, TINYBERT } from './support/page.ts';
import { modelAvailable } from './support/reference.ts';
import { BUILTIN } from './support/texts.ts';

const MODEL = modelAvailable(TINYBERT) ? TINYBERT : TINY;

interface Seen { console: string[]; wasmFetches: string[] }

function watch(context: BrowserContext, page: Page): Seen {
  const seen: Seen = { console: [], wasmFetches: [] };
  context.on('console', (m) => seen.console.push(`[${m.type()}${m.worker() ? ` in worker ${m.worker()!.url().slice(-40)}` : ''}] ${m.text()}`));
  context.on('weberror', (e) => seen.console.push(`uncaught: ${e.error().message}`));
  page.on('pageerror', (e) => seen.console.push(`pageerror: ${e.message}`));
  context.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('.wasm')) seen.wasmFetches.push(r.url());
  });
  return seen;
}

test('the watcher hears the page, a worker and a worker inside a worker (else an empty console proves nothing)', async ({ page, context }) => {
  const seen = watch(context, page);
  await openHarness(page);
  await page.evaluate(() => {
    const js = (code: string) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    const inner = js("console.warn('nested'); postMessage('done')");
    new Worker(js(`console.error('worker'); new Worker(${JSON.stringify(inner)}).onmessage = () => postMessage('done')`)).onmessage = () => {};
    console.info('page');
  });
  await expect.poll(() => seen.console.length).toBe(3);
  expect(seen.console.map((l) => l.replace(/ in worker .*\]/, ' in worker]')).sort()).toEqual(['[error in worker] worker', '[info] page', '[warning in worker] nested']);
});

const CASES: { device: 'wasm' | 'webgpu'; dtype: 'fp32' | 'q8' | 'q4'; wasmSessions: 1 | 2 }[] = [
  ...(['fp32', 'q8', 'q4'] as const).flatMap((dtype) => ([1, 2] as const).map((wasmSessions) => ({ device: 'wasm' as const, dtype, wasmSessions }))),
  // WebGPU runs one session (lanes are WASM only); its GPU check opens a WASM session beside it. No fp16 here:
  // SwiftShader has no shader-f16 and the generated models have no fp16 file.
  ...(['fp32', 'q8', 'q4'] as const).map((dtype) => ({ device: 'webgpu' as const, dtype, wasmSessions: 1 as const })),
];

for (const c of CASES) {
  test(`${c.device} ${c.dtype}, wasmSessions ${c.wasmSessions}: load, rerank and dispose leave the console empty`, async ({ page, context }) => {
    const seen = watch(context, page);
    await openHarness(page);
    const info = await mustLoad(page, { model: MODEL, device: c.device, dtype: c.dtype, wasmSessions: c.wasmSessions, numThreads: 2 });
    expect(info).toMatchObject({ device: c.device, dtype: c.dtype, wasmSessions: c.wasmSessions });
    const ranked = await page.evaluate(async ([q, d]) => {
      const r = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
      const out = await r.rerank(q as string, d as string[]);
      await r.dispose();
      return out.length;
    }, [BUILTIN.query, BUILTIN.docs] as const);
    expect(ranked).toBe(BUILTIN.docs.length);
    // Two lanes that each fetched ORT's .wasm raced for one URL, and an aborted streaming compile printed
    // "wasm streaming compile failed" (issue 12): the pool fetches it once, whatever the session count.
    if (c.device === 'wasm') expect(seen.wasmFetches).toHaveLength(1);
    // A WASM load takes ORT's CPU-only build (14.2 MB), not the WebGPU one's asyncify .wasm (26.8 MB).
    if (c.device === 'wasm') expect(seen.wasmFetches[0]).not.toMatch(/asyncify|jsep|jspi/);
    expect(seen.console).toEqual([]);
  });
}

// Decoder rerankers (issue 10): the tiny Qwen3-shaped model, pointwise with the shared prefix, and listwise.
for (const [device, dtype, mode] of [['wasm', 'q8', 'pointwise'], ['wasm', 'fp32', 'listwise'], ['webgpu', 'q4', 'pointwise']] as const) {
  test(`decoder ${device} ${dtype} ${mode}: load, rerank and dispose leave the console empty`, async ({ page, context }) => {
    test.skip(!modelAvailable('rerank-web-test/tiny-qwen3'), 'tiny-qwen3 was not generated (npm run models)');
    const seen = watch(context, page);
    await openHarness(page);
    await mustLoad(page, { model: 'rerank-web-test/tiny-qwen3', device, dtype, mode });
    const ranked = await page.evaluate(async ([q, d]) => {
      const r = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
      const out = await r.rerank(q as string, d as string[]);
      await r.dispose();
      return out.length;
    }, [BUILTIN.query, BUILTIN.docs.slice(0, 4)] as const);
    expect(ranked).toBe(4);
    expect(seen.console).toEqual([]);
  });
}
