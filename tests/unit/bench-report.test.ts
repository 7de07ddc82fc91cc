// The benchmark's ratios are taken within a round and summarised over rounds: these guard the arithmetic that the
// PASS/FAIL lines and docs/benchmark.md's table rest on.
import { describe, expect, it } from 'vitest';
import { BEST_TJS, computeTargets, ratioTable, roundRatios, spread } from '../../bench/run/report.ts';
import { roundOrder, type ImplStats, type Round, type RowResult } from '../../bench/run/rows.ts';
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
