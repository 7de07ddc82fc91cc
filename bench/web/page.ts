// The bench page: one implementation per page, loaded and queried by the runner through window.bench.
// rerank-web through its public API only; transformers.js in a worker of our own (tjs.worker.ts), as its example does
// (spec.impl says whether the worker makes one padded call or length-sorted calls of 8).
import { createReranker, type Reranker } from '../../src/index.ts';
import type { LoadResult, LoadSpec, QueryResult } from '../types.ts';

type Call = (msg: object, onBatch?: () => void) => Promise<unknown>;
type Current = { kind: 'rw'; reranker: Reranker } | { kind: 'tjs'; worker: Worker; call: Call };
let current: Current | null = null;

function tjsWorker(): Worker {
  // Literal, so that Vite emits the worker chunk.
  return new Worker(new URL('./tjs.worker.ts', import.meta.url), { type: 'module', name: 'transformers.js' });
}

/** Request/reply over postMessage, one call at a time (the runner never overlaps calls); `batch` messages in between. */
function rpc(worker: Worker): Call {
  return (msg, onBatch) => new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ ok: boolean; value?: unknown; error?: string; batch?: unknown }>) => {
      if (e.data.batch) onBatch?.();
      else if (e.data.ok) resolve(e.data.value);
      else reject(new Error(e.data.error));
    };
    worker.onerror = (e) => reject(new Error(`transformers.js worker failed: ${e.message}`));
    worker.postMessage(msg);
  });
}

async function load(spec: LoadSpec): Promise<LoadResult> {
  if (current) throw new Error('one implementation per page: dispose() first');
  const t0 = performance.now();
  if (spec.impl === 'rerank-web') {
    const reranker = await createReranker({
      model: spec.model, hubUrl: spec.hubUrl, device: spec.device, dtype: spec.dtype, numThreads: spec.threads, maxLength: spec.maxLength,
      ...(spec.batchSize ? { batchSize: spec.batchSize } : {}),
      ...(spec.wasmSessions ? { wasmSessions: spec.wasmSessions } : {}),
    });
    const loadMs = performance.now() - t0;
    current = { kind: 'rw', reranker };
    const i = reranker.info;
    return {
      loadMs, threads: i.numThreads, crossOriginIsolated: i.crossOriginIsolated, fromCache: i.fromCache, device: i.device,
      ortVersion: i.ortVersion,
      detail: `${i.wasmSessions} session${i.wasmSessions > 1 ? 's' : ''}, ${i.modelFile}, batchSize ${i.batchSize}${i.adapter ? `, adapter ${i.adapter.vendor}/${i.adapter.architecture}` : ''}${i.fallbackReason ? `, fallback: ${i.fallbackReason}` : ''}`,
    };
  }
  const worker = tjsWorker();
  const call = rpc(worker);
  current = { kind: 'tjs', worker, call };
  const r = (await call({ type: 'load', spec, ortBase: new URL('/ort-tjs/', location.href).href })) as Omit<LoadResult, 'loadMs'>;
  return { ...r, loadMs: performance.now() - t0 };
}

async function query(q: string, docs: string[]): Promise<QueryResult> {
  if (!current) throw new Error('load() first');
  const t0 = performance.now();
  if (current.kind === 'rw') {
    let firstBatchMs = 0;
    const onBatch = () => {
      if (firstBatchMs === 0) firstBatchMs = performance.now() - t0;
    };
    const scores = await current.reranker.score(q, docs, { onBatch });
    const latencyMs = performance.now() - t0;
    const t = current.reranker.lastTimings!;
    return { scores, latencyMs, firstBatchMs, tokenizeMs: t.tokenizeMs, inferenceMs: t.inferenceMs, paddedTokens: t.paddedTokens, realTokens: t.realTokens, runs: t.runs };
  }
  let firstBatchMs = 0;
  const onBatch = () => {
    if (firstBatchMs === 0) firstBatchMs = performance.now() - t0;
  };
  const r = (await current.call({ type: 'query', query: q, docs }, onBatch)) as Omit<QueryResult, 'latencyMs' | 'firstBatchMs'>;
  const latencyMs = performance.now() - t0;
  // The naive path returns the whole top-K at once: nothing arrives before it is all scored.
  return { ...r, latencyMs, firstBatchMs: firstBatchMs || latencyMs };
}

async function dispose(): Promise<void> {
  const c = current;
  current = null;
  if (!c) return;
  if (c.kind === 'rw') await c.reranker.dispose();
  else {
    await c.call({ type: 'dispose' }).catch(() => {});
    c.worker.terminate();
  }
}

window.bench = { load, query, dispose };
window.benchReady = true;
