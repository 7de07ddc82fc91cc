// `npm run bench:decoder`: what the shared prefix saves on a decoder reranker. The same generated Qwen3-shaped model
// and the same documents, scored with the prompt part before the document run once per call (its KV cache reused)
// and with full prompts, alternating within each round, in Chromium through the public API (bench/web/decoder.ts).
// Prints median docs/s with min-max over rounds and the per-round speed-up, writes bench-results/decoder[-quick].json.
//   --quick          2 rounds, 1 query x top-8 (CI)
//   --rounds N       rounds per row (default 5)
//   --queries N      SciFact queries (BM25 top-K each; a generated corpus without ../shared) (default 3)
//   --k N            documents per query (default 20)
//   --max-length N   tokens per prompt (default 512: the generated BPE vocabulary is small, so a SciFact abstract is
//                    several times more tokens than under Qwen's 151k-token vocabulary)
//   --model ID       default rerank-web-test/bench-qwen3 (generated; 4 layers, hidden 256) via the local hub stand-in
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import { ARGS, BROWSER } from '../bench/run/browser.ts';
import { startServers } from '../bench/run/servers.ts';
import { loadWorkload } from '../bench/run/workload.ts';
import type { DecoderBenchResult, DecoderBenchSpec } from '../bench/web/decoder-types.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: a } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false }, rounds: { type: 'string' }, queries: { type: 'string' },
    k: { type: 'string' }, 'max-length': { type: 'string', default: '512' }, model: { type: 'string', default: 'rerank-web-test/bench-qwen3' },
  },
});
const quick = a.quick!;
const rounds = Number(a.rounds ?? (quick ? 2 : 5));
const maxLength = Number(a['max-length']);
const k = Number(a.k ?? (quick ? 8 : 20));
if (a.model!.startsWith('rerank-web-test/') && !fs.existsSync(path.join(ROOT, '.models', a.model!, 'config.json'))) {
  spawnSync('npx', ['tsx', 'scripts/gen-models.ts'], { cwd: ROOT, stdio: 'inherit' });
}
const workload = loadWorkload(Number(a.queries ?? (quick ? 1 : 3)), [k]);
const queries = workload.queries.map((q) => ({ text: q.text, docs: q.docs[k]! }));
// WebGPU here is SwiftShader (the CPU): a correctness row, with fewer documents, not a speed figure.
// SwiftShader runs a 256-wide model at a few tokens per second, so that row uses the tiny test decoder.
const ROWS: { name: string; model: string; device: 'wasm' | 'webgpu'; dtype: string; rounds: number; docs: number }[] = [
  { name: 'WASM fp32', model: a.model!, device: 'wasm', dtype: 'fp32', rounds, docs: k },
  ...(quick ? [] : [{ name: 'WASM q4', model: a.model!, device: 'wasm' as const, dtype: 'q4', rounds, docs: k }]),
  { name: 'WebGPU fp32, tiny-qwen3 (SwiftShader: correctness, not speed)', model: 'rerank-web-test/tiny-qwen3', device: 'webgpu', dtype: 'fp32', rounds: 1, docs: Math.min(k, 5) },
];

const servers = await startServers();
const browser = await chromium.launch({ executablePath: BROWSER, args: ARGS });
const rows: (DecoderBenchResult & { name: string; docs: number })[] = [];
try {
  for (const row of ROWS) {
    const page = await browser.newPage();
    await page.goto(servers.pageUrl.replace(/index\.html$/, 'decoder.html'));
    const spec: DecoderBenchSpec = {
      model: row.model, hubUrl: servers.hubUrl, device: row.device, dtype: row.dtype, rounds: row.rounds, maxLength,
      queries: queries.map((q) => ({ text: q.text, docs: q.docs.slice(0, row.docs) })),
    };
    console.log(`[bench:decoder] ${row.name}: ${row.rounds} rounds of ${spec.queries.length} queries x ${row.docs} documents`);
    const t0 = Date.now();
    const r = await page.evaluate((s) => (window as unknown as { decoderRun(s: DecoderBenchSpec): Promise<DecoderBenchResult> }).decoderRun(s), spec);
    rows.push({ ...r, name: row.name, docs: row.docs });
    console.log(`[bench:decoder] ${row.name}: done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    await page.close();
  }
} finally {
  await browser.close();
  await servers.close();
}

const med = (xs: number[]) => { const s = [...xs].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const spread = (xs: number[], d = 2) => `${med(xs).toFixed(d)} [${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)}]`;
const summary = rows.map((r) => {
  const shared = r.rounds.map((x) => x.shared.docsPerSec);
  const full = r.rounds.map((x) => x.full.docsPerSec);
  const ratio = r.rounds.map((x) => x.shared.docsPerSec / x.full.docsPerSec);
  const tokens = r.rounds[0]!;
  return {
    name: r.name, device: r.info.device, dtype: r.info.dtype, threads: r.info.numThreads, rounds: r.rounds.length, docs: r.docs,
    sharedDocsPerSec: { median: med(shared), min: Math.min(...shared), max: Math.max(...shared) },
    fullDocsPerSec: { median: med(full), min: Math.min(...full), max: Math.max(...full) },
    speedup: { median: med(ratio), min: Math.min(...ratio), max: Math.max(...ratio) },
    tokensShared: tokens.shared.paddedTokens, tokensFull: tokens.full.paddedTokens, maxDiff: r.maxDiff,
    table: `| ${r.name} | ${spread(shared)} | ${spread(full)} | ${spread(ratio)}x | ${tokens.shared.paddedTokens} / ${tokens.full.paddedTokens} | ${r.maxDiff.toExponential(1)} |`,
  };
});
console.log(`\nModel ${a.model}, ${workload.note}; ${queries.length} queries x top-${k}, maxLength ${maxLength}.`);
console.log('| row | shared prefix docs/s | full prompts docs/s | speed-up | tokens run (shared / full) | max abs score diff |\n|---|---|---|---|---|---|');
for (const s of summary) console.log(s.table);
const out = path.join(ROOT, 'bench-results', quick ? 'decoder-quick.json' : 'decoder.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), model: a.model, workload: workload.note, k, maxLength, queries: queries.length, rows: summary, raw: rows }, null, 2));
console.log(`[bench:decoder] wrote ${path.relative(ROOT, out)}`);
