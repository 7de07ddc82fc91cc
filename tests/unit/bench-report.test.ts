// The benchmark's ratios are taken within a round and summarised over rounds: these guard the arithmetic that the
// PASS/FAIL lines and docs/benchmark.md's table rest on.
import { describe, expect, it } from 'vitest';
import { coldBaselineLine, coldBrowserCheck, coldByteRatios, coldTable, coldTargets } from '../../bench/run/cold-report.ts';
import { checkBrowser, KINDS, kindOf, type ColdImpl, type ColdResult, type ColdVisit, type FileTransfer } from '../../bench/run/cold.ts';
import { BEST_TJS, computeTargets, ratioTable, roundRatios, spread, targetLines } from '../../bench/run/report.ts';
import { roundOrder, type ImplStats, type Round, type RowResult } from '../../bench/run/rows.ts';
import { mergeBenchRuns } from '../../scripts/docs-tables.ts';
import type { Impl } from '../../bench/types.ts';

const impl = (name: Impl, docsPerSec: number, p50Ms: number, error?: string): ImplStats => ({
  impl: name, docs: 50, docsPerSec, p50Ms, p95Ms: p50Ms, firstBatchP50Ms: p50Ms, loadColdMs: 0, loadCacheMs: null, peakRendererMB: null,
  paddedTokens: 1, realTokens: 1, gflops: 0, maxDiff: null, top1Agreement: null, batchCheckMaxDiff: null, tokenizeShare: 0,
  inferenceShare: 0, foreignCores: null, threads: 2, detail: '', latenciesMs: [p50Ms], ...(error ? { error } : {}),
});
const round = (figs: Partial<Record<Impl, [number, number]>>): Round => ({
  order: Object.keys(figs) as Impl[],
  figures: Object.fromEntries(Object.entries(figs).map(([k, [d, p]]) => [k, { docsPerSec: d, p50Ms: p, latenciesMs: [p], foreignCores: 0 }])),
});
const row = (rounds: Round[] | undefined, impls: ImplStats[], extra: Partial<RowResult> = {}): RowResult => ({
  key: 'MiniLM-L6 q8 top-50 2T', model: 'MiniLM-L6', dtype: 'q8', topK: 50, threads: 2, queries: 1, impls, ...(rounds ? { rounds } : {}), ...extra,
});

describe('roundOrder', () => {
  it('puts each implementation first exactly once over as many rounds (no one always runs on a warm or cold machine)', () => {
    const impls: Impl[] = ['rerank-web', 'transformers.js', 'transformers.js-chunked', 'onnxruntime-node'];
    const firsts = impls.map((_, r) => roundOrder(impls, r)[0]);
    expect(new Set(firsts).size).toBe(impls.length);
    for (let r = 0; r < 6; r++) expect([...roundOrder(impls, r)].sort()).toEqual([...impls].sort());
  });
});

describe('roundRatios', () => {
  const all = [impl('rerank-web', 8, 6000), impl('transformers.js', 4, 12000), impl('transformers.js-chunked', 5, 9000)];

  it('takes the better transformers.js path per round, not the better column overall', () => {
    // Round 1 naive is faster, round 2 chunked: the better one differs between rounds.
    const r = row([round({ 'rerank-web': [10, 5], 'transformers.js': [5, 10], 'transformers.js-chunked': [4, 8] }),
      round({ 'rerank-web': [9, 6], 'transformers.js': [3, 12], 'transformers.js-chunked': [6, 9] })], all);
    expect(roundRatios(r, 'rerank-web', BEST_TJS, 'docsPerSec')).toEqual([2, 1.5]);
    // For latency the better path is the lower p50.
    expect(roundRatios(r, 'rerank-web', BEST_TJS, 'p50Ms')).toEqual([5 / 8, 6 / 9]);
    expect(roundRatios(r, 'rerank-web', 'transformers.js', 'docsPerSec')).toEqual([2, 3]);
  });

  it('leaves out an implementation that failed, and reads JSON from before rounds as one round', () => {
    const failed = [impl('rerank-web', 8, 6000), impl('transformers.js', 4, 12000), impl('transformers.js-chunked', NaN, NaN, 'boom')];
    const r = row([round({ 'rerank-web': [10, 5], 'transformers.js': [5, 10], 'transformers.js-chunked': [20, 1] })], failed);
    expect(roundRatios(r, 'rerank-web', BEST_TJS, 'docsPerSec')).toEqual([2]);
    expect(roundRatios(row(undefined, all), 'rerank-web', BEST_TJS, 'docsPerSec')).toEqual([8 / 5]);
  });
});

