// Evidence for batching-policy proposals: raw onnxruntime-web in Chromium running run plans over the token lengths
// of real BM25 top-50 pairs (see bench/web/ab-core.ts), interleaved. Not part of `npm run bench`.
// Usage: npx tsx bench/run/ab-plans.ts [model name] with env PLANS=fp32:b8,fp32:b16,fp32:pad50,q8:b1,q8:pad50
// (bN: length-sorted runs of up to N documents as rerank-web plans them; pad50: the whole list padded in one run;
// tN: runs bounded by N padded tokens; 'fp32+nomem:b4' adds session options, see OPTIONS), NQ (queries, 3), ROUNDS (3),
// VERS=130,131 (ORT builds).
import path from 'node:path';
import { chromium } from '@playwright/test';
import { planBatches } from '../../src/core/batching.ts';
import { BROWSER } from './browser.ts';
import { createNative } from './native.ts';
import { startServers } from './servers.ts';
import { loadWorkload } from './workload.ts';

type Plan = [batch: number, seqLen: number][];
const name = process.argv[2] ?? 'ms-marco-MiniLM-L-6-v2';
const dir = path.resolve(import.meta.dirname, '../../.models/rerank-web-test', name);
const workload = loadWorkload(Number(process.env.NQ ?? 3), [50]);

// Token lengths of the pairs exactly as rerank-web builds them (the native runner uses its pair encoding).
const lens: number[][] = [];
const native = await createNative({ modelDir: dir, onnxFile: 'onnx/model.onnx', threads: 2, batchSize: 16, maxLength: 512 });
for (const q of workload.queries) lens.push((await native.run(q.text, q.docs[50]!)).pairLengths!);
await native.release();
const docs = lens.reduce((a, l) => a + l.length, 0);

const sorted = (maxBatch: number, budget = 8192): Plan =>
  lens.flatMap((ls) => planBatches(ls, maxBatch, budget).map((b): [number, number] => [b.length, Math.max(...b.map((i) => ls[i]!))]));
const planOf = (p: string): Plan => {
  if (p === 'pad50') return lens.map((ls): [number, number] => [ls.length, Math.max(...ls)]);
  return p.startsWith('t') ? sorted(64, Number(p.slice(1))) : sorted(Number(p.slice(1)));
};
const specs = (process.env.PLANS ?? 'fp32:b8,fp32:b16,fp32:pad50,q8:b1,q8:pad50').split(',').map((x) => {
  const [model, p] = x.split(':') as [string, string];
  return { name: x, model, plan: planOf(p) };
});
const FILE: Record<string, string> = { fp32: 'model.onnx', q8: 'model_quantized.onnx', q4: 'model_q4.onnx' };
// A model key may carry session options after a '+': 'fp32+nomem' (enableMemPattern off), 'fp32+noarena'
// (enableCpuMemArena off), to time ORT settings on the same plans.
const OPTIONS: Record<string, Record<string, unknown>> = { nomem: { enableMemPattern: false }, noarena: { enableCpuMemArena: false } };
const modelSpec = (key: string) => {
  const [dtype, opt] = key.split('+') as [string, string | undefined];
  return { url: `${servers.hubUrl}/rerank-web-test/${name}/resolve/main/onnx/${FILE[dtype]}`, options: opt ? OPTIONS[opt] ?? {} : {} };
};

const servers = await startServers();
const browser = await chromium.launch({ executablePath: BROWSER, args: ['--no-sandbox'] });
try {
  const models = Object.fromEntries([...new Set(specs.map((x) => x.model))].map((m) => [m, modelSpec(m)]));
  for (const v of (process.env.VERS ?? '130').split(',') as ('130' | '131')[]) {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    await page.goto(servers.pageUrl.replace('index.html', 'ab.html'));
    await page.waitForFunction(() => window.abReady);
    const msg = { threads: 2, models, plans: specs, rounds: Number(process.env.ROUNDS ?? 3) };
    const r = await page.evaluate(([ver, m]) => window.ab(ver, m), [v, msg] as const);
    console.log(`${name}, onnxruntime-web ${r.version}, ${docs} documents a round; docs/s per round:`);
    for (const [k, ts] of Object.entries(r.times)) {
      console.log(`  ${k.padEnd(12)} ${ts.map((t) => (docs / (t / 1000)).toFixed(1)).join(' ')}   (${specs.find((x) => x.name === k)!.plan.length} runs)`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  await servers.close();
}
