// `npm run bench:decoder:size`: a decoder reranker at real size (Qwen3-Reranker-0.6B's published shape, q8, fused
// attention; tools/models/size-models.ts) in Chromium on WASM, through the public API and against transformers.js.
// Four contenders, each in a browser of its own (so that each one's renderer memory is its own), loaded once from the
// local hub stand-in and kept open; each round scores one SciFact query's BM25 top-K (passages cut to --doc-tokens
// tokens by the model's tokenizer, the same text for all), the contenders taking turns in an order that rotates
// every round. Then the long-document stage: the default contender scores one document of each --lengths size,
// with the memory it adds over the loaded model (what the pruned-head maxLength default is set from).
//   --quick          the tiny fused-attention test decoder, 1 round of top-8, one 256-token length (CI: the path)
//   --rounds N       rounds (default 5): one query each; 0: the long-document stage only
//   --k N            documents per query (default 20)
//   --doc-tokens N   tokens a passage is cut to (default 256)
//   --lengths a,b    long-document stage, document tokens (default 1024,2048: a 1,024-token document takes minutes on 2 cores)
//   --tjs-batch N    transformers.js prompts per run (default 4)
//   --report         print the tables of the last run's results (written after each round) and update the docs
// Writes bench-results/decoder-size[-quick].json and, for a full run, the table in docs/decoder-rerankers.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { AutoTokenizer, env as tjsEnv } from '@huggingface/transformers';
import type { Page } from '@playwright/test';
import { launch, monitor } from '../bench/run/browser.ts';
import { startServers } from '../bench/run/servers.ts';
import { loadWorkload } from '../bench/run/workload.ts';
import type { DecoderSizeContender, DecoderSizeLoad, DecoderSizeLoadSpec, DecoderSizeQuery } from '../bench/web/decoder-size-types.ts';
import { ensureSizeModel, SIZE_MODEL_ORG } from '../tools/models/size-models.ts';
import { decoderSizeReport, type ContenderResult, type LengthResult } from './decoder-size-report.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: a } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false }, rounds: { type: 'string' }, k: { type: 'string' }, 'doc-tokens': { type: 'string' },
    lengths: { type: 'string' }, 'tjs-batch': { type: 'string', default: '4' }, report: { type: 'boolean', default: false },
  },
});
const quick = a.quick!;
const out = path.join(ROOT, 'bench-results', quick ? 'decoder-size-quick.json' : 'decoder-size.json');

/** The tables from the raw results in `file`, printed, kept in it as `summary`, and (full runs) put in the docs. */
function writeReport(file: string, updateDocs: boolean): void {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { model: string; fileBytes: number; env: string; cmd: string; workload: string; k: number; docTokens: number; rounds: number; roundsPlanned: number; contenders: ContenderResult[]; lengths: LengthResult[]; lengthsRun?: string };
  const note = raw.rounds < raw.roundsPlanned ? ` (cut short: ${raw.rounds} of ${raw.roundsPlanned} rounds done)` : '';
  const report = decoderSizeReport({ ...raw, note });
  console.log(`\n${report.markdown}`);
  fs.writeFileSync(file, JSON.stringify({ ...raw, summary: report.summary }, null, 2));
  console.log(`[bench:decoder:size] wrote ${path.relative(ROOT, file)}`);
  if (!updateDocs) return;
  const doc = path.join(ROOT, 'docs/decoder-rerankers.md');
  const text = fs.readFileSync(doc, 'utf8');
  const begin = '<!-- bench:decoder-size begin -->';
  const end = '<!-- bench:decoder-size end -->';
  if (text.includes(begin) && text.includes(end)) {
    fs.writeFileSync(doc, text.slice(0, text.indexOf(begin)) + `${begin}\n${report.markdown}\n${end}` + text.slice(text.indexOf(end) + end.length));
    console.log('[bench:decoder:size] updated docs/decoder-rerankers.md');
  }
}
if (a.report) {
  writeReport(out, !quick);
  process.exit(0);
}
const rounds = Number(a.rounds ?? (quick ? 1 : 5));
const k = Number(a.k ?? (quick ? 8 : 20));
const docTokens = Number(a['doc-tokens'] ?? (quick ? 64 : 256));
const lengths = (a.lengths ?? (quick ? '256' : '1024,2048')).split(',').map(Number);
const model = quick ? 'rerank-web-test/tiny-qwen3-gqa' : `${SIZE_MODEL_ORG}/qwen3-reranker-0.6b`;
const modelDir = path.join(ROOT, '.models', model);
if (quick) {
  if (!fs.existsSync(path.join(modelDir, 'onnx/model_quantized.onnx'))) spawnSync('npx', ['tsx', 'scripts/gen-models.ts'], { cwd: ROOT, stdio: 'inherit' });
} else {
  ensureSizeModel(path.join(ROOT, '.models'), 'qwen3-reranker-0.6b', (s) => console.log(s));
}
const fileBytes = fs.statSync(path.join(modelDir, 'onnx/model_quantized.onnx')).size;

