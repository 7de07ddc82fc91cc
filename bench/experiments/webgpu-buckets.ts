// `npx tsx bench/experiments/webgpu-buckets.ts`: WebGPU runs padded to buckets (webgpuShapes 'buckets') against exact-length
// runs ('exact'), through the worker's engine on Dawn in Node (bench/gpu/), counting compute pipelines created,
// shader modules and dispatches, and timing each call. Each contender runs in a process of its own (ORT's pipeline
// cache lives as long as its device: one process per contender keeps one from warming the other), and the processes
// alternate, round by round. Scores of the two are compared pair by pair (the 1e-5 bound). Writes
// bench-results/webgpu-buckets.json. See docs/webgpu-buckets.md.
//
// Options: --dtypes fp32,q4  --queries 3  --top-k 50  --rounds 2  --max-length 512  --model ms-marco-MiniLM-L-6-v2
//          --buckets-first  --max-words 0 (N > 0: each document cut to a seeded 5..N words, for varied lengths at small cost)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installDawn, releaseDawn, rerunOnSwiftShader, type AdapterReport } from '../gpu/dawn.ts';
import { loadEngine } from '../gpu/engine-node.ts';
import { countsSince, gpuCounts, installGpuCounters, type GpuCounts } from '../gpu/gpu-counters.ts';
import { loadWorkload } from '../run/workload.ts';
import { bucketLengths } from '../../src/core/buckets.ts';
import { mulberry32 } from '../../tools/models/rng.ts';
import { onnxFileFor } from '../../src/core/model-policy.ts';
import type { Dtype, WebgpuShapes } from '../../src/options.ts';

const { values: args } = parseArgs({
  options: {
    child: { type: 'string' },
    dtypes: { type: 'string', default: 'fp32,q4' },
    queries: { type: 'string', default: '3' },
    'top-k': { type: 'string', default: '50' },
    rounds: { type: 'string', default: '2' },
    'max-length': { type: 'string', default: '512' },
    model: { type: 'string', default: 'ms-marco-MiniLM-L-6-v2' },
    'max-words': { type: 'string', default: '0' },
    // Which contender goes first in odd rounds (even rounds swap): to continue an earlier run's alternation.
    'buckets-first': { type: 'boolean', default: false },
  },
});
const topK = Number(args['top-k']);
const maxLength = Number(args['max-length']);
const MODEL_DIR = path.resolve(import.meta.dirname, '../../.models/rerank-web-test', args.model);
const OUT = path.resolve(import.meta.dirname, '../../bench-results/webgpu-buckets.json');
/** The bound the issue sets on bucketed against exact-length scores. */
const TOLERANCE = 1e-5;

/** The queries and their top-K documents, cut to varied lengths with --max-words (the same cut in every process). */
function workload(): { queries: { text: string; docs: string[] }[]; note: string } {
  const w = loadWorkload(Number(args.queries), [topK]);
  const maxWords = Number(args['max-words']);
  const rand = mulberry32(11);
  const queries = w.queries.map((q) => ({
    text: q.text,
    docs: q.docs[topK]!.map((d) => (maxWords > 0 ? d.split(/\s+/).slice(0, 5 + Math.floor(rand() * (maxWords - 4))).join(' ') : d)),
  }));
  return { queries, note: w.note + (maxWords > 0 ? `, each document cut to 5-${maxWords} words (seeded)` : '') };
}

interface Call extends GpuCounts {
  ms: number;
  inferenceMs: number;
  runs: number;
  paddedTokens: number;
  realTokens: number;
}
interface ChildResult {
  dtype: Dtype;
  mode: WebgpuShapes;
  load: GpuCounts & { ms: number };
  /** One per query, in order: the first call compiles most pipelines. */
  calls: Call[];
  scores: number[][];
}

/** One contender in this process: load, then each query once, counting what each call asked of the GPU. */
async function child(spec: string): Promise<number> {
  const [dtype, mode] = spec.split(':') as [Dtype, WebgpuShapes];
  const dawn = await installDawn();
  if (!dawn.adapter) throw new Error(dawn.reason);
  installGpuCounters();
  const { queries } = workload();
  let before = gpuCounts();
  const t0 = performance.now();
  const engine = await loadEngine({ modelDir: MODEL_DIR, device: 'webgpu', dtype, threads: 1, maxLength, webgpuShapes: mode });
  if (engine.info.device !== 'webgpu') throw new Error(`opened ${engine.info.device}: ${engine.info.fallbackReason}`);
  const load = { ms: performance.now() - t0, ...countsSince(before) };
  const calls: Call[] = [];
  const scores: number[][] = [];
  for (const q of queries) {
    before = gpuCounts();
    const r = await engine.score(q.text, q.docs);
    calls.push({ ms: r.ms, inferenceMs: r.inferenceMs, runs: r.runs, paddedTokens: r.paddedTokens, realTokens: r.realTokens, ...countsSince(before) });
    scores.push(Array.from(r.scores));
    console.error(`  [${dtype} ${mode}] query ${calls.length}: ${(r.ms / 1000).toFixed(1)} s, ${r.runs} runs, ${calls.at(-1)!.pipelines} pipelines, ${calls.at(-1)!.dispatches} dispatches`);
  }
  await engine.dispose();
  releaseDawn();
  const result: ChildResult = { dtype, mode, load, calls, scores };
  console.log('RESULT ' + JSON.stringify(result));
  return 0;
}

function runChild(dtype: Dtype, mode: WebgpuShapes): ChildResult {
  const argv = [...process.execArgv, process.argv[1]!, ...process.argv.slice(2), '--child', `${dtype}:${mode}`];
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`child ${dtype}:${mode} failed (exit ${r.status}): ${r.stdout.slice(-2000)}`);
  return JSON.parse(line.slice(7)) as ChildResult;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const cell = (xs: number[], d = 1) => `${median(xs).toFixed(d)} [${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)}]`;

