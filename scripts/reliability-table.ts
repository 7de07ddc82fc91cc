// Prints the README's reliability table from the figures the browser tests recorded (test-results/reliability.json,
// written by e2e/reliability.spec.ts, gpu-faults.spec.ts and soak.spec.ts). Run after `npm test`.
import fs from 'node:fs';

const file = 'test-results/reliability.json';
if (!fs.existsSync(file)) {
  console.error(`${file} is missing: run the browser tests first (npm test)`);
  process.exit(1);
}
const r = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, number | string>>;
const v = (k: string, f: string) => (r[k]?.[f] ?? 'n/a') as number;
const rows: [string, string, string][] = [
  ['fault', 'worker terminated mid-call', `pending call rejected WORKER_CRASHED ${v('terminated', 'detectedMs')} ms after; next call on a fresh worker`],
  ['fault', 'WebGPU cross-check at load', `${v('gpu-check', 'ms')} ms on SwiftShader (tiny model), max diff ${Number(v('gpu-check', 'maxDiff')).toExponential(1)}; a corrupting GPU falls back to WASM`],
  ['load', '100 concurrent calls', `all resolved in call order in ${v('concurrent', 'ms')} ms, each equal to its call alone`],
  ['load', 'cancel a 600-document call after 20', `${v('cancel', 'cancelledMs')} ms to stop and serve the next call (the full call: ${v('cancel', 'fullMs')} ms)`],
  ['load', '10,000 documents in one call', `${(v('large', 'ms') / 1000).toFixed(1)} s (tiny model, q8, WASM); a 1,000,000-character document: ${v('large', 'bigDocMs')} ms`],
  ['load', '1,000 reranks of 50 documents', `worker memory ${v('soak', 'workersMiBAfter100')} MiB after 100, ${v('soak', 'workersMiBAfter1000')} MiB after 1,000 (${v('soak', 'seconds')} s)`],
];
console.log('| kind | what | measured |\n|---|---|---|');
for (const [k, w, m] of rows) console.log(`| ${k} | ${w} | ${m} |`);