describe('spread and the table', () => {
  it('gives median with min and max, and the table prints them', () => {
    expect(spread([1.5, 1.2, 1.9, 1.4, 1.6])).toEqual({ median: 1.5, min: 1.2, max: 1.9, n: 5 });
    expect(spread([])).toBeNull();
    const rounds = [1.2, 1.5, 1.9].map((x) => round({ 'rerank-web': [x * 4, 1], 'transformers.js': [4, 1], 'transformers.js-chunked': [3, 1] }));
    const r = row(rounds, [impl('rerank-web', 6, 1), impl('transformers.js', 4, 1), impl('transformers.js-chunked', 3, 1)]);
    expect(ratioTable([r])).toContain('| 1.50x [1.20-1.90] |');
  });

  it('holds the q8 docs/s target to the median over rounds against the better path', () => {
    const rounds = [1.25, 1.35, 1.4].map((x) => round({ 'rerank-web': [x * 4, 1], 'transformers.js': [2, 1], 'transformers.js-chunked': [4, 1] }));
    const t = computeTargets([row(rounds, [impl('rerank-web', 5, 1), impl('transformers.js', 2, 1), impl('transformers.js-chunked', 4, 1)])]);
    const q8 = t.find((x) => x.name.startsWith('docs/s vs the better transformers.js path, MiniLM-L6 q8 top-50'))!;
    expect(q8.value).toBeCloseTo(1.35);
    expect(q8.pass).toBe(true);
    expect(q8.note).toContain('[1.25-1.40]');
  });
});

// The cold row: one first visit per path and round; bytes by kind as sent, times from navigation.
const visit = (impl: ColdImpl, firstMs: number, fullMs: number, js: number, wasm: number, extra: Partial<ColdVisit> = {}): ColdVisit => ({
  impl, readyMs: 100, loadedMs: firstMs / 2, firstBatchMs: firstMs, fullMs, files: [], detail: '',
  bytes: { js, wasm, model: 23_435_816, tokenizer: 207_588, other: 502 }, browserCheck: { serverLoads: 10, browserLoads: 10, maxGapBytes: 0 }, browserSeen: [], ...extra,
});
const cold = (visits: ColdVisit[], asyncify: number | null = 6_670_000): ColdResult => ({
  model: 'MiniLM-L6', dtype: 'q8', topK: 50, threads: 2, query: 'q', visits, asyncifyWasmBytes: asyncify, asyncifyWasmFile: asyncify ? 'assets/x.wasm' : null,
});