async function main(): Promise<number> {
  if (args.child) return child(args.child);
  const dawn = await installDawn();
  if (!dawn.adapter) {
    const rerun = rerunOnSwiftShader();
    if (rerun !== null) return rerun;
    console.error(`webgpu-buckets: ${dawn.reason}`);
    return 2;
  }
  const adapter: AdapterReport = dawn.adapter;
  releaseDawn();
  const rounds = Math.max(1, Number(args.rounds));
  const dtypes = args.dtypes.split(',').filter((d) => fs.existsSync(path.join(MODEL_DIR, onnxFileFor(d as Dtype)))) as Dtype[];
  const { note } = workload();
  console.log(`Adapter: ${adapter.vendor} ${adapter.architecture} '${adapter.description}'${adapter.software ? ' (SOFTWARE)' : ''}; ` +
    `${args.model} ${dtypes.join('/')}; ${note}; ${args.queries} queries x top-${topK}, maxLength ${maxLength}; ` +
    `buckets ${bucketLengths(maxLength).join(', ')}; ${rounds} rounds, one process per contender, alternating.\n`);
  const results: ChildResult[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const dtype of dtypes) {
      const order: WebgpuShapes[] = (r % 2 === 0) !== args['buckets-first'] ? ['exact', 'buckets'] : ['buckets', 'exact'];
      for (const mode of order) {
        console.log(`round ${r + 1}/${rounds}: ${dtype} ${mode}`);
        results.push(runChild(dtype, mode));
      }
    }
  }
  const rows = dtypes.flatMap((dtype) => (['exact', 'buckets'] as const).map((mode) => {
    const rs = results.filter((x) => x.dtype === dtype && x.mode === mode);
    const later = (f: (c: Call) => number) => rs.map((x) => sum(x.calls.slice(1).map(f)));
    return {
      dtype, mode,
      loadMs: rs.map((x) => x.load.ms), loadPipelines: rs.map((x) => x.load.pipelines),
      firstMs: rs.map((x) => x.calls[0]!.ms), firstPipelines: rs.map((x) => x.calls[0]!.pipelines),
      laterMs: later((c) => c.ms), laterPipelines: later((c) => c.pipelines), laterPipelineMs: later((c) => c.pipelineMs),
      totalMs: rs.map((x) => sum(x.calls.map((c) => c.ms))),
      dispatches: rs.map((x) => sum(x.calls.map((c) => c.dispatches))), runs: rs.map((x) => sum(x.calls.map((c) => c.runs))),
      padRatio: rs.map((x) => sum(x.calls.map((c) => c.paddedTokens)) / sum(x.calls.map((c) => c.realTokens))),
    };
  }));
  // Pair by pair, bucketed against exact-length scores of the same round.
  const maxDiff: Record<string, number> = {};
  for (const dtype of dtypes) {
    const ex = results.filter((x) => x.dtype === dtype && x.mode === 'exact');
    const bu = results.filter((x) => x.dtype === dtype && x.mode === 'buckets');
    let m = 0;
    ex.forEach((e, i) => e.scores.forEach((qs, q) => qs.forEach((s, d) => (m = Math.max(m, Math.abs(s - bu[i]!.scores[q]![d]!))))));
    maxDiff[dtype] = m;
  }
  const q = Number(args.queries);
  console.log(`\nmedian [min-max] over ${rounds} processes each; "later" = queries 2-${q} (pipelines already compiled by query 1 are reused)`);
  console.log('dtype | shapes | load s | 1st query s | 1st query pipelines | later queries s | later pipelines | later pipeline-create ms | all queries s | dispatches | runs | padded/real tokens');
  for (const r of rows) {
    console.log([r.dtype, r.mode, cell(r.loadMs.map((x) => x / 1000)), cell(r.firstMs.map((x) => x / 1000)), cell(r.firstPipelines, 0),
      cell(r.laterMs.map((x) => x / 1000)), cell(r.laterPipelines, 0), cell(r.laterPipelineMs, 0), cell(r.totalMs.map((x) => x / 1000)),
      cell(r.dispatches, 0), cell(r.runs, 0), cell(r.padRatio, 3)].join(' | '));
  }
  for (const dtype of dtypes) {
    const t = (mode: string) => median(rows.find((x) => x.dtype === dtype && x.mode === mode)!.totalMs);
    console.log(`${dtype}: all queries, buckets/exact time ${(t('buckets') / t('exact')).toFixed(2)}x; max |score buckets - exact| ${maxDiff[dtype]!.toExponential(2)} (${maxDiff[dtype]! <= TOLERANCE ? 'PASS' : 'FAIL'} at ${TOLERANCE})`);
  }
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify({
    when: new Date().toISOString(), command: `npx tsx bench/experiments/webgpu-buckets.ts ${process.argv.slice(2).join(' ')}`.trim(),
    adapter, node: process.version, cpus: os.availableParallelism(), model: args.model, workload: note, topK, queries: q, maxLength,
    buckets: bucketLengths(maxLength), rounds, tolerance: TOLERANCE, maxDiff, rows,
    raw: results.map(({ scores: _s, ...x }) => x),
  }, null, 2) + '\n');
  console.log(`\nWrote ${path.relative(process.cwd(), OUT)}`);
  return Object.values(maxDiff).every((m) => m <= TOLERANCE) ? 0 : 1;
}

// Exit explicitly: Dawn and ORT's device keep Node alive otherwise.
process.exit(await main());
