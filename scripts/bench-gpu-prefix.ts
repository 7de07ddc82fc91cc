// `npx tsx scripts/bench-gpu-prefix.ts`: the shared prefix's key/value cache kept in GPU buffers (gpuPrefixCache, the
// default) against copied back to the worker and tiled for every batch (gpuPrefixCache: false), on WebGPU in Chromium,
// alternating within each round. Prints median [min-max] docs/s, the per-round ratio, and the cache bytes read back into
// the worker per pass; writes bench-results/gpu-prefix.json. On a machine without a GPU the adapter is SwiftShader (the
// CPU): the bytes are the point there, the time is SwiftShader's.
//   --rounds N       rounds (default 5)
//   --docs N         documents per query (default 8), --queries N (default 1), --batch N documents per run (default 4)
//   --model ID       default rerank-web-test/tiny-qwen3; --dtype (default fp32); --max-length N (default 256)
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { ARGS, BROWSER } from '../bench/run/browser.ts';
import { startServers } from '../bench/run/servers.ts';
import { loadWorkload } from '../bench/run/workload.ts';
import type { DecoderBenchSpec, GpuPrefixResult } from '../bench/web/decoder-types.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: a } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' }, docs: { type: 'string', default: '8' }, queries: { type: 'string', default: '1' },
    batch: { type: 'string', default: '4' }, model: { type: 'string', default: 'rerank-web-test/tiny-qwen3' },
    dtype: { type: 'string', default: 'fp32' }, 'max-length': { type: 'string', default: '256' },
  },
});
const k = Number(a.docs);
const workload = loadWorkload(Number(a.queries), [k]);
const servers = await startServers();
const browser = await chromium.launch({ executablePath: BROWSER, args: ARGS });
let r: GpuPrefixResult;
try {
  const page = await browser.newPage();
  await page.goto(servers.pageUrl.replace(/index\.html$/, 'decoder.html'));
  const spec: DecoderBenchSpec & { batchSize: number } = {
    model: a.model!, hubUrl: servers.hubUrl, device: 'webgpu', dtype: a.dtype!, rounds: Number(a.rounds), maxLength: Number(a['max-length']),
    batchSize: Number(a.batch), queries: workload.queries.map((q) => ({ text: q.text, docs: q.docs[k]! })),
  };
  r = await page.evaluate((s) => (window as unknown as { gpuPrefixRun(s: unknown): Promise<GpuPrefixResult> }).gpuPrefixRun(s), spec);
} finally {
  await browser.close();
  await servers.close();
}
const med = (xs: number[]) => { const s = [...xs].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const spread = (xs: number[], d = 2) => `${med(xs).toFixed(d)} [${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)}]`;
const gpu = r.rounds.map((x) => x.gpu.docsPerSec);
const cpu = r.rounds.map((x) => x.cpu.docsPerSec);
const ratio = r.rounds.map((x) => x.gpu.docsPerSec / x.cpu.docsPerSec);
const table = [
  '| adapter | model, dtype | docs x queries, batch | cache on GPU docs/s | cache via worker docs/s | ratio | cache bytes read back per pass (GPU / via worker) | max abs score diff |',
  '|---|---|---|---|---|---|---|---|',
  `| ${r.info.adapter} | ${a.model} ${r.info.dtype} | ${k} x ${workload.queries.length}, ${r.info.batchSize} | ${spread(gpu)} | ${spread(cpu)} | ${spread(ratio)}x | ${r.rounds[0]!.gpu.prefixBytesToCpu} / ${r.rounds[0]!.cpu.prefixBytesToCpu} | ${r.maxDiff.toExponential(1)} |`,
].join('\n');
console.log(`\n${workload.note}; ${r.rounds.length} rounds, alternating.\n${table}`);
const out = path.join(ROOT, 'bench-results', 'gpu-prefix.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), workload: workload.note, table, ...r }, null, 2));
console.log(`[bench:gpu-prefix] wrote ${path.relative(ROOT, out)}`);
