// The run's outputs: the markdown table (three implementations side by side in each cell), the issue's targets as
// PASS/FAIL lines with their ratios, and the environment the figures came from.
import type { ImplStats, RowResult, SmokeResult } from './rows.ts';
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

const IMPLS: Impl[] = ['rerank-web', 'transformers.js', 'onnxruntime-node'];
const get = (row: RowResult | undefined, impl: Impl): ImplStats | undefined => row?.impls.find((s) => s.impl === impl && !s.error);

function fmt(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  return v.toFixed(digits);
}
const sci = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v === 0 ? '0' : v.toExponential(0));

/** "rw / tjs / node" in one cell; a failed implementation shows as "failed". */
function cell(row: RowResult, f: (s: ImplStats) => string, only?: Impl[]): string {
  return IMPLS.map((impl) => {
    if (only && !only.includes(impl)) return '–';
    const s = row.impls.find((x) => x.impl === impl);
    if (!s) return '–';
    return s.error ? 'failed' : f(s);
  }).join(' / ');
}

export function markdownTable(rows: RowResult[]): string {
  const browser: Impl[] = ['rerank-web', 'transformers.js'];
  const head = [
    'configuration', 'queries', 'docs/s', 'p50 s', 'p95 s', 'first batch s', 'load cold s', 'load cached s',
    'peak renderer MB', 'padded/real tokens', 'in ORT run()', 'GFLOP/s', 'max |Δscore| vs native', 'top-1 = native', 'batch-mates Δ', 'rw ÷ tjs', 'WASM ÷ native',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const rw = get(r, 'rerank-web');
    const tjs = get(r, 'transformers.js');
    const nat = get(r, 'onnxruntime-node');
    lines.push('| ' + [
      r.key, String(r.queries),
      cell(r, (s) => fmt(s.docsPerSec)),
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
      rw && tjs ? `${fmt(rw.docsPerSec / tjs.docsPerSec, 2)}x` : '–',
      rw && nat ? `${fmt(rw.docsPerSec / nat.docsPerSec, 2)}x` : '–',
    ].join(' | ') + ' |');
  }
  return lines.join('\n');
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
    const tjs = get(r, 'transformers.js');
    for (const s of r.impls) {
      if (s.impl !== 'rerank-web' && !VARIANT[s.impl]) continue;
      const label = s.impl === 'rerank-web' ? 'rerank-web as is' : VARIANT[s.impl]!;
      if (s.error) {
        lines.push(`| ${r.key} | ${label} | failed: ${s.error} |  |  |  |  |  |  |`);
        continue;
      }
      lines.push(`| ${r.key} | ${label} | ${fmt(s.docsPerSec)} | ${rw ? fmt(s.docsPerSec / rw.docsPerSec, 2) + 'x' : '–'} | ${fmt(s.p50Ms / 1000, 2)} | ${tjs ? fmt(s.p50Ms / tjs.p50Ms, 2) + 'x' : '–'} | ${fmt(s.peakRendererMB, 0)} | ${sci(s.maxDiff)} | ${sci(s.batchCheckMaxDiff)} |`);
    }
  }
  if (!rows.some((r) => r.impls.some((s) => VARIANT[s.impl]))) return '';
  return [
    '| configuration | variant | docs/s | ÷ as is | p50 s | p50 ÷ transformers.js | peak renderer MB | max |Δscore| vs native | batch-mates Δ |',
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
    'Cells read rerank-web / transformers.js / onnxruntime-node (same ONNX file, same queries, same thread count).',
    'docs/s: documents over the summed per-query wall time; p50/p95 over the queries (with few queries p95 is near the max).',
    'first batch: from the call until the first scored batch reached the caller (transformers.js returns everything at once).',
    'load: createReranker / from_pretrained to ready, in a fresh browser (cold) and again in a new page (files from the Cache API;',
    '  not repeated on top-100 rows, which load the same files). rerank-web\'s load includes its one-pair warm-up run.',
    'peak renderer MB: largest summed RSS of the Chromium renderer processes (page + workers + ORT threads) sampled every 100 ms',
    '  during the cold load and the queries (Linux /proc; includes shared libraries, the same for both).',
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
  const ratio = (name: string, row: RowResult | undefined, f: (s: ImplStats) => number, a: Impl, b: Impl, cmp: 'ge' | 'le', bound: number, note = '') => {
    const x = get(row, a);
    const y = get(row, b);
    const v = x && y ? f(x) / f(y) : null;
    out.push({
      name, value: v, bound: `${cmp === 'ge' ? '>=' : '<='} ${bound}x`, note,
      pass: v === null || !Number.isFinite(v) ? null : cmp === 'ge' ? v >= bound : v <= bound,
    });
  };
  for (const [dtype, bound, tol] of [['q8', 1.6, 1e-4], ['fp32', 1.4, 1e-5]] as const) {
    for (const topK of [50, 100]) {
      const row = find('MiniLM-L6', dtype, topK);
      ratio(`docs/s vs transformers.js, MiniLM-L6 ${dtype} top-${topK} WASM 2T`, row, (s) => s.docsPerSec, 'rerank-web', 'transformers.js', 'ge', bound);
      const d = get(row, 'rerank-web')?.batchCheckMaxDiff ?? null;
      out.push({ name: `scores independent of batch-mates, MiniLM-L6 ${dtype} top-${topK}`, value: d, bound: `<= ${tol} (abs)`, pass: d === null ? null : d <= tol, note: '' });
    }
  }
  for (const r of rows.filter((x) => x.model === 'MiniLM-L6' && x.threads === 2 && x.dtype !== 'q4')) {
    ratio(`peak renderer memory vs transformers.js, ${r.key}`, r, (s) => s.peakRendererMB ?? NaN, 'rerank-web', 'transformers.js', 'le', 0.6);
  }
  const first = get(find('MiniLM-L6', 'q8', 50), 'rerank-web')?.firstBatchP50Ms ?? null;
  out.push({ name: 'first reranked batch, MiniLM-L6 q8 top-50 (p50)', value: first === null ? null : first / 1000, bound: '<= 1 s', pass: first === null ? null : first <= 1000, note: '' });
  ratio('p50 vs transformers.js, TinyBERT-L2 q8 top-50 WASM 2T', find('TinyBERT-L2', 'q8', 50), (s) => s.p50Ms, 'rerank-web', 'transformers.js', 'le', 0.6);
  for (const r of rows.filter((x) => x.model === 'MiniLM-L6' && x.threads === 2 && x.topK === 50)) {
    ratio(`WASM fraction of native docs/s, ${r.key} (aim)`, r, (s) => s.docsPerSec, 'rerank-web', 'onnxruntime-node', 'ge', 0.3);
  }
  return out;
}

export function targetLines(targets: Target[]): string {
  return targets.map((t) => {
    const mark = t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'FAIL';
    const v = t.value === null ? 'not measured' : t.bound.includes('abs') ? sci(t.value) : t.bound.endsWith('s') ? `${fmt(t.value, 2)} s` : `${fmt(t.value, 2)}x`;
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
