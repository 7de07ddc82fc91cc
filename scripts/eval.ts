// `npm run eval -- --set scifact`: ranking quality of the first stage and of first stage + reranker on a BEIR set, in
// Chromium through the public API (bench/web/eval.ts). Prints nDCG@10, MRR@10, recall@{10,50,100} and the first
// stage's search time per query, and writes bench-results/eval-<set>[-quick].json.
//   --set NAME        a folder of ../shared/data in BEIR layout (default scifact)
//   --quick           the first 10 judged queries (CI)
//   --queries N       the first N judged queries (default all)
//   --k N             results reranked per query (default 100, as BEIR reranks)
//   --model ID        a hub id or folder URL (default: the generated rerank-web-test/tiny-bert, via the local hub
//                     stand-in); --no-rerank for the first stage only
//   --hub URL         where hub ids are fetched (default: the local hub stand-in serving .models/)
//   --device, --dtype as createReranker's (default wasm: on machines without a GPU, 'auto' finds SwiftShader's
//                     WebGPU, which is correct but tens of times slower than WASM)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { ARGS, BROWSER } from '../bench/run/browser.ts';
import { startServers } from '../bench/run/servers.ts';
import type { EvalPageResult, EvalSpec, ListMetrics } from '../bench/web/eval-types.ts';
import { meanOverQueries as mean } from '../src/index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    set: { type: 'string', default: 'scifact' }, quick: { type: 'boolean', default: false }, queries: { type: 'string' },
    k: { type: 'string', default: '100' }, model: { type: 'string' }, 'no-rerank': { type: 'boolean', default: false },
    hub: { type: 'string' }, device: { type: 'string', default: 'wasm' }, dtype: { type: 'string', default: 'auto' },
  },
});

const dataDir = path.resolve(ROOT, '../shared/data', args.set!);
if (!fs.existsSync(path.join(dataDir, 'corpus.jsonl'))) {
  console.log(`[eval] skipped: ${dataDir} is not there (BEIR sets come from ../shared/data, on development machines and in CI)`);
  process.exit(0);
}
const GENERATED = 'rerank-web-test/tiny-bert';
const model = args['no-rerank'] ? null : (args.model ?? GENERATED);
const generated = model?.startsWith('rerank-web-test/') ?? false;
if (generated && !args.hub && !fs.existsSync(path.join(ROOT, '.models', model!, 'config.json'))) {
  spawnSync('npx', ['tsx', 'scripts/gen-models.ts'], { cwd: ROOT, stdio: 'inherit' });
}
const spec: EvalSpec = {
  set: args.set!, queries: args.quick ? 10 : Number(args.queries ?? 0), firstStages: ['standard', 'classic'],
  k: Number(args.k), model, device: args.device as EvalSpec['device'], dtype: args.dtype!,
};

const servers = await startServers();
const browser = await chromium.launch({ executablePath: BROWSER, args: ARGS });
let result: EvalPageResult;
try {
  const page = await browser.newPage();
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  let shown = 0;
  await page.exposeFunction('evalProgress', (done: number, total: number) => {
    if (done === total || Date.now() - shown > 10_000) {
      shown = Date.now();
      console.log(`[eval] ${done} of ${total} queries`);
    }
  });
  await page.goto(servers.pageUrl.replace(/index\.html$/, 'eval.html'));
  result = await page.evaluate((s) => (window as unknown as { evalRun(s: EvalSpec): Promise<EvalPageResult> }).evalRun(s), { ...spec, hubUrl: args.hub ?? servers.hubUrl });
  if (consoleLines.length > 0) console.log(`[eval] the page's console:\n  ${consoleLines.join('\n  ')}`);
} finally {
  await browser.close();
  await servers.close();
}

const KEYS: (keyof ListMetrics)[] = ['ndcg10', 'mrr10', 'recall10', 'recall50', 'recall100'];
const summary = (lists: ListMetrics[]) => Object.fromEntries(KEYS.map((k) => [k, mean(lists.map((l) => l[k]))])) as Record<keyof ListMetrics, number | null>;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const rows: { name: string; metrics: Record<keyof ListMetrics, number | null>; ms: string }[] = [];
const firstStage: Record<string, unknown> = {};
for (const mode of spec.firstStages) {
  const lists = result.records.map((r) => r.firstStage[mode]!);
  const times = lists.map((l) => l.searchMs);
  const m = summary(lists);
  firstStage[mode] = { ...m, searchMsMedian: quantile(times, 0.5), searchMsP95: quantile(times, 0.95), indexMs: result.indexMs[mode] };
  rows.push({ name: `BM25 ${mode}`, metrics: m, ms: `search ${quantile(times, 0.5).toFixed(1)} ms median, ${quantile(times, 0.95).toFixed(1)} p95` });
}
const reranked = result.records.flatMap((r) => (r.reranked ? [r.reranked] : []));
let rerankSummary: Record<string, unknown> | null = null;
if (reranked.length > 0) {
  const m = summary(reranked);
  const times = reranked.map((r) => r.rerankMs);
  rerankSummary = { ...m, rerankMsMedian: quantile(times, 0.5) };
  rows.push({ name: `BM25 ${spec.firstStages[0]} + ${model} top-${spec.k}`, metrics: m, ms: `rerank ${quantile(times, 0.5).toFixed(0)} ms median` });
}

const fmt = (v: number | null) => (v === null ? '  n/a' : v.toFixed(3));
console.log(`\n[eval] ${spec.set}: ${result.records.length} judged queries, ${result.documents} documents, Chromium ${browser.version()}`);
console.log(`${'run'.padEnd(52)} nDCG@10 MRR@10  R@10   R@50   R@100`);
for (const r of rows) console.log(`${r.name.padEnd(52)} ${KEYS.map((k) => fmt(r.metrics[k])).join('  ')}   ${r.ms}`);
if (result.model) console.log(`[eval] reranker: ${result.model.id} on ${result.model.device}, ${result.model.dtype}, loaded in ${result.model.loadMs.toFixed(0)} ms`);
if (generated) {
  console.log('[eval] NOTE: the reranker is a generated test model with random weights: its figures say the pipeline works, not how good a reranker is. Pass --model with a real model (and --hub https://huggingface.co) for quality figures.');
}

const out = path.join(ROOT, 'bench-results', `eval-${spec.set}${args.quick ? '-quick' : ''}.json`);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify({
  date: new Date().toISOString(), browser: browser.version(), spec, documents: result.documents, queries: result.records.length,
  generatedModel: generated, model: result.model, firstStage, reranked: rerankSummary, records: result.records,
}, null, 1)}\n`);
console.log(`[eval] wrote ${path.relative(ROOT, out)}`);
