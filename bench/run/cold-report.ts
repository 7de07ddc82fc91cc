// The cold row's outputs: its table (times from navigation, median [min-max] over the visits; bytes sent by kind) and
// its targets (issue 11: JS + wasm of a CPU-only visitor at most 0.6x what every visitor loaded before, the asyncify
// build; time to the first reranked batch reported for both paths).
import { KINDS, type BrowserCheck, type ColdImpl, type ColdResult, type ColdVisit, type Kind } from './cold.ts';
import type { Target } from './report.ts';
import { quantile } from './rows.ts';

const LABEL: Record<ColdImpl, string> = { 'rerank-web': 'rerank-web', 'transformers.js-chunked': 'transformers.js sorted+chunked' };

const ok = (cold: ColdResult, impl: ColdImpl): ColdVisit[] => cold.visits.filter((v) => v.impl === impl && !v.error);

function spreadOf(xs: number[]): { median: number; min: number; max: number } | null {
  return xs.length === 0 ? null : { median: quantile(xs, 0.5), min: Math.min(...xs), max: Math.max(...xs) };
}

function seconds(xs: number[]): string {
  const s = spreadOf(xs);
  return s ? `${(s.median / 1000).toFixed(2)} [${(s.min / 1000).toFixed(2)}-${(s.max / 1000).toFixed(2)}]` : '–';
}

/** Bytes in MB (kB under 0.1 MB): the median, with the range when visits differ. */
function size(xs: number[]): string {
  const s = spreadOf(xs);
  if (!s) return '–';
  const f = (n: number) => (s.median < 1e5 ? `${(n / 1e3).toFixed(1)}` : (n / 1e6).toFixed(2));
  const unit = s.median < 1e5 ? 'kB' : 'MB';
  return s.min === s.max ? `${f(s.median)} ${unit}` : `${f(s.median)} ${unit} [${f(s.min)}-${f(s.max)}]`;
}

const jsWasm = (v: ColdVisit) => v.bytes.js + v.bytes.wasm;

/** rerank-web's JS + wasm over what it would have sent with the asyncify .wasm, per visit. */
export function coldByteRatios(cold: ColdResult): number[] {
  const base = cold.asyncifyWasmBytes;
  if (base === null) return [];
  return ok(cold, 'rerank-web').map((v) => jsWasm(v) / (v.bytes.js + base));
}

export function coldTable(cold: ColdResult): string {
  const head = ['path', 'visits', 'first reranked batch s', `full top-${cold.topK} s`, 'model loaded s', 'JS', 'wasm', 'model', 'tokenizer and config', 'other', 'JS + wasm'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const impl of Object.keys(LABEL) as ColdImpl[]) {
    const vs = ok(cold, impl);
    const failed = cold.visits.filter((v) => v.impl === impl && v.error).length;
    const by = (k: Kind) => size(vs.map((v) => v.bytes[k]));
    lines.push('| ' + [
      LABEL[impl], `${vs.length}${failed ? ` (+${failed} failed)` : ''}`,
      seconds(vs.map((v) => v.firstBatchMs)), seconds(vs.map((v) => v.fullMs)), seconds(vs.map((v) => v.loadedMs)),
      ...KINDS.map(by), size(vs.map(jsWasm)),
    ].join(' | ') + ' |');
  }
  return lines.join('\n');
}

/** Chromium's own count against the servers', over every visit: loads it reported of those with a body, largest gap. */
export function coldBrowserCheck(cold: ColdResult): BrowserCheck | null {
  const cs = cold.visits.flatMap((v) => (v.browserCheck ? [v.browserCheck] : []));
  if (cs.length === 0) return null;
  const gaps = cs.flatMap((c) => (c.maxGapBytes === null ? [] : [c.maxGapBytes]));
  return { serverLoads: cs.reduce((n, c) => n + c.serverLoads, 0), browserLoads: cs.reduce((n, c) => n + c.browserLoads, 0), maxGapBytes: gaps.length ? Math.max(...gaps) : null };
}

