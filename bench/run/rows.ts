// One table row: the same queries through onnxruntime-node (first: it is the reference), rerank-web and the
// transformers.js path, each in its own fresh browser, reduced to the figures the table shows.
import path from 'node:path';
import type { Impl, QueryResult } from '../types.ts';
import { monitor, runBrowserRow, type BrowserRow } from './browser.ts';
import { ONNX_FILE, pairFlops, rowKey, type RowConfig, type SmokeConfig } from './configs.ts';
import { createNative } from './native.ts';
import type { Query } from './workload.ts';

export interface ImplStats {
  impl: Impl;
  error?: string;
  docs: number;
  docsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  firstBatchP50Ms: number;
  loadColdMs: number;
  loadCacheMs: number | null;
  peakRendererMB: number | null;
  paddedTokens: number;
  realTokens: number;
  /** Useful GFLOP/s: analytic FLOPs of the unpadded pairs over wall time. */
  gflops: number;
  maxDiff: number | null;
  top1Agreement: number | null;
  batchCheckMaxDiff: number | null;
  /** Share of the wall time spent tokenizing (inside the worker / runner). */
  tokenizeShare: number;
  /** Share of the wall time inside ORT's run() (the rest: tokenizing, packing, messages, scheduling). */
  inferenceShare: number;
  /** Cores other processes kept busy meanwhile (a shared machine's noise). */
  foreignCores: number | null;
  threads: number;
  detail: string;
  latenciesMs: number[];
}

export interface RowResult {
  key: string;
  model: string;
  dtype: string;
  topK: number;
  threads: number;
  queries: number;
  impls: ImplStats[];
}

export interface RowContext {
  hubUrl: string;
  pageUrl: string;
  modelsRoot: string;
  org: string;
  maxLength: number;
  cacheLoad: boolean;
  log: (msg: string) => void;
}

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

const argmax = (xs: number[]) => xs.reduce((best, v, i) => (v > xs[best]! ? i : best), 0);

function stats(impl: Impl, results: QueryResult[], ref: QueryResult[] | null, flops: number, extra: Partial<ImplStats>): ImplStats {
  const lat = results.map((r) => r.latencyMs);
  const total = lat.reduce((a, b) => a + b, 0);
  const docs = results.reduce((n, r) => n + r.scores.length, 0);
  let maxDiff: number | null = null;
  let top1: number | null = null;
  if (ref) {
    maxDiff = 0;
    let agree = 0;
    results.forEach((r, qi) => {
      const want = ref[qi]!.scores;
      r.scores.forEach((s, i) => (maxDiff = Math.max(maxDiff!, Number.isFinite(s) ? Math.abs(s - want[i]!) : Infinity)));
      if (argmax(r.scores) === argmax(want)) agree++;
    });
    top1 = agree / results.length;
  }
  return {
    impl, docs, docsPerSec: docs / (total / 1000), p50Ms: quantile(lat, 0.5), p95Ms: quantile(lat, 0.95),
    firstBatchP50Ms: quantile(results.map((r) => r.firstBatchMs), 0.5), loadColdMs: 0, loadCacheMs: null, peakRendererMB: null,
    paddedTokens: results.reduce((n, r) => n + r.paddedTokens, 0), realTokens: results.reduce((n, r) => n + r.realTokens, 0),
    gflops: flops / (total / 1000) / 1e9, maxDiff, top1Agreement: top1, batchCheckMaxDiff: null,
    tokenizeShare: results.reduce((n, r) => n + r.tokenizeMs, 0) / total,
    inferenceShare: results.reduce((n, r) => n + r.inferenceMs, 0) / total, foreignCores: null, threads: 0, detail: '', latenciesMs: lat,
    ...extra,
  };
}

function failed(impl: Impl, e: unknown): ImplStats {
  const nan = NaN;
  return {
    impl, error: (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300), docs: 0, docsPerSec: nan, p50Ms: nan, p95Ms: nan,
    firstBatchP50Ms: nan, loadColdMs: nan, loadCacheMs: null, peakRendererMB: null, paddedTokens: 0, realTokens: 0, gflops: nan,
    maxDiff: null, top1Agreement: null, batchCheckMaxDiff: null, tokenizeShare: nan, inferenceShare: nan, foreignCores: null, threads: 0, detail: '', latenciesMs: [],
  };
}