// Passages cut to docTokens by the model's own tokenizer, in Node, so that every contender gets the same text.
tjsEnv.allowRemoteModels = false;
tjsEnv.localModelPath = path.join(ROOT, '.models');
const tokenizer = await AutoTokenizer.from_pretrained(model);
const cut = (text: string, n: number) => tokenizer.decode(tokenizer.encode(text, { add_special_tokens: false }).slice(0, n));
const workload = loadWorkload(Math.max(1, rounds), [k]);
const queries = workload.queries.map((q) => ({ text: q.text, docs: q.docs[k]!.map((d) => cut(d, docTokens)) }));
// The long documents: SciFact text of the first query's list, repeated until it has enough tokens, cut to each length.
const longText = Array.from({ length: 40 }, () => workload.queries[0]!.docs[k]!.join(' ')).join(' ');
const longDocs = lengths.map((n) => cut(longText, n));

const CONTENDERS: DecoderSizeContender[] = [
  { impl: 'rerank-web', name: 'rerank-web: pruned head, shared prefix (default)', sharedPrefix: true, pruneLmHead: true },
  { impl: 'rerank-web', name: 'rerank-web: full head, shared prefix', sharedPrefix: true, pruneLmHead: false },
  { impl: 'rerank-web', name: 'rerank-web: pruned head, full prompts', sharedPrefix: false, pruneLmHead: true },
  { impl: 'transformers.js', name: `transformers.js: full prompts, batches of ${a['tjs-batch']}`, batchSize: Number(a['tjs-batch']) },
];
const THREADS = Math.min(4, os.cpus().length);

interface Open { c: DecoderSizeContender; page: Page; close(): Promise<void>; mem: ReturnType<typeof monitor> | null; loadPeak: number; pid: number | undefined; load: DecoderSizeLoad; baseRss: number; loadedRss: number }
const current = (pid: number | undefined) => {
  if (pid === undefined) return 0;
  const m = monitor({ root: pid });
  const v = m.peak() ?? 0;
  m.stop();
  return v;
};

const cmd = ['npm run bench:decoder:size', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
const THREADS_NOTE = () => `Chromium, WASM, ${THREADS} threads, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), load average ${os.loadavg()[0]!.toFixed(1)} at the end`;
/** Raw results so far, then the tables from them (the docs' table for a full run). */
function save(roundsDone: number): void {
  for (const [j, o] of open.entries()) results[j]!.peakRss = Math.max(o.loadPeak, o.mem?.peak() ?? 0);
  const envLine = THREADS_NOTE();
  const lengthsRun = `\`${cmd}\`, ${envLine}`;
  let raw: object = { date: new Date().toISOString(), model, fileBytes, env: envLine, cmd, workload: workload.note, k, docTokens, rounds: roundsDone, roundsPlanned: rounds, contenders: results, lengths: lengthResults, lengthsRun };
  // --rounds 0 measures the long-document stage only: it replaces that stage in the last full run's results.
  if (rounds === 0 && fs.existsSync(out)) raw = { ...(JSON.parse(fs.readFileSync(out, 'utf8')) as object), lengths: lengthResults, lengthsRun };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(raw, null, 2));
}

const query = (o: Open, q: string, docs: string[]) => o.page.evaluate(([x, d]) => (window as unknown as { dsz: { query(q: string, d: string[]): Promise<DecoderSizeQuery> } }).dsz.query(x, d), [q, docs] as const);

/**
 * Full garbage collections in the page and its workers (the browser runs with --expose-gc), then a pause: a model's
 * JS buffer that is garbage but not yet collected would otherwise count as memory "before" a call and vanish during it.
 */
