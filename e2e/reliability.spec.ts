// Faults the library survives, and load it holds, in Chromium. Figures are printed for the README.
import { expect, test, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { HUB, load, mustLoad, openHarness, TINY } from './support/page.ts';
import { MODELS_DIR } from './support/reference.ts';
import { record } from './support/report.ts';

type Reranker = import('../src/index.ts').Reranker;
const REPORT = 'test-results/reliability.json';

/** Runs `src` (an async function of the reranker) in the page. */
function inPage<T>(page: Page, src: string, arg?: unknown): Promise<T> {
  return page.evaluate(async ([s, a]) => {
    const r = (window as unknown as { reranker: Reranker }).reranker;
    return (new Function('r', 'arg', `return (${s})(r, arg)`) as (r: Reranker, a: unknown) => Promise<T>)(r, a);
  }, [src, arg] as const);
}

async function hubLog(page: Page, reset = false): Promise<string[]> {
  return (await (await page.request.fetch(`${HUB}/__requests`, { method: reset ? 'DELETE' : 'GET' })).json()) as string[];
}

test.describe('the worker dies', () => {
  test('terminated mid-call: the pending call rejects WORKER_CRASHED, the next call starts a fresh worker', async ({ page }) => {
    await openHarness(page);
    await page.evaluate(async (hubUrl) => {
      (window as unknown as { reranker: Reranker }).reranker = await window.rerankWeb.createReranker({
        hubUrl, model: 'rerank-web-test/tiny-bert', device: 'wasm', createWorker: window.harness.trackedWorker,
      });
    }, HUB);
    const r = await inPage<{ code: string; ms: number; after: number[]; workers: number }>(page, `async (r) => {
      const docs = Array.from({ length: 3000 }, (_, i) => 'cats and dogs and a long tail of words ' + i);
      let killedAt = 0;
      const pending = r.score('q', docs).then(() => 'resolved', (e) => e.code);
      setTimeout(() => { killedAt = performance.now(); window.harness.tracked[0].terminate(); }, 300);   // as a crash would
      const code = await pending;
      const ms = performance.now() - killedAt;
      const after = await r.score('cats', ['cats', 'soup']);
      return { code, ms, after, workers: window.harness.tracked.length };
    }`);
    console.log(`terminated worker detected ${r.ms.toFixed(0)} ms after it was terminated`);
    record(REPORT, 'terminated', { fault: 'worker terminated mid-call', detectedMs: Math.round(r.ms) });
    expect(r.code).toBe('WORKER_CRASHED');
    expect(r.ms).toBeLessThan(2000);
    expect(r.after).toHaveLength(2);
    expect(r.workers).toBe(2);
  });

  test('a worker that throws as it starts: WORKER_CRASHED, not a hang', async ({ page }) => {
    await openHarness(page);
    const code = await page.evaluate(async (hubUrl) => {
      try {
        await window.rerankWeb.createReranker({ hubUrl, model: 'rerank-web-test/tiny-bert', createWorker: window.harness.throwingWorker });
        return 'resolved';
      } catch (e) {
        return (e as { code: string }).code;
      }
    }, HUB);
    expect(code).toBe('WORKER_CRASHED');
  });
});

test.describe('model files', () => {
  const onnx = fs.existsSync(`${MODELS_DIR}/${TINY}/onnx/model.onnx`) ? fs.readFileSync(`${MODELS_DIR}/${TINY}/onnx/model.onnx`) : Buffer.alloc(0);
  const sha = createHash('sha256').update(onnx).digest('base64');

  test('integrity pins: the right sha256 loads, a wrong one is INTEGRITY_MISMATCH naming the file, also from the cache', async ({ page }) => {
    await openHarness(page);
    await page.evaluate(() => caches.delete('rerank-web-models-v1'));
    const good = await load(page, { model: TINY, device: 'wasm', dtype: 'fp32', integrity: { 'onnx/model.onnx': `sha256-${sha}` } });
    expect(good.ok).toBe(true);
    // Now the file is cached: the pin is checked on the cached copy too, and the bad copy is evicted.
    const bad = await load(page, { model: TINY, device: 'wasm', dtype: 'fp32', integrity: { 'onnx/model.onnx': 'a'.repeat(64) } });
    expect(bad).toMatchObject({ ok: false, code: 'INTEGRITY_MISMATCH' });
    if (!bad.ok) expect(bad.message).toContain('onnx/model.onnx');
  });

  test('a model whose output is not a reranker head: MODEL_UNSUPPORTED naming the file', async ({ page }) => {
    await openHarness(page);
    const r = await load(page, { model: 'rerank-web-test/tiny-bert-3-labels', device: 'wasm', dtype: 'fp32' });
    expect(r).toMatchObject({ ok: false, code: 'MODEL_UNSUPPORTED' });
    if (!r.ok) expect(r.message).toMatch(/onnx\/model\.onnx.*\[1, 3\]/);
  });

  test('a two-label head and an output not called logits both work', async ({ page }) => {
    await openHarness(page);
    for (const model of ['rerank-web-test/tiny-bert-2-labels', 'rerank-web-test/tiny-bert-scores-output']) {
      const info = await mustLoad(page, { model, device: 'wasm', dtype: 'fp32' });
      expect(info.numLabels).toBe(model.endsWith('2-labels') ? 2 : 1);
      const s = await inPage<number[]>(page, 'r => r.score("cats", ["cats and dogs", "soup"])');
      expect(s.every((x) => x > 0 && x < 1)).toBe(true);
    }
  });

  test('a load aborted mid-download rejects ABORTED and leaves no cache entry', async ({ page }) => {
    await openHarness(page);
    await page.evaluate(() => caches.delete('rerank-web-models-v1'));
    await hubLog(page, true);
    const r = await page.evaluate(async (hubUrl) => {
      const ctl = new AbortController();
      const t0 = performance.now();
      try {
        await window.rerankWeb.createReranker({
          hubUrl, model: 'faults/slow-onnx', device: 'wasm', dtype: 'fp32', signal: ctl.signal,
          onProgress: (e) => { if (e.status === 'download' && e.file.endsWith('.onnx') && e.loaded > 0) ctl.abort(); },
        });
        return { code: 'resolved', ms: 0 };
      } catch (e) {
        return { code: (e as { code: string }).code, ms: performance.now() - t0 };
      }
    }, HUB);
    expect(r.code).toBe('ABORTED');
    expect(r.ms).toBeLessThan(8000); // the whole file takes 10 s
    const keys = await page.evaluate(async () => (await (await caches.open('rerank-web-models-v1')).keys()).map((k) => k.url));
    expect(keys.filter((k) => k.endsWith('.onnx'))).toEqual([]);
    await expect.poll(() => hubLog(page), { timeout: 5000 }).toContainEqual(expect.stringMatching(/^closed early: .*model\.onnx$/));
  });
});

test.describe('load', () => {
  test.beforeEach(async ({ page }) => {
    await openHarness(page);
    await mustLoad(page, { model: TINY, device: 'wasm' });
  });

  test('100 concurrent calls all resolve, in call order, each with its own query\'s scores', async ({ page }) => {
    const r = await inPage<{ order: number[]; same: boolean; ms: number }>(page, `async (r) => {
      const docs = ['cats and dogs', 'tomato soup', 'the gpu is fast', 'search results', 'rivers and deltas'];
      const queries = Array.from({ length: 100 }, (_, i) => ['cats', 'soup', 'gpu', 'search', 'river'][i % 5] + ' ' + i);
      const order = [];
      const t0 = performance.now();
      const together = await Promise.all(queries.map((q, i) => r.score(q, docs).then((s) => (order.push(i), s))));
      const ms = performance.now() - t0;
      let same = true;
      for (const i of [0, 1, 2, 37, 99]) {
        const alone = await r.score(queries[i], docs);
        same &&= alone.every((x, j) => x === together[i][j]);
      }
      return { order, same, ms };
    }`);
    record(REPORT, 'concurrent', { load: '100 concurrent calls of 5 documents', ms: Math.round(r.ms) });
    expect(r.order).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(r.same).toBe(true);
  });

  test('cancellation: before, during (the worker stops between batches) and after', async ({ page }) => {
    const r = await inPage<{ before: string; during: string; full: number; cancelled: number; afterValue: number }>(page, `async (r) => {
      const docs = Array.from({ length: 600 }, (_, i) => 'cats and dogs and some more words to score ' + i);
      const before = await r.score('q', docs, { signal: AbortSignal.abort() }).then(() => 'resolved', (e) => e.code);
      let t0 = performance.now();
      await r.score('q', docs);
      const full = performance.now() - t0;
      const ctl = new AbortController();
      t0 = performance.now();
      const during = await r.score('q', docs, { signal: ctl.signal, onBatch: (b) => { if (b.done >= 20) ctl.abort(); } }).then(() => 'resolved', (e) => e.code);
      await r.score('q', ['one more']);   // queued behind the cancelled call: it runs as soon as that one stops
      const cancelled = performance.now() - t0;
      const late = new AbortController();
      const value = await r.score('q', ['a'], { signal: late.signal });
      late.abort();                          // after the call: nothing happens to its result
      return { before, during, full, cancelled, afterValue: value[0] };
    }`);
    console.log(`600 documents: ${r.full.toFixed(0)} ms in full; cancelled after 20 plus a follow-up call: ${r.cancelled.toFixed(0)} ms`);
    record(REPORT, 'cancel', { load: 'cancel a 600-document call after 20', fullMs: Math.round(r.full), cancelledMs: Math.round(r.cancelled) });
    expect(r.before).toBe('ABORTED');
    expect(r.during).toBe('ABORTED');
    expect(r.cancelled).toBeLessThan(r.full / 2);
    expect(r.afterValue).toBeGreaterThan(0);
  });

  test('large input: 10,000 documents in one call, and a 1,000,000-character document', async ({ page }) => {
    const r = await inPage<{ n: number; ms: number; bigMs: number; truncated: boolean; finite: boolean }>(page, `async (r) => {
      const docs = Array.from({ length: 10000 }, (_, i) => 'document number ' + i + ' about cats, dogs and search');
      let t0 = performance.now();
      const ranked = await r.rerank('cats', docs, { topK: 10 });
      const ms = performance.now() - t0;
      const big = 'lorem ipsum dolor sit amet '.repeat(37038);
      t0 = performance.now();
      const [one] = await r.rerank('lorem', [big]);
      return { n: docs.length, ms, bigMs: performance.now() - t0, truncated: one.truncated, finite: ranked.every((x) => Number.isFinite(x.score)) };
    }`);
    console.log(`10,000 documents in ${(r.ms / 1000).toFixed(1)} s; a 1,000,000-character document in ${r.bigMs.toFixed(0)} ms`);
    record(REPORT, 'large', { load: '10,000 documents in one call', ms: Math.round(r.ms), bigDocMs: Math.round(r.bigMs) });
    expect(r.finite).toBe(true);
    expect(r.truncated).toBe(true);
    expect(r.bigMs).toBeLessThan(5000);
  });
});