export async function runRow(cfg: RowConfig, workload: Query[], ctx: RowContext): Promise<RowResult> {
  const key = rowKey(cfg);
  const queries = workload.slice(0, cfg.queries).map((q) => ({ text: q.text, docs: q.docs[cfg.topK]! }));
  const modelDir = path.join(ctx.modelsRoot, ctx.org, cfg.model.name);
  // The library's WASM plan (src/core/model-policy.ts runBatchSize): the native reference runs the same batches.
  const batchSize = cfg.dtype === 'q8' ? 1 : 4;
  const out: ImplStats[] = [];

  // The reference first: its pairs give the FLOP count, its scores the differences.
  ctx.log(`${key}: onnxruntime-node`);
  const native = await createNative({ modelDir, onnxFile: ONNX_FILE[cfg.dtype], threads: cfg.threads, batchSize, maxLength: ctx.maxLength });
  await native.run(queries[0]!.text, queries[0]!.docs.slice(0, 2));
  const ref: QueryResult[] = [];
  const mon = monitor();
  for (const q of queries) ref.push(await native.run(q.text, q.docs));
  mon.stop();
  await native.release();
  const flops = ref.reduce((n, r) => n + r.pairLengths!.reduce((m, len) => m + pairFlops(cfg.model, len), 0), 0);
  if (cfg.impls.includes('onnxruntime-node')) {
    out.push(stats('onnxruntime-node', ref, null, flops, { loadColdMs: native.loadMs, threads: cfg.threads, foreignCores: mon.foreignCores(), detail: `batchSize ${batchSize}` }));
  }

  for (const impl of cfg.impls) {
    if (impl === 'onnxruntime-node') continue;
    ctx.log(`${key}: ${impl}`);
    try {
      const row: BrowserRow = await runBrowserRow({
        url: ctx.pageUrl,
        spec: {
          impl: impl === 'transformers.js' ? impl : 'rerank-web',
          ...(impl === 'rerank-web-1s' ? { wasmSessions: 1 } : impl === 'rerank-web-2s' ? { wasmSessions: 2 } : {}),
          ...(impl === 'rerank-web-b16' ? { batchSize: 16 } : {}),
          model: `${ctx.org}/${cfg.model.name}`, hubUrl: ctx.hubUrl, dtype: cfg.dtype, device: 'wasm', threads: cfg.threads, maxLength: ctx.maxLength,
        },
        queries, checkBatches: true, cacheLoad: cfg.cacheLoad ?? ctx.cacheLoad,
        onProgress: (m) => ctx.log(`  ${impl} ${m}`),
      });
      out.push(stats(impl, row.queries, ref, flops, {
        loadColdMs: row.load.loadMs, loadCacheMs: row.cacheLoad?.loadMs ?? null,
        peakRendererMB: row.peakRendererBytes === null ? null : row.peakRendererBytes / 2 ** 20,
        batchCheckMaxDiff: row.batchCheck?.maxDiff ?? null, foreignCores: row.foreignCores, threads: row.load.threads, detail: `ORT ${row.load.ortVersion}; ${row.load.detail}`,
      }));
    } catch (e) {
      ctx.log(`  ${impl} FAILED: ${(e as Error).message.split('\n')[0]}`);
      out.push(failed(impl, e));
    }
  }
  const order: Impl[] = ['rerank-web', 'transformers.js', 'onnxruntime-node', 'rerank-web-1s', 'rerank-web-2s', 'rerank-web-b16'];
  out.sort((a, b) => order.indexOf(a.impl) - order.indexOf(b.impl));
  return { key, model: cfg.model.label, dtype: cfg.dtype, topK: cfg.topK, threads: cfg.threads, queries: queries.length, impls: out };
}

export interface SmokeResult {
  label: string;
  ok: boolean;
  device: string;
  detail: string;
  maxDiff: number | null;
  top1Agrees: boolean | null;
  error?: string;
}

/** rerank-web on WebGPU against onnxruntime-node on the same file and pairs: a correctness check only. */
export async function runSmoke(cfg: SmokeConfig, workload: Query[], ctx: RowContext): Promise<SmokeResult> {
  const label = `${cfg.model.label} ${cfg.dtype} WebGPU, ${cfg.docs} docs`;
  const q = workload[0]!;
  const docs = q.docs[Math.min(...Object.keys(q.docs).map(Number))]!.slice(0, cfg.docs);
  const modelDir = path.join(ctx.modelsRoot, ctx.org, cfg.model.name);
  const native = await createNative({ modelDir, onnxFile: ONNX_FILE[cfg.dtype], threads: 2, batchSize: 16, maxLength: ctx.maxLength });
  const want = (await native.run(q.text, docs)).scores;
  await native.release();
  ctx.log(`smoke: ${label}`);
  try {
    const row = await runBrowserRow({
      url: ctx.pageUrl,
      spec: { impl: 'rerank-web', model: `${ctx.org}/${cfg.model.name}`, hubUrl: ctx.hubUrl, dtype: cfg.dtype, device: 'webgpu', threads: 2, maxLength: ctx.maxLength },
      queries: [{ text: q.text, docs }], checkBatches: false, cacheLoad: false,
    });
    const got = row.queries[0]!.scores;
    const maxDiff = Math.max(...got.map((s, i) => Math.abs(s - want[i]!)));
    const tol = cfg.dtype === 'fp32' ? 1e-4 : 1e-3;
    return {
      label, ok: row.load.device === 'webgpu' && maxDiff <= tol, device: row.load.device, detail: row.load.detail, maxDiff,
      top1Agrees: argmax(got) === argmax(want),
    };
  } catch (e) {
    return { label, ok: false, device: 'none', detail: '', maxDiff: null, top1Agrees: null, error: (e as Error).message.split('\n')[0] };
  }
}