async function settle(page: Page): Promise<void> {
  const gc = () => (globalThis as unknown as { gc?: () => void }).gc?.();
  for (let i = 0; i < 2; i++) {
    await page.evaluate(gc);
    // ORT's pthread workers sit blocked in Atomics.wait and never answer: a bounded wait for each.
    const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
    await Promise.all(page.workers().map((w) => bounded(w.evaluate(gc))));
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A contender in a browser of its own, loaded and warmed up; its load's memory measured. */
async function openContender(c: DecoderSizeContender): Promise<Open> {
  const { browser, pid } = await launch(['--js-flags=--expose-gc']);
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 404/.test(m.text())) process.stderr.write(`  [page] ${m.text()}\n`); });
  await page.goto(servers.pageUrl.replace(/index\.html$/, 'decoder-size.html'));
  await page.waitForFunction(() => (window as unknown as { dszReady?: boolean }).dszReady === true);
  const baseRss = current(pid);
  // Without the browser's pid the peak would count every browser open: say nothing rather than a wrong figure.
  const mem = pid === undefined ? null : monitor({ root: pid });
  const spec: DecoderSizeLoadSpec = { contender: c, model, hubUrl: servers.hubUrl, dtype: 'q8', threads: THREADS, maxLength: Math.max(1024, ...lengths) + 256 };
  console.log(`[bench:decoder:size] loading ${c.name}`);
  const load = await page.evaluate((s) => (window as unknown as { dsz: { load(s: DecoderSizeLoadSpec): Promise<DecoderSizeLoad> } }).dsz.load(s), spec);
  if (!load.crossOriginIsolated) throw new Error('the bench page is not cross-origin isolated: WASM would run on one thread');
  // Untimed warm-up (V8 tiers ORT's WASM up in the background on the first runs).
  await page.evaluate(([q, d]) => (window as unknown as { dsz: { query(q: string, d: string[]): Promise<unknown> } }).dsz.query(q, d), [queries[0]!.text, queries[0]!.docs.slice(0, 2)] as const);
  await settle(page);
  const loadedRss = current(pid);
  // The load's peak; the rounds get a monitor of their own, so that the long-document stage in between is not counted.
  mem?.stop();
  console.log(`[bench:decoder:size]   ${load.detail}: load ${(load.loadMs / 1000).toFixed(1)} s, renderer ${(loadedRss / 2 ** 20).toFixed(0)} MiB after load (+${((loadedRss - baseRss) / 2 ** 20).toFixed(0)})`);
  return { c, page, close: () => browser.close().catch(() => {}), mem: null, loadPeak: mem?.peak() ?? 0, pid, load, baseRss, loadedRss };
}

const servers = await startServers();
const open: Open[] = [];
const results: ContenderResult[] = [];
const lengthResults: LengthResult[] = [];
try {
  // The long-document stage first, on the default contender in a browser of its own (closed after: WASM memory never
  // shrinks, so the rounds' memory must not carry this stage's): the memory one document adds over the loaded model.
  const def = await openContender(CONTENDERS[0]!);
  try {
    for (const [n, doc] of lengths.map((x, i) => [x, longDocs[i]!] as const)) {
      await settle(def.page);
      const before = current(def.pid);
      const m = def.pid === undefined ? null : monitor({ root: def.pid });
      const r = await query(def, queries[0]!.text, [doc]);
      m?.stop();
      lengthResults.push({ docTokens: n, paddedTokens: r.paddedTokens, ms: r.ms, beforeRss: before, peakRss: m?.peak() ?? 0, maxRunLogitsBytes: r.maxRunLogitsBytes });
      console.log(`[bench:decoder:size] one ${n}-token document: ${(r.ms / 1000).toFixed(1)} s, +${(((m?.peak() ?? 0) - before) / 2 ** 20).toFixed(0)} MiB over the loaded model`);
    }
  } finally {
    await def.close();
  }
  // --rounds 0: the long-document stage only.
  for (const c of rounds > 0 ? CONTENDERS : []) {
    const o = await openContender(c);
    open.push(o);
    results.push({ name: c.name, impl: c.impl, detail: o.load.detail, loadMs: o.load.loadMs, lmHead: o.load.lmHead, baseRss: o.baseRss, loadedRss: o.loadedRss, peakRss: 0, rounds: [] });
  }
  for (const o of open) o.mem = o.pid === undefined ? null : monitor({ root: o.pid });
  for (let i = 0; i < rounds; i++) {
    const q = queries[i % queries.length]!;
    const order = open.map((_, j) => (j + i) % open.length);
    for (const j of order) {
      const r = await query(open[j]!, q.text, q.docs);
      results[j]!.rounds.push({ round: i, position: order.indexOf(j), docsPerSec: q.docs.length / (r.ms / 1000), ...r });
      console.log(`[bench:decoder:size] round ${i + 1} ${open[j]!.c.name}: ${(q.docs.length / (r.ms / 1000)).toFixed(3)} docs/s, ${r.paddedTokens} tokens, largest logits ${(r.maxRunLogitsBytes / 2 ** 20).toFixed(2)} MiB`);
    }
    // A round takes minutes at real size: what is done is on disk (`--report` prints it, should the run be cut short).
    save(i + 1);
  }
} finally {
  for (const [j, o] of open.entries()) {
    o.mem?.stop();
    results[j]!.peakRss = Math.max(o.loadPeak, o.mem?.peak() ?? 0);
    await o.close();
  }
  await servers.close();
}

save(results[0]?.rounds.length ?? 0);
writeReport(out, !quick);
