// The AI SDK model's mapping, run through the real `rerank()` of `ai` in Node over a mocked reranker whose score
// counts a word, so every expected order is stated. The browser test (e2e/ai-sdk.spec.ts) runs the real worker.
import fs from 'node:fs';
import path from 'node:path';
import { rerank } from 'ai';
import { describe, expect, it } from 'vitest';
import { RerankError, type RankedResult, type Reranker, type RerankerOptions } from '../../src/index.ts';
import { cacheKey, modelFactory, documentTexts, topKOf } from '../../src/ai-sdk/model.ts';
import { countWord } from './adapters-support.ts';

const DOCS = ['cats', 'gentle cats', 'gentle gentle cats', 'dogs'];

/** A Reranker whose score is the count of 'gentle' over (count + 1); it records each call's options. */
function mockReranker(calls: { texts: string[]; topK?: number; signal?: AbortSignal }[] = []): Reranker {
  return {
    info: { device: 'wasm', dtype: 'fp32' } as Reranker['info'],
    lastTimings: null,
    async rerank<T>(query: string, documents: readonly T[], o: { topK?: number; signal?: AbortSignal } = {}): Promise<RankedResult<T>[]> {
      calls.push({ texts: documents as unknown as string[], topK: o.topK, signal: o.signal });
      if (o.signal?.aborted) throw new RerankError('ABORTED', 'the call was aborted');
      const scored = documents.map((d, index) => ({ index, score: countWord(String(d), 'gentle') / (countWord(String(d), 'gentle') + 1), document: d, truncated: false }));
      return scored.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, o.topK ?? documents.length);
    },
    async score() { return []; },
    async dispose() {},
  };
}

function counting(make: () => Promise<Reranker> = async () => mockReranker()) {
  const loads: RerankerOptions[] = [];
  const factory = modelFactory(async (o) => { loads.push(o); return make(); });
  return { loads, factory };
}

