// One table row: the same queries through onnxruntime-node (first: it is the reference), rerank-web and the two
// transformers.js paths, each loaded in its own fresh browser; then interleaved rounds (every implementation runs all
// the row's queries once per round, the one going first rotating), reduced to the figures the table shows. Ratios are
// taken within a round (contenders a few seconds apart see the same machine) and summarised over rounds.
import path from 'node:path';
import type { Impl, QueryResult, TjsImpl } from '../types.ts';
import { monitor, openSession, type BrowserSession } from './browser.ts';
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

/** One implementation's figures in one round: all of the row's queries once. */
export interface RoundFigures {
  docsPerSec: number;
  p50Ms: number;
  latenciesMs: number[];
  foreignCores: number | null;
}

export interface Round {
  /** Who ran, in the order they ran. */
  order: Impl[];
  figures: Partial<Record<Impl, RoundFigures>>;
}

export interface RowResult {
  key: string;
  model: string;
  dtype: string;
  topK: number;
  threads: number;
  /** Queries per round. */
  queries: number;
  impls: ImplStats[];
  /** The raw per-round figures the ratios are taken from (older JSON files have none). */
  rounds?: Round[];
  /** Largest |score| difference between the two transformers.js paths over every query of every round. */
  chunkedVsNaiveMaxDiff?: number | null;
}

