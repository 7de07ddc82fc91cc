// `npm run docs:tables`: writes the figure tables in docs/ from the JSON that the measuring commands left, each between
// its markers (scripts/docs/markers.ts). A source that is missing is skipped with a line saying which command makes it.
//   parity       test-results/parity.json       <- npx playwright test e2e/parity.spec.ts (or npm test)  -> docs/testing.md
//   reliability  test-results/reliability.json  <- npm test                                            -> docs/reliability.md
//   bench        bench-results/latest.json      <- npm run bench                                       -> docs/benchmark.md
//                (--bench A.json,B.json: the rows of several runs in one table, e.g. a top-50 and a top-100 run;
//                a row measured in more than one keeps the later file's; the cold row comes from the last file with one)
//   bench-cold   bench-results/latest.json (cold) <- npm run bench (its cold row)                      -> docs/benchmark.md
//   first-stage  bench-results/eval-scifact.json <- npm run eval -- --set scifact                      -> docs/first-stage.md
//   int8         test-results/int8-reference.json <- npm run int8-ref                                  -> docs/quantization.md
//   cold-start   test-results/cold-start.json   <- npx playwright test e2e/cold-start.spec.ts (npm test) -> docs/benchmark.md
//   decoder-parity test-results/decoder-parity.json <- npx playwright test e2e/decoder.spec.ts (npm test) -> docs/decoder-rerankers.md
//   decoder-bench  bench-results/decoder.json   <- npm run bench:decoder                               -> docs/decoder-rerankers.md
import fs from 'node:fs';
import path from 'node:path';
import { coldBaselineLine, coldTable, coldTargets } from '../bench/run/cold-report.ts';
import type { ColdResult } from '../bench/run/cold.ts';
import { markdownTable, targetLines, computeTargets } from '../bench/run/report.ts';
import type { RowResult } from '../bench/run/rows.ts';
import { replaceBetweenMarkers } from './docs/markers.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
type Json = Record<string, unknown>;
const read = (file: string): Json | null => (fs.existsSync(path.join(ROOT, file)) ? (JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Json) : null);

export function parityTable(records: Json): string {
  const lines = ['| model | dtype | device | docs | max abs diff | order agrees |', '|---|---|---|---|---|---|'];
  for (const r of Object.values(records) as Json[]) {
    lines.push(`| ${r.model} | ${r.dtype} | ${r.device} | ${r.docs} | ${(r.maxDiff as number).toExponential(2)} | ${r.orderAgrees === true ? 'yes' : 'no'} |`);
  }
  return lines.join('\n');
}

export function reliabilityTable(r: Record<string, Record<string, number | string>>): string {
  const v = (k: string, f: string) => (r[k]?.[f] ?? 'n/a') as number;
  const rows: [string, string, string][] = [
    ['fault', 'worker terminated mid-call', `pending call rejected WORKER_CRASHED ${v('terminated', 'detectedMs')} ms after; next call on a fresh worker`],
    ['fault', 'WebGPU cross-check at load', `${v('gpu-check', 'ms')} ms on SwiftShader (tiny model), max diff ${Number(v('gpu-check', 'maxDiff')).toExponential(1)}; a corrupting GPU falls back to WASM`],
    ['load', '100 concurrent calls', `all resolved in call order in ${v('concurrent', 'ms')} ms, each equal to its call alone`],
    ['load', 'cancel a 600-document call after 20', `${v('cancel', 'cancelledMs')} ms to stop and serve the next call (the full call: ${v('cancel', 'fullMs')} ms)`],
    ['load', '10,000 documents in one call', `${(v('large', 'ms') / 1000).toFixed(1)} s (tiny model, q8, WASM); a 1,000,000-character document: ${v('large', 'bigDocMs')} ms`],
    ['load', '1,000 reranks of 50 documents', `worker memory ${v('soak', 'workersMiBAfter100')} MiB after 100, ${v('soak', 'workersMiBAfter1000')} MiB after 1,000 (${v('soak', 'seconds')} s)`],
  ];
  return ['| kind | what | measured |', '|---|---|---|', ...rows.map(([k, w, m]) => `| ${k} | ${w} | ${m} |`)].join('\n');
}