describe('rerankWeb through ai.rerank()', () => {
  it('ranks string documents by the reranker, best first, with index and score', async () => {
    // The AI SDK's result shape: originalIndex, score, document; rerankedDocuments in that order.
    const { factory } = counting();
    const { ranking, rerankedDocuments } = await rerank({ model: factory('m'), query: 'q', documents: DOCS });
    expect(ranking.map((r) => r.originalIndex)).toEqual([2, 1, 0, 3]);
    expect(ranking.map((r) => r.score)).toEqual([2 / 3, 1 / 2, 0, 0]);
    expect(rerankedDocuments).toEqual(['gentle gentle cats', 'gentle cats', 'cats', 'dogs']);
  });

  it('reads the text field of object documents, and keeps the objects in the result', async () => {
    // Objects reach the model as { type: 'object' }: their `text` field is scored, the object itself comes back.
    const { factory } = counting();
    const docs = DOCS.map((text, id) => ({ id, text }));
    const { rerankedDocuments } = await rerank({ model: factory('m'), query: 'q', documents: docs });
    expect(rerankedDocuments.map((d) => d.id)).toEqual([2, 1, 0, 3]);
    expect(rerankedDocuments[0]).toBe(docs[2]);
  });

  it('uses getText for objects without a text field, and names the document when there is none', async () => {
    const { factory, loads } = counting();
    const docs = DOCS.map((body) => ({ body }));
    const withGetText = await rerank({ model: factory('m', { getText: (d) => String(d.body) }), query: 'q', documents: docs });
    expect(withGetText.ranking.map((r) => r.originalIndex)).toEqual([2, 1, 0, 3]);
    // Without getText: INVALID_ARGUMENT for document 0, not retried by the SDK (one load, no second try).
    const err = await rerank({ model: factory('other'), query: 'q', documents: docs }).catch((e: unknown) => e);
    expect((err as RerankError).code).toBe('INVALID_ARGUMENT');
    expect((err as Error).message).toMatch(/document 0 has no text/);
    expect(loads.map((l) => l.model)).toEqual(['m']); // the bad call failed before loading anything
  });

  it('passes topN as topK and returns that many', async () => {
    const calls: { texts: string[]; topK?: number }[] = [];
    const { factory } = counting(async () => mockReranker(calls));
    const { ranking } = await rerank({ model: factory('m'), query: 'q', documents: DOCS, topN: 2 });
    expect(ranking.map((r) => r.originalIndex)).toEqual([2, 1]);
    expect(calls[0]!.topK).toBe(2);
    await expect(rerank({ model: factory('m'), query: 'q', documents: DOCS, topN: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('hands the abort signal to the reranker, and an aborted call rejects with ABORTED', async () => {
    const calls: { signal?: AbortSignal }[] = [];
    const { factory } = counting(async () => mockReranker(calls as never));
    const controller = new AbortController();
    await rerank({ model: factory('m'), query: 'q', documents: DOCS, abortSignal: controller.signal });
    expect(calls[0]!.signal).toBe(controller.signal);
    controller.abort();
    await expect(rerank({ model: factory('m'), query: 'q', documents: DOCS, abortSignal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('an abort during the load rejects that call at once, and the load goes on for the next call', async () => {
    let release: (r: Reranker) => void = () => {};
    const { factory, loads } = counting(() => new Promise<Reranker>((resolve) => { release = resolve; }));
    const controller = new AbortController();
    const first = rerank({ model: factory('m'), query: 'q', documents: DOCS, abortSignal: controller.signal });
    await new Promise((r) => setTimeout(r, 0));
    controller.abort();
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' });
    const second = rerank({ model: factory('m'), query: 'q', documents: DOCS });
    release(mockReranker());
    expect((await second).ranking.length).toBe(4);
    expect(loads.length).toBe(1);
  });
});

describe('shared loading', () => {
  it('loads once per model id and options, whatever the functions or the key order', async () => {
    const { factory, loads } = counting();
    const a = factory('m', { device: 'wasm', dtype: 'q8', onProgress: () => {} });
    const b = factory('m', { dtype: 'q8', device: 'wasm' });
    await Promise.all([a.load(), b.load(), rerank({ model: a, query: 'q', documents: DOCS })]);
    expect(loads.length).toBe(1);
    await factory('m', { device: 'webgpu' }).load(); // other options: another load
    await factory('n', { device: 'wasm', dtype: 'q8' }).load(); // another model: another load
    expect(loads.map((l) => [l.model, l.device])).toEqual([['m', 'wasm'], ['m', 'webgpu'], ['n', 'wasm']]);
    expect(cacheKey('m', { device: 'wasm', dtype: 'q8' })).toBe(cacheKey('m', { dtype: 'q8', device: 'wasm', onProgress: () => {} }));
  });

  it('forgets a failed load, so that the next call tries again', async () => {
    let fail = true;
    const { factory, loads } = counting(async () => { if (fail) throw new RerankError('MODEL_FETCH_FAILED', 'offline'); return mockReranker(); });
    await expect(factory('m').load()).rejects.toMatchObject({ code: 'MODEL_FETCH_FAILED' });
    fail = false;
    await expect(factory('m').load()).resolves.toBeDefined();
    expect(loads.length).toBe(2);
  });

  it('loads again when the app disposed of the shared reranker', async () => {
    // model.load() hands the Reranker out, so an app may dispose of it; the next call must not fail with DISPOSED.
    const { factory, loads } = counting(async () => {
      const r = mockReranker();
      let disposed = false;
      return { ...r, dispose: async () => { disposed = true; }, rerank: (q, d, o) => (disposed ? Promise.reject(new RerankError('DISPOSED', 'disposed')) : r.rerank(q, d, o)) } as Reranker;
    });
    const m = factory('m');
    await (await m.load()).dispose();
    const { ranking } = await rerank({ model: m, query: 'q', documents: DOCS });
    expect(ranking.map((r) => r.originalIndex)).toEqual([2, 1, 0, 3]);
    expect(loads.length).toBe(2);
  });

  it('is the interface the SDK checks: v4, provider and model id', () => {
    const m = counting().factory('Xenova/ms-marco-MiniLM-L-6-v2');
    expect([m.specificationVersion, m.provider, m.modelId]).toEqual(['v4', 'rerank-web', 'Xenova/ms-marco-MiniLM-L-6-v2']);
    expect(() => counting().factory('')).toThrow(/modelId/);
  });
});

describe('pure mapping', () => {
  it('documentTexts and topKOf', () => {
    // Strings pass as they are; topN undefined means every document; non-integers are refused.
    expect(documentTexts({ type: 'text', values: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(documentTexts({ type: 'object', values: [{ text: 'x' }] })).toEqual(['x']);
    expect(() => documentTexts({ type: 'object', values: [{ text: 3 }] })).toThrow(/document 0/);
    expect(topKOf(undefined)).toBeUndefined();
    expect(topKOf(3)).toBe(3);
    expect(() => topKOf(1.5)).toThrow(/topN/);
  });
});

describe('optional peers', () => {
  it('nothing outside src/ai-sdk imports ai or @ai-sdk/*, and src/ai-sdk imports only types from them', () => {
    // `ai` and `@ai-sdk/provider` are optional peers: the core entry must load without them.
    const src = path.resolve(import.meta.dirname, '../../src');
    const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(src, f));
    const offending: string[] = [];
    for (const f of files) {
      const imports = [...fs.readFileSync(f, 'utf8').matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+'(ai|@ai-sdk\/[^']+)'/gm)];
      const inEntry = f.includes(`${path.sep}ai-sdk${path.sep}`);
      for (const m of imports) if (!inEntry || !m[2]) offending.push(`${path.relative(src, f)}: ${m[0].trim()}`);
    }
    expect(files.length).toBeGreaterThan(10);
    expect(offending).toEqual([]);
    // and the check sees the type import it allows (else an empty list proves nothing)
    expect(fs.readFileSync(path.join(src, 'ai-sdk/model.ts'), 'utf8')).toMatch(/^import type \{[^}]*\} from '@ai-sdk\/provider';/m);
  });
});