describe('the cold row', () => {
  it('sorts each fetched URL into the kinds the issue names (hub JSON and its 404 probes are tokenizer/config)', () => {
    expect(kindOf('http://h:1/assets/ort-wasm-simd-threaded-abc.wasm')).toBe('wasm');
    expect(kindOf('http://h:1/ort-tjs/ort-wasm-simd-threaded.asyncify.mjs')).toBe('js');
    expect(kindOf('http://hub:2/org/m/resolve/main/onnx/model_quantized.onnx')).toBe('model');
    expect(kindOf('http://hub:2/org/m/resolve/main/tokenizer.json')).toBe('tokenizer');
    expect(kindOf('http://hub:2/org/m/resolve/main/generation_config.json')).toBe('tokenizer');
    expect(kindOf('http://h:1/index.html')).toBe('other');
    expect(KINDS).toEqual(['js', 'wasm', 'model', 'tokenizer', 'other']);
  });

  it('holds rerank-web\'s JS + wasm to 0.6x of the same JS with the asyncify .wasm, per visit, failed visits left out', () => {
    // (0.2 + 3.7) / (0.2 + 6.67) = 0.568: the build choice passes; with a 4.2 MB .wasm it would be 0.64 and fail.
    const c = cold([visit('rerank-web', 6000, 27000, 200_000, 3_700_000), visit('transformers.js-chunked', 16000, 44000, 180_000, 6_690_000),
      visit('rerank-web', 7000, 28000, 200_000, 3_700_000, { error: 'boom' })]);
    expect(coldByteRatios(c)).toHaveLength(1);
    expect(coldByteRatios(c)[0]).toBeCloseTo(3.9 / 6.87, 6);
    const bytes = coldTargets(c)[0]!;
    expect(bytes.pass).toBe(true);
    expect(bytes.note).toContain('transformers.js path: 6.87 MB');
    expect(coldTargets(cold([visit('rerank-web', 1, 2, 200_000, 4_200_000)]))[0]!.pass).toBe(false);
    // Without the baseline file there is nothing to hold it to: N/A, not a pass.
    expect(coldTargets(cold([visit('rerank-web', 1, 2, 200_000, 3_700_000)], null))[0]!.pass).toBeNull();
  });

  it('reports time to the first batch for both paths in seconds, with no target, and prints median [min-max]', () => {
    const c = cold([visit('rerank-web', 6000, 27000, 1, 1), visit('rerank-web', 9000, 30000, 1, 1), visit('rerank-web', 5000, 26000, 1, 1),
      visit('transformers.js-chunked', 16000, 44000, 1, 1)]);
    const times = coldTargets(c).slice(1);
    expect(times.map((t) => [t.value, t.pass])).toEqual([[6, null], [16, null]]);
    expect(targetLines(times)).toContain('N/A  time to the first reranked batch on a cold visit, rerank-web');
    expect(targetLines(times)).toContain(': 6.00 s (target none (s))');
    const table = coldTable(c);
    expect(table).toContain('| rerank-web | 3 | 6.00 [5.00-9.00] | 27.00 [26.00-30.00] |');
    expect(table).toContain('| transformers.js sorted+chunked | 1 | 16.00 [16.00-16.00] |');
    expect(coldTable(cold([visit('rerank-web', 1, 2, 1, 1, { error: 'x' })]))).toContain('| rerank-web | 0 (+1 failed) | – |');
  });

  it('pairs each server load with Chromium\'s nearest count of the same URL, and warns when they disagree by over 1 kB', () => {
    // The worker script: sent once, reported by Chromium without its body (0), then revalidated (304, 0): unmatched.
    // The same JSON twice, once gzipped (199) and once not (314), finishing in the other order: paired by size.
    const f = (url: string, bytes: number): FileTransfer => ({ url, kind: kindOf(url), status: 200, bytes, encoding: 'gzip' });
    const files = [f('http://s/a.js', 1000), f('http://s/w.js', 500), f('http://s/x.wasm', 4_000_000), f('http://s/x.wasm', 0), f('http://h/c.json', 314), f('http://h/c.json', 199)];
    const seen = [{ url: 'http://s/a.js', bytes: 1017 }, { url: 'http://s/w.js', bytes: 0 }, { url: 'http://s/w.js', bytes: 0 }, { url: 'http://s/x.wasm', bytes: 4_000_030 },
      { url: 'http://h/c.json', bytes: 199 }, { url: 'http://h/c.json', bytes: 314 }];
    const c = checkBrowser(files, seen);
    expect(c).toEqual({ serverLoads: 5, browserLoads: 4, maxGapBytes: 30 });
    const near = cold([visit('rerank-web', 1, 2, 200_000, 3_700_000, { browserCheck: c })]);
    expect(coldBrowserCheck(near)).toEqual(c);
    expect(coldBaselineLine(near)).toContain('of the 5 loads the servers sent a body for, Chromium\'s own count (CDP encodedDataLength) reported 4, each within 30 bytes');
    expect(coldBaselineLine(near)).not.toContain('WARNING');
    const far = cold([visit('rerank-web', 1, 2, 200_000, 3_700_000, { browserCheck: { serverLoads: 3, browserLoads: 3, maxGapBytes: 5000 } })]);
    expect(coldBaselineLine(far)).toContain('WARNING');
  });
});

describe('docs:tables --bench A,B (several runs in one table)', () => {
  // Guards the merged table the README quotes: a row measured twice shows the later run, none is lost or doubled,
  // and the cold row comes from the last run that has one.
  const row = (key: string, tag: string) => ({ key, tag }) as unknown as RowResult;
  const cold = (tag: string) => ({ tag }) as unknown as ColdResult;
  it('keeps every key once, the later run winning, in order of first appearance after replacement', () => {
    const m = mergeBenchRuns([
      { title: 'a', rows: [row('q8 top-50', 'a'), row('fp32 top-50', 'a')], cold: cold('a') },
      { title: 'b', rows: [row('q8 top-100', 'b'), row('q8 top-50', 'b')], cold: null },
    ]);
    expect(m.rows.map((r) => `${r.key}:${(r as unknown as { tag: string }).tag}`)).toEqual(['fp32 top-50:a', 'q8 top-100:b', 'q8 top-50:b']);
    expect((m.cold as unknown as { tag: string }).tag).toBe('a');
    expect(m.title).toBe('a');
    expect(m.titles).toEqual(['a', 'b']);
  });
  it('a cold-only run adds its cold row and no title to the rows', () => {
    const m = mergeBenchRuns([{ title: 'rows', rows: [row('x', 'r')], cold: null }, { title: 'cold', rows: [], cold: cold('c') }]);
    expect(m.titles).toEqual(['rows']);
    expect(m.title).toBe('cold');
  });
});
