// WASM sessions side by side (wasmSessions, workers/backend/lanes.ts): the same scores as one session, more than
// one core without cross-origin isolation, lanes that go away with the reranker, and a lane death that rejects.
import { expect, test, type Page } from '@playwright/test';
import { HUB, load, mustLoad, openHarness, score, TINY, TINYBERT } from './support/page.ts';
import { modelAvailable } from './support/reference.ts';
import { BUILTIN } from './support/texts.ts';

const MODEL = modelAvailable(TINYBERT) ? TINYBERT : TINY;
// Lengths that differ, so that the lanes finish out of order and the merge by index is exercised.
const DOCS = BUILTIN.docs.flatMap((d, i) => [d, `${d} ${'and more words about search engines '.repeat(i * 3)}`]);

async function lanes(page: Page): Promise<number> {
  // Playwright sees nested dedicated workers too; lanes carry their name in the URL's worker name only, so count
  // workers beyond the reranker's own and ORT's threads by asking each for its name.
  let n = 0;
  for (const w of page.workers()) {
    const name = await w.evaluate(() => self.name).catch(() => '');
    if (name.startsWith('rerank-web-lane')) n++;
  }
  return n;
}

test('dynamic int8 with two threads runs two one-thread sessions, and scores as one session does', async ({ page, browser }) => {
  await openHarness(page);
  const info = await mustLoad(page, { model: MODEL, device: 'wasm', dtype: 'q8', numThreads: 2 });
  expect(info).toMatchObject({ device: 'wasm', numThreads: 2, wasmSessions: 2, batchSize: 1 });
  const side = await score(page, BUILTIN.query, DOCS);
  expect(side.ok).toBe(true);

  const other = await browser.newPage();
  await openHarness(other);
  expect(await mustLoad(other, { model: MODEL, device: 'wasm', dtype: 'q8', numThreads: 2, wasmSessions: 1 })).toMatchObject({ wasmSessions: 1 });
  const one = await score(other, BUILTIN.query, DOCS);
  await other.close();
  if (!side.ok || !one.ok) throw new Error('scoring failed');
  // One document per run either way: only the thread count inside a run differs, and int8 GEMMs sum exactly.
  const diff = Math.max(...side.value.map((s, i) => Math.abs(s - one.value[i]!)));
  console.log(`${MODEL} q8: 2 sessions x 1 thread vs 1 session x 2 threads, max |diff| ${diff.toExponential(2)}`);
  expect(diff).toBeLessThanOrEqual(1e-4);
});

test('batched dtypes keep one session; an explicit count is obeyed', async ({ page }) => {
  await openHarness(page);
  expect(await mustLoad(page, { model: TINY, device: 'wasm', dtype: 'fp32', numThreads: 2 })).toMatchObject({ wasmSessions: 1, numThreads: 2 });
  await page.evaluate(() => (window as unknown as { reranker: { dispose(): Promise<void> } }).reranker.dispose());
  expect(await mustLoad(page, { model: TINY, device: 'wasm', dtype: 'fp32', numThreads: 2, wasmSessions: 2 })).toMatchObject({ wasmSessions: 2 });
  const s = await score(page, BUILTIN.query, DOCS);
  expect(s.ok && s.value.length === DOCS.length && s.value.every(Number.isFinite)).toBe(true);
});

test('a page without cross-origin isolation uses two cores through wasmSessions', async ({ page }) => {
  await openHarness(page, { isolated: false });
  const info = await mustLoad(page, { model: MODEL, device: 'wasm', dtype: 'q8', wasmSessions: 2 });
  expect(info).toMatchObject({ crossOriginIsolated: false, numThreads: 1, wasmSessions: 2 });
  expect(await lanes(page)).toBe(2);
  const s = await score(page, BUILTIN.query, DOCS);
  expect(s.ok).toBe(true);
});

test('dispose ends the lanes with the worker', async ({ page }) => {
  await openHarness(page);
  await mustLoad(page, { model: MODEL, device: 'wasm', dtype: 'q8', numThreads: 2 });
  expect(await lanes(page)).toBe(2);
  await page.evaluate(() => (window as unknown as { reranker: { dispose(): Promise<void> } }).reranker.dispose());
  await expect.poll(() => lanes(page)).toBe(0);
});

test('a lane that dies mid-call rejects the call with a code, and the next call works again', async ({ page }) => {
  await openHarness(page);
  await mustLoad(page, { model: MODEL, device: 'wasm', dtype: 'q8', numThreads: 2 });
  const many = Array.from({ length: 400 }, (_, i) => DOCS[i % DOCS.length]!);
  const call = score(page, BUILTIN.query, many);
  await page.waitForTimeout(300);
  for (const w of page.workers()) {
    if ((await w.evaluate(() => self.name).catch(() => '')) === 'rerank-web-lane-1') await w.evaluate(() => self.close()).catch(() => {});
  }
  const r = await call;
  expect(r.ok ? 'resolved' : r.code).toBe('INFERENCE_FAILED');
  // The engine reopens its sessions for the next call rather than failing forever.
  const again = await score(page, BUILTIN.query, DOCS);
  expect(again.ok).toBe(true);
});

test('a model file the lanes cannot open fails the load with its code', async ({ page }) => {
  await openHarness(page);
  const r = await load(page, { model: 'faults/truncated-onnx', device: 'wasm', dtype: 'q8', numThreads: 2, cache: false });
  expect(r.ok ? 'loaded' : r.code).toBe('MODEL_INVALID');
});

test('lanes that cannot start leave one session with every thread, and the reranker works', async ({ page }) => {
  await openHarness(page);
  const r = await page.evaluate(async ([hubUrl, model, docs]) => {
    const rr = await window.rerankWeb.createReranker({ hubUrl, model, device: 'wasm', dtype: 'q8', numThreads: 2, createWorker: window.harness.revokedUrlWorker });
    const scores = await rr.score('cats', docs);
    const info = rr.info;
    await rr.dispose();
    return { sessions: info.wasmSessions, threads: info.numThreads, scores };
  }, [HUB, MODEL, DOCS] as const);
  expect(r).toMatchObject({ sessions: 1, threads: 2 });
  expect(r.scores.every(Number.isFinite)).toBe(true);
});
