import path from 'node:path';
import { chromium } from '@playwright/test';
import { planBatches } from '../../src/core/batching.ts';
import { startServers } from './servers.ts';
import { loadWorkload } from './workload.ts';
import { createNative } from './native.ts';
const w = loadWorkload(3, [50]);
const dir = path.resolve('.models/rerank-web-test/' + (process.argv[2] ?? 'ms-marco-MiniLM-L-6-v2'));
const lens: number[][] = [];
const n = await createNative({ modelDir: dir, onnxFile: 'onnx/model.onnx', threads: 2, batchSize: 16, maxLength: 512 });
for (const q of w.queries) lens.push((await n.run(q.text, q.docs[50]!)).pairLengths!);
await n.release();
const plans: Record<string, [number, number][]> = {
  b1: lens.flatMap((ls) => ls.map((l) => [1, l] as [number, number])),
  b16: lens.flatMap((ls) => planBatches(ls, 16, 8192).map((b) => [b.length, Math.max(...b.map((i) => ls[i]!))] as [number, number])),
  b4: lens.flatMap((ls) => planBatches(ls, 4, 8192).map((b) => [b.length, Math.max(...b.map((i) => ls[i]!))] as [number, number])),
  b32: lens.flatMap((ls) => planBatches(ls, 32, 16384).map((b) => [b.length, Math.max(...b.map((i) => ls[i]!))] as [number, number])),
  b8: lens.flatMap((ls) => planBatches(ls, 8, 8192).map((b) => [b.length, Math.max(...b.map((i) => ls[i]!))] as [number, number])),
  pad50: lens.map((ls) => [ls.length, Math.max(...ls)] as [number, number]),
};
const s = await startServers();
console.log('plans', Object.fromEntries(Object.entries(plans).map(([k, v]) => [k, v.length])));
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const model = 'rerank-web-test/' + path.basename(dir);
try {
  for (const [file, planNames] of [['onnx/model_quantized.onnx', (process.env.Q8 ?? 'b1,pad50').split(',')], ['onnx/model.onnx', (process.env.FP ?? 'b16,b8,pad50').split(',')]] as const) {
    for (const pn of planNames) {
      for (const v of (process.env.VERS ?? '130,131,130,131').split(',')) {
        const p = await b.newPage();
        
        p.on('pageerror', (e) => console.log('[pageerror]', e.message));
        await p.goto(s.pageUrl.replace('index.html', 'ab.html'));
        await p.waitForFunction(() => (window as any).abReady);
        const r = await p.evaluate(([v, m]) => (window as any).ab(v, m), [v, { url: `${s.hubUrl}/${model}/resolve/main/${file}`, threads: 2, plan: plans[pn], rounds: 1 }] as const) as { times: number[]; version: string };
        const docs = lens.reduce((a, l) => a + l.length, 0);
        console.log(file, pn, r.version, r.times.map((t) => (docs / (t / 1000)).toFixed(1) + ' docs/s').join(' '));
        await p.close();
      }
    }
  }
} finally { await b.close(); await s.close(); }