export function firstStageTable(j: Json): string {
  const fs2 = j.firstStage as Record<string, Record<string, number>>;
  const f = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? '–' : x.toFixed(d));
  const label: Record<string, string> = {
    standard: 'standard (above)',
    classic: 'classic (the demo\'s first set-up: no stemming, title boost 1.5, MiniSearch\'s BM25+ defaults)',
  };
  const lines = ['| first stage | nDCG@10 | MRR@10 | recall@10 | recall@50 | recall@100 | search per query (median, p95) |', '|---|---|---|---|---|---|---|'];
  for (const [mode, m] of Object.entries(fs2)) {
    lines.push(`| ${label[mode] ?? mode} | ${f(m.ndcg10)} | ${f(m.mrr10)} | ${f(m.recall10)} | ${f(m.recall50)} | ${f(m.recall100)} | ${f(m.searchMsMedian, 1)} ms, ${f(m.searchMsP95, 1)} ms |`);
  }
  lines.push('| BEIR paper\'s BM25 (Lucene/Elasticsearch), for reference | 0.665 | | | | 0.908 | |');
  return lines.join('\n');
}

interface Dist { maxAbs: number; flips: number; pairs: number }

export function int8Table(rows: Json[]): string {
  const lines = [
    '| model | docs | scores from | max abs diff to float64 reference | order flips | max abs diff to float32-scale reference | order flips |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const to32 = r.distances32 as Record<string, Dist>;
    for (const [name, d] of Object.entries(r.distances as Record<string, Dist>)) {
      const e = to32[name]!;
      lines.push(`| ${String(r.model).replace('rerank-web-test/', '')} | ${r.docs} | ${name} | ${d.maxAbs.toExponential(2)} | ${d.flips} of ${d.pairs} | ${e.maxAbs.toExponential(2)} | ${e.flips} of ${e.pairs} |`);
    }
  }
  return lines.join('\n');
}

export function decoderParityTable(records: Json): string {
  const lines = ['| model | dtype | device | compared | docs | max abs diff of P(yes) | max abs diff of the yes-no margin |', '|---|---|---|---|---|---|---|'];
  for (const r of Object.values(records) as Json[]) {
    const recipe = typeof r.kind === 'string' && r.kind.startsWith('recipe ') ? `${r.kind}: ` : '';
    const what = typeof r.compared === 'string' ? r.compared : r.kind === 'prefix-vs-full' ? 'shared prefix vs full prompts, both in the browser' : `${recipe}browser (shared prefix) vs onnxruntime-node (full prompts)`;
    const margin = typeof r.marginDiff === 'number' ? r.marginDiff.toExponential(2) : '–';
    lines.push(`| ${r.model} | ${r.dtype} | ${r.device} | ${what} | ${r.docs} | ${(r.maxDiff as number).toExponential(2)} | ${margin} |`);
  }
  return lines.join('\n');
}

export function decoderBenchTable(j: Json): string {
  const rows = j.rows as { table: string; rounds: number; threads: number }[];
  return [
    `${j.model}; ${j.workload}; ${j.queries} queries x top-${j.k}; ${rows[0]?.rounds ?? 0} rounds (median [min-max]), ${rows[0]?.threads ?? '?'} WASM threads; ${String(j.date).slice(0, 10)}.`,
    '',
    '| row | shared prefix docs/s | full prompts docs/s | speed-up | tokens run (shared / full) | max abs score diff |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => r.table),
  ].join('\n');
}

/** The bench's cold row as docs/benchmark.md shows it: the run it came from, the table, the baseline, the check, its targets. */
export function coldTableDoc(cold: ColdResult, title: string): string {
  return [
    `${title ? `From "${title}": ` : ''}${cold.model} ${cold.dtype}, top-${cold.topK}, WASM ${cold.threads} threads.`, '',
    coldTable(cold), '', coldBaselineLine(cold), '', targetLines(coldTargets(cold)),
  ].join('\n');
}

export function coldStartTable(records: Json): string {
  const mb = (n: number) => (n / 1e6).toFixed(2);
  const lines = ['| visitor | ORT build | JS (gzip) | wasm (gzip) | JS + wasm raw | model | tokenizer and config | first reranked batch | all 8 documents |', '|---|---|---|---|---|---|---|---|---|'];
  for (const r of Object.values(records) as Json[]) {
    if (r.device === 'before') {
      lines.push(`| any, before this build choice | WebGPU (asyncify) for everyone | ${mb(r.jsGzip as number)} MB | ${mb(r.asyncifyGzip as number)} MB | | | | | |`);
      continue;
    }
    const b = r.bytes as Record<string, { raw: number; gzip: number }>;
    const who = r.device === 'wasm' ? 'CPU only (WASM)' : 'WebGPU (SwiftShader here)';
    const build = r.device === 'wasm' ? 'CPU-only' : 'WebGPU (JSPI in Chromium)';
    lines.push(`| ${who} | ${build} | ${mb(b.js!.gzip)} MB | ${mb(b.wasm!.gzip)} MB | ${mb(b.js!.raw + b.wasm!.raw)} MB | ${mb(b.model!.raw)} MB | ${(b.tokenizer!.raw / 1e3).toFixed(0)} kB | ${((r.firstBatchMs as number) / 1000).toFixed(2)} s | ${((r.allMs as number) / 1000).toFixed(2)} s |`);
  }
  return lines.join('\n');
}

