// rerank-web/ai-sdk through the real `rerank()` of `ai`, in Chromium, on the real worker and the generated tiny
// model (WASM): the AI SDK's ranking must be rerank-web's own `rerank` (same order, same scores), for strings and
// objects, with topN, with a shared load, with the abort signal, and inside a worker.
import { expect, test, type Page } from '@playwright/test';
import { HUB, TINY } from './support/page.ts';

const QUERY = 'how do cats and dogs get along';
const DOCS = [
  'Cats and dogs can live together when they are introduced slowly.',
  'Dogs are loyal animals that need daily walks.',
  'A recipe for tomato soup with fresh basil, nothing about cats or dogs.',
  'How to train a dog to live with a cat in a small home.',
  'Cats hunt at night and sleep during the day.',
  'Why some dogs chase cats, and how to stop it.',
];
const OPTIONS = { hubUrl: HUB, device: 'wasm' as const, dtype: 'fp32' as const };

/** Everything the page and its workers print (a normal load and rerank must print nothing). */
function quiet(page: Page): string[] {
  const seen: string[] = [];
  page.context().on('console', (m) => seen.push(`[${m.type()}] ${m.text()}`));
  page.context().on('weberror', (e) => seen.push(`uncaught: ${e.error().message}`));
  page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
  return seen;
}

async function open(page: Page): Promise<void> {
  await page.goto('/e2e/integrations.html');
  await page.waitForFunction(() => window.integrationsReady === true);
}

test('rerank() of `ai` with rerankWeb gives rerank-web\'s own order and scores: strings, objects, topN, one load', async ({ page }) => {
  const console = quiet(page);
  await open(page);
  const r = await page.evaluate(async ([model, options, query, docs]) => {
    const { rerank, aiModel } = window.integrations;
    const m = aiModel(model, options);
    const strings = await rerank({ model: m, query, documents: docs });
    // rerank-web's own rerank, on the reranker the model loaded (the same one: loads are shared).
    const reranker = await m.load();
    const own = await reranker.rerank(query, docs);
    const objects = docs.map((text, id) => ({ id, text }));
    const fromObjects = await rerank({ model: aiModel(model, options), query, documents: objects });
    const top2 = await rerank({ model: m, query, documents: docs, topN: 2 });
    const again = await aiModel(model, { ...options }).load();
    return {
      ai: strings.ranking.map((x) => [x.originalIndex, x.score] as const),
      docsInOrder: strings.rerankedDocuments.every((d, i) => d === docs[strings.ranking[i]!.originalIndex]),
      own: own.map((x) => [x.index, x.score] as const),
      objects: fromObjects.ranking.map((x) => x.originalIndex),
      objectsSame: fromObjects.rerankedDocuments.every((d, i) => d === objects[fromObjects.ranking[i]!.originalIndex]),
      top2: top2.ranking.map((x) => x.originalIndex),
      shared: again === reranker,
      modelId: strings.response.modelId,
    };
  }, [TINY, OPTIONS, QUERY, DOCS] as const);
  // Random weights give an order of their own: it must not be the input order, or the check would prove nothing.
  expect(r.own.map(([i]) => i)).not.toEqual(DOCS.map((_, i) => i));
  expect(r.ai.map(([i]) => i)).toEqual(r.own.map(([i]) => i));
  for (let k = 0; k < r.ai.length; k++) expect(r.ai[k]![1]).toBeCloseTo(r.own[k]![1], 6);
  expect(r.docsInOrder).toBe(true);
  expect(r.objects).toEqual(r.own.map(([i]) => i)); // objects: their `text` field is what is scored
  expect(r.objectsSame).toBe(true); // and the AI SDK hands back the caller's own objects
  expect(r.top2).toEqual(r.own.slice(0, 2).map(([i]) => i));
  expect(r.shared).toBe(true); // a second model of the same id and options reuses the first load
  expect(r.modelId).toBe(TINY);
  expect(console).toEqual([]);
});

test('rerank() of `ai` honours the abort signal, and the model works again after it', async ({ page }) => {
  await open(page);
  const r = await page.evaluate(async ([model, options, query, docs]) => {
    const { rerank, aiModel } = window.integrations;
    const m = aiModel(model, options);
    await m.load();
    const many = Array.from({ length: 400 }, (_, i) => `${docs[i % docs.length]} (${i})`);
    const controller = new AbortController();
    const started = performance.now();
    const call = rerank({ model: m, query, documents: many, abortSignal: controller.signal, maxRetries: 0 });
    setTimeout(() => controller.abort(), 0);
    const outcome = await call.then(() => 'resolved', (e: { code?: string }) => e.code ?? String(e));
    const abortMs = performance.now() - started;
    const full = performance.now();
    await rerank({ model: m, query, documents: many });
    const fullMs = performance.now() - full;
    const after = await rerank({ model: m, query, documents: docs, topN: 3 });
    return { outcome, abortMs, fullMs, after: after.ranking.length };
  }, [TINY, OPTIONS, QUERY, DOCS] as const);
  expect(r.outcome).toBe('ABORTED');
  expect(r.abortMs).toBeLessThan(r.fullMs); // it stopped early, not after the whole list
  expect(r.after).toBe(3);
});

test('rerank() of `ai` with rerankWeb inside a worker gives the page\'s order', async ({ page }) => {
  const console = quiet(page);
  await open(page);
  const r = await page.evaluate(async ([model, options, query, docs]) => {
    const { aiWorker, rerankWeb } = window.integrations;
    const worker = aiWorker();
    const reply = await new Promise<{ ok: boolean; ranking?: { index: number; score: number }[]; message?: string }>((resolve) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => resolve({ ok: false, message: e.message });
      worker.postMessage({ model, options, query, documents: docs, topN: 4 });
    });
    worker.terminate();
    const reranker = await rerankWeb.createReranker({ model, ...options });
    const own = await reranker.rerank(query, docs, { topK: 4 });
    await reranker.dispose();
    return { reply, own: own.map((x) => [x.index, x.score] as const) };
  }, [TINY, OPTIONS, QUERY, DOCS] as const);
  expect(r.reply.ok, r.reply.message).toBe(true);
  expect(r.reply.ranking!.map((x) => x.index)).toEqual(r.own.map(([i]) => i));
  for (let k = 0; k < r.own.length; k++) expect(r.reply.ranking![k]!.score).toBeCloseTo(r.own[k]![1], 6);
  expect(console).toEqual([]);
});
