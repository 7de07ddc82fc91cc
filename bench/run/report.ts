// The run's outputs: the ratio table (median and [min-max] over the interleaved rounds), the detail table (four
// implementations side by side in each cell), the issue's targets as PASS/FAIL lines with their ratios, and the
// environment the figures came from.
import { quantile, type ImplStats, type RowResult, type SmokeResult } from './rows.ts';
import type { Impl } from '../types.ts';

export interface Environment {
  os: string;
  cpu: string;
  cores: number;
  memoryGB: number;
  node: string;
  browser: string;
  versions: Record<string, string>;
  loadAverage: { start: number[]; end: number[] };
}

export interface Target {
  name: string;
  /** Measured value and the bound it is held to (ratios unless said otherwise). */
  value: number | null;
  bound: string;
  pass: boolean | null;
  note: string;
}

const IMPLS: Impl[] = ['rerank-web', 'transformers.js', 'transformers.js-chunked', 'onnxruntime-node'];
const TJS: Impl[] = ['transformers.js', 'transformers.js-chunked'];
const get = (row: RowResult | undefined, impl: Impl): ImplStats | undefined => row?.impls.find((s) => s.impl === impl && !s.error);

function fmt(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  return v.toFixed(digits);
}
const sci = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v === 0 ? '0' : v.toExponential(0));

/** "the better transformers.js path": per round, the higher docs/s or the lower p50 of the two. */
export const BEST_TJS = 'best-tjs';
type Metric = 'docsPerSec' | 'p50Ms';