export interface BenchRun { title: string; rows: RowResult[]; cold: ColdResult | null }

/** Several bench runs as one: rows in file order, a later run's row replacing an earlier one of the same key. */
export function mergeBenchRuns(runs: BenchRun[]): BenchRun & { titles: string[] } {
  const rows = new Map<string, RowResult>();
  let cold: ColdResult | null = null;
  let coldTitle = '';
  for (const r of runs) {
    for (const row of r.rows) {
      rows.delete(row.key);
      rows.set(row.key, row);
    }
    if (r.cold) [cold, coldTitle] = [r.cold, r.title];
  }
  const titles = runs.filter((r) => r.rows.length > 0).map((r) => r.title);
  return { title: coldTitle, rows: [...rows.values()], cold, titles };
}

function write(doc: string, name: string, body: string): void {
  const file = path.join(ROOT, doc);
  fs.writeFileSync(file, replaceBetweenMarkers(fs.readFileSync(file, 'utf8'), name, body));
  console.log(`[docs:tables] ${name} -> ${doc}`);
}

function skip(name: string, source: string, command: string): void {
  console.log(`[docs:tables] ${name}: ${source} is missing (run ${command}); the table in docs/ is left as it is`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const parity = read('test-results/parity.json');
  if (parity) write('docs/testing.md', 'parity', parityTable(parity));
  else skip('parity', 'test-results/parity.json', 'npx playwright test e2e/parity.spec.ts');
  const reliability = read('test-results/reliability.json');
  if (reliability) write('docs/reliability.md', 'reliability', reliabilityTable(reliability as Record<string, Record<string, number | string>>));
  else skip('reliability', 'test-results/reliability.json', 'npm test');
  const argv = process.argv.slice(2);
  const benchFiles = (argv.includes('--bench') ? argv[argv.indexOf('--bench') + 1]! : 'bench-results/latest.json').split(',');
  const benches = benchFiles.map((f) => read(f)).filter((j): j is Json => j !== null);
  if (benches.length === benchFiles.length) {
    const merged = mergeBenchRuns(benches.map((b, i) => ({ title: benchFiles.length > 1 ? `${String(b.title ?? '')}, ${path.basename(benchFiles[i]!)}` : String(b.title ?? ''), rows: (b.rows ?? []) as RowResult[], cold: (b.cold ?? null) as ColdResult | null })));
    // A run of the cold row alone (--only cold) has no rows: the row tables stay as they are, and the other way round.
    if (merged.rows.length > 0) {
      const from = merged.titles.length > 1 ? `Rows from ${merged.titles.map((t) => `"${t}"`).join(' and ')}.\n\n` : '';
      write('docs/benchmark.md', 'bench', from + markdownTable(merged.rows));
      write('docs/benchmark.md', 'bench-targets', targetLines(computeTargets(merged.rows)));
    } else skip('bench', `rows in ${benchFiles.join(', ')}`, 'npm run bench without --only cold');
    if (merged.cold) write('docs/benchmark.md', 'bench-cold', coldTableDoc(merged.cold, merged.title));
    else skip('bench-cold', `the cold row in ${benchFiles.join(', ')}`, 'npm run bench without --only or --no-cold');
  } else skip('bench', benchFiles.join(', '), 'npm run bench');
  const int8 = read('test-results/int8-reference.json') as Json[] | null;
  if (int8) write('docs/quantization.md', 'int8', int8Table(int8));
  else skip('int8', 'test-results/int8-reference.json', 'npm run int8-ref');
  const cold = read('test-results/cold-start.json');
  if (cold) write('docs/benchmark.md', 'cold-start', coldStartTable(cold));
  else skip('cold-start', 'test-results/cold-start.json', 'npx playwright test e2e/cold-start.spec.ts');
  const decoderParity = read('test-results/decoder-parity.json');
  if (decoderParity) write('docs/decoder-rerankers.md', 'decoder-parity', decoderParityTable(decoderParity));
  else skip('decoder-parity', 'test-results/decoder-parity.json', 'npx playwright test e2e/decoder.spec.ts');
  const decoderBench = read('bench-results/decoder.json');
  if (decoderBench) write('docs/decoder-rerankers.md', 'decoder-bench', decoderBenchTable(decoderBench));
  else skip('decoder-bench', 'bench-results/decoder.json', 'npm run bench:decoder');
  const evalJson = read('bench-results/eval-scifact.json');
  if (evalJson) write('docs/first-stage.md', 'first-stage', firstStageTable(evalJson));
  else skip('first-stage', 'bench-results/eval-scifact.json', 'npm run eval -- --set scifact');
}