export interface RowContext {
  hubUrl: string;
  pageUrl: string;
  modelsRoot: string;
  org: string;
  maxLength: number;
  cacheLoad: boolean;
  /** Interleaved rounds per row. */
  rounds: number;
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
      const want = ref[qi % ref.length]!.scores; // results hold every round's queries in turn
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

const median = (xs: number[]) => quantile(xs, 0.5);
const BROWSER_IMPLS: Impl[] = ['rerank-web', 'transformers.js', 'transformers.js-chunked', 'rerank-web-1s', 'rerank-web-2s', 'rerank-web-b16'];
const isTjs = (impl: Impl): impl is TjsImpl => impl === 'transformers.js' || impl === 'transformers.js-chunked';

/** The impls in round r: the list rotated by r, so that each goes first (and last) in turn. */
export function roundOrder(impls: Impl[], r: number): Impl[] {
  const k = impls.length === 0 ? 0 : r % impls.length;
  return [...impls.slice(k), ...impls.slice(0, k)];
}

export async function runRow(cfg: RowConfig, workload: Query[], ctx: RowContext): Promise<RowResult> {
  const key = rowKey(cfg);
  const queries = workload.slice(0, cfg.queries).map((q) => ({ text: q.text, docs: q.docs[cfg.topK]! }));
  const modelDir = path.join(ctx.modelsRoot, ctx.org, cfg.model.name);
  // The library's WASM plan (src/core/model-policy.ts runBatchSize): the native reference runs the same batches.
  const batchSize = cfg.dtype === 'q8' ? 1 : 4;

  // The reference first: its pairs give the FLOP count, its scores the differences.
  ctx.log(`${key}: onnxruntime-node`);
  const native = await createNative({ modelDir, onnxFile: ONNX_FILE[cfg.dtype], threads: cfg.threads, batchSize, maxLength: ctx.maxLength });
  await native.run(queries[0]!.text, queries[0]!.docs.slice(0, 2));
  const ref: QueryResult[] = [];
  for (const q of queries) ref.push(await native.run(q.text, q.docs));
  const flops = ref.reduce((n, r) => n + r.pairLengths!.reduce((m, len) => m + pairFlops(cfg.model, len), 0), 0);

  // Every browser implementation loads in its own fresh browser, one after the other, and stays open for the rounds.
  const sessions = new Map<Impl, BrowserSession>();
  const errors = new Map<Impl, unknown>();
  const loads = new Map<Impl, BrowserSession['load']>();
  try {
    for (const impl of cfg.impls.filter((i) => BROWSER_IMPLS.includes(i))) {
      ctx.log(`${key}: load ${impl}`);
      try {
        const session = await openSession({
          url: ctx.pageUrl,
          spec: {
            impl: isTjs(impl) ? impl : 'rerank-web',
            ...(impl === 'rerank-web-1s' ? { wasmSessions: 1 } : impl === 'rerank-web-2s' ? { wasmSessions: 2 } : {}),
            ...(impl === 'rerank-web-b16' ? { batchSize: 16 } : {}),
            model: `${ctx.org}/${cfg.model.name}`, hubUrl: ctx.hubUrl, dtype: cfg.dtype, device: 'wasm', threads: cfg.threads, maxLength: ctx.maxLength,
          },
          warmup: queries[0]!,
        });
        sessions.set(impl, session);
        loads.set(impl, session.load);
      } catch (e) {
        ctx.log(`  ${impl} FAILED to load: ${(e as Error).message.split('\n')[0]}`);
        errors.set(impl, e);
      }
    }

    // Let the last load's background compiling (V8 tiers up ORT's WASM after the warm-up) finish before round 1.
    await new Promise((r) => setTimeout(r, 2000));
    const live = cfg.impls.filter((i) => i === 'onnxruntime-node' || sessions.has(i));
    const results = new Map<Impl, QueryResult[]>(live.map((i) => [i, []]));
    const rounds: Round[] = [];
    for (let r = 0; r < ctx.rounds; r++) {
      const round: Round = { order: [], figures: {} };
      for (const impl of roundOrder(live.filter((i) => !errors.has(i)), r)) {
        const mon = monitor({ rss: false });
        const got: QueryResult[] = [];
        try {
          for (const q of queries) got.push(impl === 'onnxruntime-node' ? await native.run(q.text, q.docs) : await sessions.get(impl)!.query(q.text, q.docs));
        } catch (e) {
          ctx.log(`  ${impl} FAILED in round ${r + 1}: ${(e as Error).message.split('\n')[0]}`);
          errors.set(impl, e);
          continue;
        } finally {
          mon.stop();
        }
        const lat = got.map((x) => x.latencyMs);
        const docs = got.reduce((n, x) => n + x.scores.length, 0);
        round.order.push(impl);
        round.figures[impl] = { docsPerSec: docs / (lat.reduce((a, b) => a + b, 0) / 1000), p50Ms: median(lat), latenciesMs: lat, foreignCores: mon.foreignCores() };
        results.get(impl)!.push(...got);
      }
      rounds.push(round);
      ctx.log(`${key}: round ${r + 1}/${ctx.rounds}: ${round.order.map((i) => `${i} ${round.figures[i]!.docsPerSec.toFixed(1)} docs/s`).join(', ')}`);
    }

    const out: ImplStats[] = [];
    const foreign = (impl: Impl) => {
      const xs = rounds.map((r) => r.figures[impl]?.foreignCores).filter((x): x is number => typeof x === 'number');
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
    };
    for (const impl of cfg.impls) {
      if (errors.has(impl)) {
        out.push(failed(impl, errors.get(impl)));
        await sessions.get(impl)?.close();
        continue;
      }
      const res = results.get(impl)!;
      if (impl === 'onnxruntime-node') {
        out.push(stats(impl, res, null, flops * ctx.rounds, { loadColdMs: native.loadMs, threads: cfg.threads, foreignCores: foreign(impl), detail: `batchSize ${batchSize}` }));
        continue;
      }
      const session = sessions.get(impl)!;
      ctx.log(`${key}: ${impl}: batch-mates check${ctx.cacheLoad && cfg.cacheLoad !== false ? ', cached load' : ''}`);
      const fin = await session.finish({ first: { ...queries[0]!, scores: res[0]!.scores }, cacheLoad: cfg.cacheLoad ?? ctx.cacheLoad });
      const load = loads.get(impl)!;
      out.push(stats(impl, res, ref, flops * ctx.rounds, {
        loadColdMs: load.loadMs, loadCacheMs: fin.cacheLoad?.loadMs ?? null,
        peakRendererMB: fin.peakRendererBytes === null ? null : fin.peakRendererBytes / 2 ** 20,
        batchCheckMaxDiff: fin.batchCheck?.maxDiff ?? null, foreignCores: foreign(impl), threads: load.threads, detail: `ORT ${load.ortVersion}; ${load.detail}`,
      }));
    }
    // Each impl's per-round docs/s median is what the table shows; the aggregate over all rounds stays in the JSON.
    for (const s of out) {
      const xs = rounds.map((r) => r.figures[s.impl]?.docsPerSec).filter((x): x is number => typeof x === 'number');
      if (xs.length) s.docsPerSec = median(xs);
    }
    const a = results.get('transformers.js');
    const b = results.get('transformers.js-chunked');
    let chunkedVsNaiveMaxDiff: number | null = null;
    if (a?.length && b?.length && !errors.has('transformers.js') && !errors.has('transformers.js-chunked')) {
      chunkedVsNaiveMaxDiff = 0;
      a.forEach((x, k) => x.scores.forEach((v, i) => (chunkedVsNaiveMaxDiff = Math.max(chunkedVsNaiveMaxDiff!, Math.abs(v - b[k]!.scores[i]!)))));
    }
    const order: Impl[] = ['rerank-web', 'transformers.js', 'transformers.js-chunked', 'onnxruntime-node', 'rerank-web-1s', 'rerank-web-2s', 'rerank-web-b16'];
    out.sort((x, y) => order.indexOf(x.impl) - order.indexOf(y.impl));
    return { key, model: cfg.model.label, dtype: cfg.dtype, topK: cfg.topK, threads: cfg.threads, queries: queries.length, impls: out, rounds, chunkedVsNaiveMaxDiff };
  } finally {
    for (const s of sessions.values()) await s.close();
    await native.release();
  }
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
    const session = await openSession({
      url: ctx.pageUrl,
      spec: { impl: 'rerank-web', model: `${ctx.org}/${cfg.model.name}`, hubUrl: ctx.hubUrl, dtype: cfg.dtype, device: 'webgpu', threads: 2, maxLength: ctx.maxLength },
      warmup: { text: q.text, docs },
    });
    const row = { load: session.load };
    let got: number[];
    try {
      got = (await session.query(q.text, docs)).scores;
    } finally {
      await session.close();
    }
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
