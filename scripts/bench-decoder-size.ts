// `npm run bench:decoder:size`: a decoder reranker at real size (Qwen3-Reranker-0.6B's published shape, q8, fused
// attention; tools/models/size-models.ts) in Chromium on WASM, through the public API and against transformers.js.
// Four contenders, each in a browser of its own (so that each one's renderer memory is its own), loaded once from the
// local hub stand-in and kept open; each round scores one SciFact query's BM25 top-K (passages cut to --doc-tokens
// tokens by the model's tokenizer, the same text for all), the contenders taking turns in an order that rotates
// every round. Then the long-document stage: the default contender scores one document of each --lengths size,
// with the memory it adds over the loaded model (what the pruned-head maxLength default is set from).
//   --quick          the tiny fused-attention test decoder, 1 round of top-8, one 256-token length (CI: the path)
//   --rounds N       rounds (default 5): one query each
//   --k N            documents per query (default 20)
//   --doc-tokens N   tokens a passage is cut to (default 256)
//   --lengths a,b    long-document stage, document tokens (default 1024,2048,4096)
//   --tjs-batch N    transformers.js prompts per run (default 4)
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
    lengths: { type: 'string' }, 'tjs-batch': { type: 'string', default: '4' },
  },
});
const quick = a.quick!;
const rounds = Number(a.rounds ?? (quick ? 1 : 5));
const k = Number(a.k ?? (quick ? 8 : 20));
const docTokens = Number(a['doc-tokens'] ?? (quick ? 64 : 256));
const lengths = (a.lengths ?? (quick ? '256' : '1024,2048,4096')).split(',').map(Number);
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
const workload = loadWorkload(rounds, [k]);
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

interface Open { c: DecoderSizeContender; page: Page; close(): Promise<void>; mem: ReturnType<typeof monitor> | null; pid: number | undefined; load: DecoderSizeLoad; baseRss: number; loadedRss: number }
const current = (pid: number | undefined) => {
  if (pid === undefined) return 0;
  const m = monitor({ root: pid });
  const v = m.peak() ?? 0;
  m.stop();
  return v;
};

const servers = await startServers();
const open: Open[] = [];
const results: ContenderResult[] = [];
const lengthResults: LengthResult[] = [];
try {
  for (const c of CONTENDERS) {
    const { browser, pid } = await launch();
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
    const loadedRss = current(pid);
    console.log(`[bench:decoder:size]   ${load.detail}: load ${(load.loadMs / 1000).toFixed(1)} s, renderer ${(loadedRss / 2 ** 20).toFixed(0)} MiB after load (+${((loadedRss - baseRss) / 2 ** 20).toFixed(0)})`);
    open.push({ c, page, close: () => browser.close().catch(() => {}), mem, pid, load, baseRss, loadedRss });
    results.push({ name: c.name, impl: c.impl, detail: load.detail, loadMs: load.loadMs, lmHead: load.lmHead, baseRss, loadedRss, peakRss: 0, rounds: [] });
  }
  const query = (o: Open, q: string, docs: string[]) => o.page.evaluate(([x, d]) => (window as unknown as { dsz: { query(q: string, d: string[]): Promise<DecoderSizeQuery> } }).dsz.query(x, d), [q, docs] as const);
  for (let i = 0; i < rounds; i++) {
    const q = queries[i % queries.length]!;
    const order = open.map((_, j) => (j + i) % open.length);
    for (const j of order) {
      const r = await query(open[j]!, q.text, q.docs);
      results[j]!.rounds.push({ round: i, position: order.indexOf(j), docsPerSec: q.docs.length / (r.ms / 1000), ...r });
      console.log(`[bench:decoder:size] round ${i + 1} ${open[j]!.c.name}: ${(q.docs.length / (r.ms / 1000)).toFixed(3)} docs/s, ${r.paddedTokens} tokens, largest logits ${(r.maxRunLogitsBytes / 2 ** 20).toFixed(2)} MiB`);
    }
  }
  // The long-document stage on the default contender: the memory one document adds over the loaded model.
  const def = open[0]!;
  for (const [n, doc] of lengths.map((x, i) => [x, longDocs[i]!] as const)) {
    const before = current(def.pid);
    const m = def.pid === undefined ? null : monitor({ root: def.pid });
    const r = await query(def, queries[0]!.text, [doc]);
    m?.stop();
    lengthResults.push({ docTokens: n, paddedTokens: r.paddedTokens, ms: r.ms, beforeRss: before, peakRss: m?.peak() ?? 0, maxRunLogitsBytes: r.maxRunLogitsBytes });
    console.log(`[bench:decoder:size] one ${n}-token document: ${(r.ms / 1000).toFixed(1)} s, +${(((m?.peak() ?? 0) - before) / 2 ** 20).toFixed(0)} MiB over the loaded model`);
  }
} finally {
  for (const [j, o] of open.entries()) {
    o.mem?.stop();
    results[j]!.peakRss = o.mem?.peak() ?? 0;
    await o.close();
  }
  await servers.close();
}

const cmd = ['npm run bench:decoder:size', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
const envLine = `Chromium, WASM, ${THREADS} threads, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), load average ${os.loadavg()[0]!.toFixed(1)} at the end`;
const report = decoderSizeReport({ model, fileBytes, workload: workload.note, k, docTokens, rounds, contenders: results, lengths: lengthResults, cmd, env: envLine });
console.log(`\n${report.markdown}`);
const out = path.join(ROOT, 'bench-results', quick ? 'decoder-size-quick.json' : 'decoder-size.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), model, fileBytes, env: envLine, cmd, workload: workload.note, k, docTokens, rounds, summary: report.summary, contenders: results, lengths: lengthResults }, null, 2));
console.log(`[bench:decoder:size] wrote ${path.relative(ROOT, out)}`);
if (!quick) {
  const doc = path.join(ROOT, 'docs/decoder-rerankers.md');
  const text = fs.readFileSync(doc, 'utf8');
  const begin = '<!-- bench:decoder-size begin -->';
  const end = '<!-- bench:decoder-size end -->';
  if (text.includes(begin) && text.includes(end)) {
    fs.writeFileSync(doc, text.slice(0, text.indexOf(begin)) + `${begin}\n${report.markdown}\n${end}` + text.slice(text.indexOf(end) + end.length));
    console.log('[bench:decoder:size] updated docs/decoder-rerankers.md');
  }
}
