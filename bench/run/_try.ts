import { startServers } from './servers.ts';
import { loadWorkload } from './workload.ts';
import { runRow, runSmoke } from './rows.ts';
import { MINILM, TINYBERT } from './configs.ts';
import path from 'node:path';
const t0 = Date.now();
const w = loadWorkload(6, [50, 100]);
console.log(w.note, w.queries.length, 'workload ms', Date.now() - t0);
const s = await startServers();
console.log(s, 'servers ms', Date.now() - t0);
const ctx = { hubUrl: s.hubUrl, pageUrl: s.pageUrl, modelsRoot: path.resolve('.models'), org: 'rerank-web-test', maxLength: 512, cacheLoad: false, log: (m: string) => console.log(((Date.now() - t0) / 1000).toFixed(1), m) };
try {
  const which = process.argv[2] ?? 'tiny';
  const r = await runRow({ model: which === 'tiny' ? TINYBERT : MINILM, dtype: (process.argv[3] ?? 'q8') as 'q8', topK: Number(process.argv[4] ?? 50), threads: 2, impls: (process.env.IMPLS ?? 'rerank-web,transformers.js,onnxruntime-node').split(',') as never, queries: Number(process.argv[5] ?? 2) }, w.queries, ctx);
  for (const i of r.impls) console.log(i.impl, 'docs/s', i.docsPerSec.toFixed(1), 'p50', Math.round(i.p50Ms), 'lat', i.latenciesMs.map(Math.round).join(','), 'mem', Math.round(i.peakRendererMB ?? 0), 'diff', i.maxDiff, 'batch', i.batchCheckMaxDiff, 'pad', (i.paddedTokens / i.realTokens).toFixed(2), i.detail);
  if (process.argv[6]) console.log(await runSmoke({ model: TINYBERT, dtype: 'fp32', docs: 4 }, w.queries, ctx));
} finally { await s.close(); }