/** Lines under the table: what the bytes are held against, and how Chromium's own count compares with the servers'. */
export function coldBaselineLine(cold: ColdResult): string {
  const c = coldBrowserCheck(cold);
  const check = !c ? '' : `\n\nCheck: of the ${c.serverLoads} loads the servers sent a body for, Chromium's own count (CDP encodedDataLength) reported ${c.browserLoads}${c.maxGapBytes === null ? '' : `, each within ${c.maxGapBytes} bytes of what the server wrote (chunked transfer framing)`}${c.maxGapBytes !== null && c.maxGapBytes > 1024 ? ' (WARNING: over 1 kB: the two counts disagree)' : ''}; the rest it reports without a body (a worker's own script) or not at all (a worker's load, now and then).`;
  return coldBaseline(cold) + check;
}

function coldBaseline(cold: ColdResult): string {
  const r = spreadOf(coldByteRatios(cold));
  const rw = ok(cold, 'rerank-web');
  if (!r || cold.asyncifyWasmBytes === null || rw.length === 0) return 'Baseline (ORT\'s asyncify .wasm for every visitor): not measured.';
  const js = quantile(rw.map((v) => v.bytes.js), 0.5);
  return `Before the CPU-only build every visitor loaded ORT's asyncify .wasm (${cold.asyncifyWasmFile}: ${(cold.asyncifyWasmBytes / 1e6).toFixed(2)} MB sent by this server) with the same JS: ${((js + cold.asyncifyWasmBytes) / 1e6).toFixed(2)} MB; rerank-web's CPU-only visitor now gets ${(quantile(rw.map(jsWasm), 0.5) / 1e6).toFixed(2)} MB, ${r.median.toFixed(2)}x of it.`;
}

export function coldLegend(cold: ColdResult): string {
  return [
    `Cold visit: ${cold.model} ${cold.dtype}, WASM ${cold.threads} threads, one top-${cold.topK} list, in a new browser profile each time (empty HTTP cache and Cache API),`,
    '  rerank-web and transformers.js (sorted+chunked; its naive path loads the same files) alternating, the first rotating.',
    '  Times from navigation (the page\'s time origin) until the model is loaded, the first scored batch reached the page',
    '  (transformers.js: its first chunk of 8), and the whole list is scored; median [min-max] over the visits.',
    '  Bytes: response bodies as the two servers wrote them during the visit (every worker\'s loads; none from the browser\'s',
    '  cache); the site gzips JS, JSON, HTML and .wasm (level 6), the hub stand-in its JSON only (ONNX files as stored).',
  ].join('\n');
}

export function coldTargets(cold: ColdResult | null | undefined): Target[] {
  if (!cold) return [];
  const out: Target[] = [];
  const r = spreadOf(coldByteRatios(cold));
  const tjs = ok(cold, 'transformers.js-chunked');
  const tjsJsWasm = tjs.length ? ` transformers.js path: ${(quantile(tjs.map(jsWasm), 0.5) / 1e6).toFixed(2)} MB` : '';
  out.push({
    name: `JS + wasm bytes sent before the first score, CPU-only visitor (rerank-web, cold visit, ${cold.model} ${cold.dtype}) vs the asyncify build for everyone`,
    value: r?.median ?? null, bound: '<= 0.6x', pass: r ? r.median <= 0.6 : null,
    note: r ? `(median of ${coldByteRatios(cold).length} visits, [${r.min.toFixed(2)}-${r.max.toFixed(2)}];${tjsJsWasm})` : '',
  });
  for (const impl of Object.keys(LABEL) as ColdImpl[]) {
    const vs = ok(cold, impl);
    const first = spreadOf(vs.map((v) => v.firstBatchMs));
    out.push({
      name: `time to the first reranked batch on a cold visit, ${LABEL[impl]}, ${cold.model} ${cold.dtype} top-${cold.topK} WASM ${cold.threads}T (from navigation)`,
      value: first ? first.median / 1000 : null, bound: 'none (s)', pass: null,
      note: first ? `(median of ${vs.length} visits, [${(first.min / 1000).toFixed(2)}-${(first.max / 1000).toFixed(2)}] s; full top-${cold.topK} ${seconds(vs.map((v) => v.fullMs))} s)` : '',
    });
  }
  return out;
}
