// Bounded memory: 1,000 reranks of 50 documents in a row, in one page. The workers' memory (JS heap and WASM memory,
// through performance.measureUserAgentSpecificMemory) must not grow after the first hundred.
import { expect, test } from '@playwright/test';
import config from '../playwright.config.ts';
import { mustLoad, openHarness, TINY } from './support/page.ts';
import { record } from './support/report.ts';

const launch = config.use?.launchOptions ?? {};
// Without it, the measurement waits for the next natural GC (up to 20 s and more).
test.use({ launchOptions: { ...launch, args: [...(launch.args ?? []), '--enable-blink-features=ForceEagerMeasureMemory'] } });

test('1,000 reranks of 50 documents: worker memory does not grow after the first hundred', async ({ page }) => {
  test.setTimeout(600_000);
  await openHarness(page);
  const info = await mustLoad(page, { model: TINY, device: 'wasm' });
  const r = await page.evaluate(async () => {
    const rr = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
    const measure = async () => {
      const m = await (performance as unknown as { measureUserAgentSpecificMemory(): Promise<{ bytes: number; breakdown: { bytes: number; attribution: { scope: string }[] }[] }> }).measureUserAgentSpecificMemory();
      const workers = m.breakdown.filter((b) => b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope')).reduce((s, b) => s + b.bytes, 0);
      return { total: m.bytes, workers };
    };
    const words = ['cats', 'dogs', 'search', 'gpu', 'rivers', 'coffee', 'bread', 'sleep'];
    const docsFor = (i: number) => Array.from({ length: 50 }, (_, j) => `${words[(i + j) % 8]} ${words[(i * j) % 8]} document ${i}-${j} `.repeat(1 + ((i + j) % 6)));
    const samples: { after: number; total: number; workers: number }[] = [];
    const t0 = performance.now();
    for (let i = 1; i <= 1000; i++) {
      await rr.rerank(`${words[i % 8]} query ${i}`, docsFor(i), { topK: 10 });
      if (i === 100 || i % 300 === 0 || i === 1000) samples.push({ after: i, ...(await measure()) });
    }
    return { samples, ms: performance.now() - t0 };
  });
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  for (const s of r.samples) console.log(`after ${s.after} reranks: workers ${mb(s.workers)} MiB, page total ${mb(s.total)} MiB`);
  console.log(`1,000 reranks of 50 documents (${info.dtype}, ${info.numThreads} threads) in ${(r.ms / 1000).toFixed(0)} s`);
  const first = r.samples[0]!;
  const last = r.samples.at(-1)!;
  record('test-results/reliability.json', 'soak', {
    load: '1,000 reranks of 50 documents', seconds: Math.round(r.ms / 1000),
    workersMiBAfter100: Number(mb(first.workers)), workersMiBAfter1000: Number(mb(last.workers)),
  });
  expect(first.workers).toBeGreaterThan(0);
  // Growth allowance: 10% (allocator and GC noise), far below what a leak of even one buffer per call would add.
  expect(last.workers).toBeLessThanOrEqual(first.workers * 1.1);
  expect(last.total).toBeLessThanOrEqual(first.total * 1.1);
});
