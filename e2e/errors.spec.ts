// Bad input and broken models get a coded error that names the cause, through the worker boundary; nothing hangs.
import { expect, test, type Page } from '@playwright/test';
import { HUB, load, mustLoad, openHarness, TINY } from './support/page.ts';

type Reranker = import('../src/index.ts').Reranker;

/** Runs fn(reranker) in the page; returns its value or the error's code and message. */
async function attempt(page: Page, fn: string): Promise<{ ok: boolean; value?: unknown; code?: string; message?: string; isRerankError?: boolean }> {
  return page.evaluate(async (src) => {
    const r = (window as unknown as { reranker: Reranker }).reranker;
    try {
      return { ok: true, value: await (new Function('r', `return (${src})(r)`) as (r: Reranker) => Promise<unknown>)(r) };
    } catch (e) {
      const err = e as { code?: string; message: string };
      return { ok: false, code: err.code, message: err.message, isRerankError: e instanceof window.rerankWeb.RerankError };
    }
  }, fn);
}

test.describe('bad input gets a clear answer', () => {
  test.beforeEach(async ({ page }) => {
    await openHarness(page);
    await mustLoad(page, { model: TINY, device: 'wasm' });
  });

  test('an empty list gives [] and empty documents are scored', async ({ page }) => {
    // An empty document is a result like any other (a page may have one); an empty query is refused (inputs.spec.ts).
    expect(await attempt(page, 'r => r.rerank("q", [])')).toEqual({ ok: true, value: [] });
    const s = await attempt(page, 'r => r.score("q", ["", "text"])');
    expect(s.ok).toBe(true);
    expect((s.value as number[]).every((x) => x >= 0 && x <= 1)).toBe(true);
  });

  test('objects are read through their text field or getText, and come back as they were', async ({ page }) => {
    const r = await attempt(page, 'r => r.rerank("cats", [{ id: 1, text: "cats" }, { id: 2, body: "dogs" }], { getText: (d) => d.text ?? d.body })');
    expect((r.value as { document: { id: number } }[]).map((x) => x.document.id).sort()).toEqual([1, 2]);
  });

  for (const [what, call] of [
    ['a document that is not text', 'r => r.rerank("q", ["ok", 42])'],
    ['an object without a text field', 'r => r.rerank("q", [{ title: "no text" }])'],
    ['a query that is not a string', 'r => r.rerank(null, ["a"])'],
    ['documents that are not an array', 'r => r.rerank("q", "abc")'],
    ['topK 0', 'r => r.rerank("q", ["a"], { topK: 0 })'],
    ['topK 2.5', 'r => r.rerank("q", ["a"], { topK: 2.5 })'],
    ['topK NaN', 'r => r.rerank("q", ["a"], { topK: NaN })'],
    ['topK -1', 'r => r.rerank("q", ["a"], { topK: -1 })'],
  ] as const) {
    test(`${what}: INVALID_ARGUMENT`, async ({ page }) => {
      expect(await attempt(page, call)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', isRerankError: true });
    });
  }

  test('unknown device or dtype: INVALID_OPTION', async ({ page }) => {
    expect(await load(page, { model: TINY, device: 'cuda' as 'wasm' })).toMatchObject({ ok: false, code: 'INVALID_OPTION' });
    expect(await load(page, { model: TINY, dtype: 'int3' as 'q8' })).toMatchObject({ ok: false, code: 'INVALID_OPTION' });
  });

  test('an aborted signal rejects with ABORTED, before and during a call', async ({ page }) => {
    expect(await attempt(page, 'r => r.rerank("q", ["a"], { signal: AbortSignal.abort() })')).toMatchObject({ ok: false, code: 'ABORTED' });
    const during = await attempt(page, `async (r) => {
      const c = new AbortController();
      const docs = Array.from({ length: 400 }, (_, i) => 'cats and dogs ' + i);
      const p = r.rerank('q', docs, { signal: c.signal, onBatch: () => c.abort() });
      return p;
    }`);
    expect(during).toMatchObject({ ok: false, code: 'ABORTED' });
    // The worker is still usable afterwards.
    expect((await attempt(page, 'r => r.score("q", ["a"])')).ok).toBe(true);
  });

  test('concurrent calls each get their own results', async ({ page }) => {
    const r = await attempt(page, `async (r) => {
      const queries = ['cats', 'dogs', 'soup', 'gpu', 'search'];
      const docs = ['cats and dogs', 'tomato soup', 'the gpu is fast', 'search results'];
      const together = await Promise.all(queries.map((q) => r.score(q, docs)));
      const alone = [];
      for (const q of queries) alone.push(await r.score(q, docs));
      return { together, alone };
    }`);
    const v = r.value as { together: number[][]; alone: number[][] };
    expect(v.together).toEqual(v.alone);
  });
});

test.describe('broken models name the file and the cause', () => {
  for (const [model, dtype, code, file] of [
    ['faults/missing-onnx', 'q8', 'MODEL_NOT_FOUND', 'onnx/model_quantized.onnx'],
    ['faults/missing-onnx', 'auto', 'MODEL_NOT_FOUND', 'onnx/model.onnx'],
    ['faults/html-onnx', 'fp32', 'MODEL_INVALID', 'onnx/model.onnx'],
    ['faults/truncated-onnx', 'fp32', 'MODEL_INVALID', 'onnx/model.onnx'],
    ['faults/server-error', 'fp32', 'MODEL_FETCH_FAILED', 'tokenizer.json'],
    ['faults/server-error', 'fp32', 'MODEL_FETCH_FAILED', `from ${new URL(HUB).host}`], // names the host it tried
    ['faults/gated', 'fp32', 'MODEL_NOT_FOUND', 'not found or is gated'], // the hub's 401: what to check, not a bare HTTP code
    ['faults/bad-json', 'fp32', 'MODEL_INVALID', 'tokenizer.json'],
    ['no-such-org/no-such-model', 'fp32', 'MODEL_NOT_FOUND', 'tokenizer.json'],
    ['faults/wrong-architecture', 'fp32', 'MODEL_UNSUPPORTED', 'GPT2LMHeadModel'],
  ] as const) {
    test(`${model} (${dtype}): ${code} naming ${file}`, async ({ page }) => {
      await openHarness(page);
      const r = await load(page, { model, dtype, device: 'wasm', cache: false });
      expect(r).toMatchObject({ ok: false, code });
      if (!r.ok) {
        expect(r.message).toContain(file);
        console.log(`${model}: ${r.code}: ${r.message}`);
      }
    });
  }

  test('a broken model leaves nothing in the cache', async ({ page }) => {
    await openHarness(page);
    await page.evaluate(() => caches.delete('rerank-web-models-v1'));
    await load(page, { model: 'faults/truncated-onnx', dtype: 'fp32', device: 'wasm' });
    const keys = await page.evaluate(async () => (await (await caches.open('rerank-web-models-v1')).keys()).map((k) => k.url));
    // The JSON files were fine and may stay; the broken ONNX file must not.
    expect(keys.filter((k) => k.endsWith('.onnx'))).toEqual([]);
  });

  test('a worker that cannot start rejects with WORKER_CRASHED instead of hanging', async ({ page }) => {
    await openHarness(page);
    const r = await page.evaluate(async (hubUrl) => {
      try {
        await window.rerankWeb.createReranker({ hubUrl, model: 'x/y', createWorker: () => new Worker('/no-such-worker.js', { type: 'module' }) });
        return 'resolved';
      } catch (e) {
        return (e as { code: string }).code;
      }
    }, HUB);
    expect(r).toBe('WORKER_CRASHED');
  });
});
