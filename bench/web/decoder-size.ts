// The real-size decoder bench page: one contender per page (and per browser, so that its memory is its own), loaded
// once and queried round after round by scripts/bench-decoder-size.ts. rerank-web runs through its public API;
// transformers.js runs in a worker of its own (tjs-decoder.worker.ts), as the model card's recipe reads in JS.
import { createReranker, type Reranker } from '../../src/index.ts';
import type { DecoderSizeLoad, DecoderSizeLoadSpec, DecoderSizeQuery } from './decoder-size-types.ts';

type Current = { kind: 'rw'; reranker: Reranker } | { kind: 'tjs'; call: (msg: object) => Promise<unknown> };
let current: Current | null = null;

function tjsCall(): (msg: object) => Promise<unknown> {
  // Literal, so that Vite emits the worker chunk.
  const worker = new Worker(new URL('./tjs-decoder.worker.ts', import.meta.url), { type: 'module', name: 'transformers.js' });
  return (msg) => new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ ok: boolean; value?: unknown; error?: string }>) => (e.data.ok ? resolve(e.data.value) : reject(new Error(e.data.error)));
    worker.onerror = (e) => reject(new Error(`transformers.js worker failed: ${e.message}`));
    worker.postMessage(msg);
  });
}

async function load(spec: DecoderSizeLoadSpec): Promise<DecoderSizeLoad> {
  if (current) throw new Error('one contender per page');
  const t0 = performance.now();
  const c = spec.contender;
  if (c.impl === 'rerank-web') {
    // cache: false: the bench measures scoring and memory; each browser loads once, from the hub stand-in.
    const reranker = await createReranker({
      model: spec.model, hubUrl: spec.hubUrl, device: 'wasm', dtype: spec.dtype as 'q8', numThreads: spec.threads, wasmSessions: 1,
      maxLength: spec.maxLength, sharedPrefix: c.sharedPrefix, pruneLmHead: c.pruneLmHead, cache: false,
    });
    current = { kind: 'rw', reranker };
    const i = reranker.info;
    return {
      loadMs: performance.now() - t0, threads: i.numThreads, crossOriginIsolated: i.crossOriginIsolated, modelFile: i.modelFile, lmHead: i.lmHead ?? null,
      detail: `rerank-web, ORT ${i.ortVersion}, ${i.modelFile}, sharedPrefix ${String(i.sharedPrefix)}, batchSize ${i.batchSize}, LM head ${i.lmHead?.pruned ? `pruned to ${i.lmHead.tokens}` : 'full'}`,
    };
  }
  const call = tjsCall();
  current = { kind: 'tjs', call };
  const r = (await call({ type: 'load', spec, ortBase: new URL('/ort-tjs/', location.href).href })) as Omit<DecoderSizeLoad, 'loadMs'>;
  return { ...r, loadMs: performance.now() - t0 };
}

async function query(q: string, docs: string[]): Promise<DecoderSizeQuery> {
  if (!current) throw new Error('load() first');
  const t0 = performance.now();
  if (current.kind === 'tjs') return (await current.call({ type: 'query', query: q, docs })) as DecoderSizeQuery;
  const scores = Array.from(await current.reranker.score(q, docs));
  const t = current.reranker.lastTimings;
  return { scores, ms: performance.now() - t0, runs: t?.runs ?? 0, paddedTokens: t?.paddedTokens ?? 0, maxRunLogitsBytes: t?.maxRunLogitsBytes ?? 0 };
}

(window as unknown as { dsz: unknown; dszReady: boolean }).dsz = { load, query };
(window as unknown as { dszReady: boolean }).dszReady = true;