/** a's figure over b's, one per round (from the aggregate when the JSON predates rounds). */
export function roundRatios(row: RowResult | undefined, a: Impl, b: Impl | typeof BEST_TJS, metric: Metric): number[] {
  if (!row) return [];
  const pick = (figs: Partial<Record<Impl, number>>): number | undefined => {
    if (b !== BEST_TJS) return figs[b];
    const xs = TJS.map((i) => figs[i]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    if (xs.length === 0) return undefined;
    return metric === 'docsPerSec' ? Math.max(...xs) : Math.min(...xs);
  };
  const ok = (impl: Impl) => !row.impls.find((s) => s.impl === impl)?.error;
  const rounds = row.rounds?.length
    ? row.rounds.map((r) => Object.fromEntries(Object.entries(r.figures).filter(([i]) => ok(i as Impl)).map(([i, f]) => [i, f![metric]])) as Partial<Record<Impl, number>>)
    : [Object.fromEntries(row.impls.filter((s) => !s.error).map((s) => [s.impl, s[metric]])) as Partial<Record<Impl, number>>];
  return rounds.flatMap((figs) => {
    const x = figs[a];
    const y = pick(figs);
    return x !== undefined && y !== undefined && Number.isFinite(x / y) ? [x / y] : [];
  });
}

export interface Spread { median: number; min: number; max: number; n: number }
export function spread(xs: number[]): Spread | null {
  return xs.length === 0 ? null : { median: quantile(xs, 0.5), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}
const spreadCell = (v: Spread | null) => (v ? `${fmt(v.median, 2)}x [${fmt(v.min, 2)}-${fmt(v.max, 2)}]` : '–');

/** "rw / tjs / tjs sorted+chunked / node" in one cell; a failed implementation shows as "failed". */
function cell(row: RowResult, f: (s: ImplStats) => string, only?: Impl[]): string {
  return IMPLS.map((impl) => {
    if (only && !only.includes(impl)) return '–';
    const s = row.impls.find((x) => x.impl === impl);
    if (!s) return '–';
    return s.error ? 'failed' : f(s);
  }).join(' / ');
}

/** Speed ratios per row: median [min-max] over the rounds, each ratio taken within one round. */
export function ratioTable(rows: RowResult[]): string {
  const head = [
    'configuration', 'queries x rounds', 'docs/s (median of rounds)', 'rw ÷ better tjs, docs/s', 'rw ÷ tjs naive', 'rw ÷ tjs sorted+chunked',
    'p50: rw ÷ better tjs', 'WASM ÷ native', 'sorted+chunked vs naive, max |Δscore|',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    lines.push('| ' + [
      r.key, `${r.queries} x ${r.rounds?.length ?? 1}`,
      cell(r, (s) => fmt(s.docsPerSec)),
      spreadCell(spread(roundRatios(r, 'rerank-web', BEST_TJS, 'docsPerSec'))),
      spreadCell(spread(roundRatios(r, 'rerank-web', 'transformers.js', 'docsPerSec'))),
      spreadCell(spread(roundRatios(r, 'rerank-web', 'transformers.js-chunked', 'docsPerSec'))),
      spreadCell(spread(roundRatios(r, 'rerank-web', BEST_TJS, 'p50Ms'))),
      spreadCell(spread(roundRatios(r, 'rerank-web', 'onnxruntime-node', 'docsPerSec'))),
      sci(r.chunkedVsNaiveMaxDiff),
    ].join(' | ') + ' |');
  }
  return lines.join('\n');
}

/** Everything else per implementation, over all rounds' queries. */
export function detailTable(rows: RowResult[]): string {
  const browser: Impl[] = ['rerank-web', 'transformers.js', 'transformers.js-chunked'];
  const head = [
    'configuration', 'p50 s', 'p95 s', 'first batch s', 'load cold s', 'load cached s',
    'peak renderer MB', 'padded/real tokens', 'in ORT run()', 'GFLOP/s', 'max |Δscore| vs native', 'top-1 = native', 'batch-mates Δ',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    lines.push('| ' + [
      r.key,
      cell(r, (s) => fmt(s.p50Ms / 1000, 2)),
      cell(r, (s) => fmt(s.p95Ms / 1000, 2)),
      cell(r, (s) => fmt(s.firstBatchP50Ms / 1000, 2)),
      cell(r, (s) => fmt(s.loadColdMs / 1000, 2)),
      cell(r, (s) => fmt((s.loadCacheMs ?? NaN) / 1000, 2), browser),
      cell(r, (s) => fmt(s.peakRendererMB, 0), browser),
      cell(r, (s) => fmt(s.paddedTokens / s.realTokens, 2)),
      cell(r, (s) => `${Math.round(s.inferenceShare * 100)}%`),
      cell(r, (s) => fmt(s.gflops)),
      cell(r, (s) => sci(s.maxDiff), browser),
      cell(r, (s) => (s.top1Agreement === null ? '–' : `${Math.round(s.top1Agreement * 100)}%`), browser),
      cell(r, (s) => sci(s.batchCheckMaxDiff), browser),
    ].join(' | ') + ' |');
  }
  return lines.join('\n');
}

/** Both tables, as the run prints them and docs/benchmark.md shows them. */
export function markdownTable(rows: RowResult[]): string {
  return `${ratioTable(rows)}\n\n${detailTable(rows)}`;
}

const VARIANT: Partial<Record<Impl, string>> = {
  'rerank-web-1s': 'rerank-web, wasmSessions 1 (one session, intra-op threads)',
  'rerank-web-2s': 'rerank-web, wasmSessions 2 (two one-thread sessions)',
  'rerank-web-b16': 'rerank-web, batchSize 16 (the WASM default before)',
};

/** Measurements behind proposed library changes: not what the library does today, so never in the main table. */
export function experimentsTable(rows: RowResult[]): string {
  const lines: string[] = [];
  for (const r of rows) {
    const rw = get(r, 'rerank-web');
    const tjsP50 = Math.min(...TJS.map((i) => get(r, i)?.p50Ms ?? Infinity));
    for (const s of r.impls) {
      if (s.impl !== 'rerank-web' && !VARIANT[s.impl]) continue;
      const label = s.impl === 'rerank-web' ? 'rerank-web as is' : VARIANT[s.impl]!;
      if (s.error) {
        lines.push(`| ${r.key} | ${label} | failed: ${s.error} |  |  |  |  |  |  |`);
        continue;
      }
      lines.push(`| ${r.key} | ${label} | ${fmt(s.docsPerSec)} | ${rw ? fmt(s.docsPerSec / rw.docsPerSec, 2) + 'x' : '–'} | ${fmt(s.p50Ms / 1000, 2)} | ${Number.isFinite(tjsP50) ? fmt(s.p50Ms / tjsP50, 2) + 'x' : '–'} | ${fmt(s.peakRendererMB, 0)} | ${sci(s.maxDiff)} | ${sci(s.batchCheckMaxDiff)} |`);
    }
  }
  if (!rows.some((r) => r.impls.some((s) => VARIANT[s.impl]))) return '';
  return [
    '| configuration | variant | docs/s | ÷ as is | p50 s | p50 ÷ better transformers.js | peak renderer MB | max |Δscore| vs native | batch-mates Δ |',
    '|---|---|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}

/** Which measurements shared the CPU with other processes (a shared machine): their figures are slower than they should be. */
export function noiseLine(rows: RowResult[]): string {
  const hit = rows.flatMap((r) => r.impls.filter((s) => (s.foreignCores ?? 0) > 0.25).map((s) => `${r.key} ${s.impl} (${fmt(s.foreignCores, 2)})`));
  return hit.length === 0
    ? 'No other process used more than 0.25 cores on average during any measurement.'
    : `WARNING: other processes kept CPU busy during some measurements (average cores in parentheses); those figures are slowed and their ratios are noisy: ${hit.join('; ')}.`;
}

export function legend(): string {
  return [
    'Cells read rerank-web / transformers.js naive (one padded call per query, as its example) / transformers.js sorted+chunked',
    '  (pairs sorted by token length, calls of 8, each padded to its longest) / onnxruntime-node; same ONNX file, queries, threads.',
    'Rounds: each implementation runs the row\'s queries once per round, the one going first rotating; ratios are taken within a',
    '  round and shown as median [min-max] over the rounds. "better tjs" is, per round, the faster of the two transformers.js paths.',
    'docs/s: documents over the summed per-query wall time of a round, median of the rounds; p50/p95 over all rounds\' queries.',
    'first batch: from the call until the first scored batch reached the caller (transformers.js naive returns everything at',
    '  once; sorted+chunked posts each chunk\'s scores to the page as it is done, the shortest pairs first).',
    'load: createReranker / from_pretrained to ready, in a fresh browser (cold) and again in a new page (files from the Cache API;',
    '  not repeated on top-100 rows, which load the same files). rerank-web\'s load includes its one-pair warm-up run.',
    'peak renderer MB: largest summed RSS of the Chromium renderer processes (page + workers + ORT threads) sampled every 100 ms',
    '  of that implementation\'s browser, from its cold load to its last query (Linux /proc; includes shared libraries).',
    'in ORT run(): time from handing a run to ONNX Runtime until its scores are back, over the wall time; summed over the runs in',
    '  flight, so above 100% with WASM sessions side by side (two runs per session, the second waiting in the lane).',
    'GFLOP/s: analytic FLOPs of the UNPADDED pairs (the useful work; padding and embeddings not counted) over wall time.',
    'max |Δscore| and top-1: against onnxruntime-node on the same file; rerank-web\'s pairs (only the document truncated).',
    'batch-mates Δ: six documents of the first query scored alone and reversed as one batch, vs. the same documents in the full call.',
  ].join('\n');
}

export function computeTargets(rows: RowResult[]): Target[] {
  const find = (model: string, dtype: string, topK: number, threads = 2) =>
    rows.find((r) => r.model === model && r.dtype === dtype && r.topK === topK && r.threads === threads);
  const out: Target[] = [];
  const fromRounds = (name: string, row: RowResult | undefined, metric: 'docsPerSec' | 'p50Ms', b: Impl | typeof BEST_TJS, cmp: 'ge' | 'le', bound: number, note = '') => {
    const v = spread(roundRatios(row, 'rerank-web', b, metric));
    const each = b === BEST_TJS ? `; vs naive ${spreadCell(spread(roundRatios(row, 'rerank-web', 'transformers.js', metric)))}, vs sorted+chunked ${spreadCell(spread(roundRatios(row, 'rerank-web', 'transformers.js-chunked', metric)))}` : '';
    out.push({
      name, value: v?.median ?? null, bound: `${cmp === 'ge' ? '>=' : '<='} ${bound}x`,
      note: v ? `(median of ${v.n} rounds, [${fmt(v.min, 2)}-${fmt(v.max, 2)}]${each})${note ? ` ${note}` : ''}` : note,
      pass: v === null ? null : cmp === 'ge' ? v.median >= bound : v.median <= bound,
    });
  };
  const ratio = (name: string, row: RowResult | undefined, f: (s: ImplStats) => number, a: Impl, b: Impl, cmp: 'ge' | 'le', bound: number, note = '') => {
    const x = get(row, a);
    const y = get(row, b);
    const v = x && y ? f(x) / f(y) : null;
    out.push({
      name, value: v, bound: `${cmp === 'ge' ? '>=' : '<='} ${bound}x`, note,
      pass: v === null || !Number.isFinite(v) ? null : cmp === 'ge' ? v >= bound : v <= bound,
    });
  };
  for (const [dtype, bound, tol] of [['q8', 1.3, 1e-4], ['fp32', 1.2, 1e-5]] as const) {
    for (const topK of [50, 100]) {
      const row = find('MiniLM-L6', dtype, topK);
      fromRounds(`docs/s vs the better transformers.js path, MiniLM-L6 ${dtype} top-${topK} WASM 2T`, row, 'docsPerSec', BEST_TJS, 'ge', bound);
      const d = get(row, 'rerank-web')?.batchCheckMaxDiff ?? null;
      out.push({ name: `scores independent of batch-mates, MiniLM-L6 ${dtype} top-${topK}`, value: d, bound: `<= ${tol} (abs)`, pass: d === null ? null : d <= tol, note: '' });
    }
  }
  fromRounds('p50 vs the better transformers.js path, TinyBERT-L2 q8 top-50 WASM 2T', find('TinyBERT-L2', 'q8', 50), 'p50Ms', BEST_TJS, 'le', 0.8);
  for (const r of rows.filter((x) => x.model === 'MiniLM-L6' && x.threads === 2 && x.dtype !== 'q4')) {
    const rw = get(r, 'rerank-web')?.peakRendererMB;
    const ch = get(r, 'transformers.js-chunked')?.peakRendererMB;
    ratio(`peak renderer memory vs transformers.js naive, ${r.key}`, r, (s) => s.peakRendererMB ?? NaN, 'rerank-web', 'transformers.js', 'le', 0.6,
      rw && ch ? `(vs sorted+chunked: ${fmt(rw / ch, 2)}x)` : '');
  }
  const first = get(find('MiniLM-L6', 'q8', 50), 'rerank-web')?.firstBatchP50Ms ?? null;
  out.push({ name: 'first reranked batch, MiniLM-L6 q8 top-50 (p50)', value: first === null ? null : first / 1000, bound: '<= 1 s', pass: first === null ? null : first <= 1000, note: '' });
  for (const r of rows.filter((x) => x.model === 'MiniLM-L6' && x.threads === 2 && x.topK === 50)) {
    fromRounds(`WASM fraction of native docs/s, ${r.key} (aim)`, r, 'docsPerSec', 'onnxruntime-node', 'ge', 0.3);
  }
  // The two transformers.js paths run the same model: weight-only dtypes must agree to float rounding. Dynamic int8
  // quantizes each call's activations with that call's own range (padding included), so its scores depend on the
  // call's other pairs in both paths: there is no tolerance to hold it to, only the figure.
  for (const r of rows.filter((x) => x.chunkedVsNaiveMaxDiff !== undefined && x.chunkedVsNaiveMaxDiff !== null)) {
    const v = r.chunkedVsNaiveMaxDiff!;
    const dyn = r.dtype === 'q8';
    const vsNative = TJS.map((i) => sci(get(r, i)?.maxDiff)).join(' naive, ') + ' sorted+chunked';
    out.push({
      name: `transformers.js sorted+chunked scores = naive, ${r.key}`, value: v, bound: dyn ? 'none (abs)' : '<= 0.00001 (abs)',
      pass: dyn ? null : v <= 1e-5, note: dyn ? `(dynamic int8: scores depend on the call's other pairs; max |Δ| vs native ${vsNative})` : '',
    });
  }
  return out;
}

export function targetLines(targets: Target[]): string {
  return targets.map((t) => {
    const mark = t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'FAIL';
    const v = t.value === null ? 'not measured' : t.bound.includes('abs') ? sci(t.value) : t.bound.endsWith('s') || t.bound.endsWith('(s)') ? `${fmt(t.value, 2)} s` : `${fmt(t.value, 2)}x`;
    return `- ${mark} ${t.name}: ${v} (target ${t.bound})${t.note ? ` ${t.note}` : ''}`;
  }).join('\n');
}

export function smokeLines(smoke: SmokeResult[]): string {
  return smoke.map((s) => `- ${s.ok ? 'OK  ' : 'FAIL'} ${s.label}: device ${s.device}, max |Δscore| vs native ${sci(s.maxDiff)}, top-1 ${s.top1Agrees === null ? '–' : s.top1Agrees ? 'same' : 'differs'}${s.error ? `, error: ${s.error}` : ''} (${s.detail}; correctness only, SwiftShader is not a speed figure)`).join('\n');
}

export function environmentLines(env: Environment): string {
  const v = Object.entries(env.versions).map(([k, x]) => `${k} ${x}`).join(', ');
  return [
    `- machine: ${env.os}, ${env.cpu}, ${env.cores} cores, ${env.memoryGB} GB`,
    `- browser: ${env.browser} (headless, cross-origin isolated page); Node ${env.node}`,
    `- versions: ${v}`,
    `- load average at start / end: ${env.loadAverage.start.map((x) => x.toFixed(2)).join(' ')} / ${env.loadAverage.end.map((x) => x.toFixed(2)).join(' ')}`,
  ].join('\n');
}
