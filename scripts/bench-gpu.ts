// `npm run bench:gpu`: rerank-web's WebGPU rows without a browser. Dawn's Node binding gives navigator.gpu, and the
// worker's own engine (tokenizer, batching, ORT-web's WebGPU EP) scores SciFact BM25 top-K lists on it and on ORT-web's
// WASM; WebGPU scores are checked against onnxruntime-node. Writes bench-results/gpu.json. See docs/benchmark.md.
//
//   npm run bench:gpu                      on a GPU machine (refuses software adapters)
//   npm run bench:gpu -- --allow-software  anywhere Dawn finds SwiftShader (a correctness run, not a GPU figure)
// Options: --top-k 100  --queries 2  --rounds 3  --dtypes fp32,fp16,q4  --threads 1  --max-length 512
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installDawn, releaseDawn, rerunOnSwiftShader, type AdapterReport } from '../bench/gpu/dawn.ts';
import { loadEngine, type NodeEngine } from '../bench/gpu/engine-node.ts';
import { MINILM } from '../bench/run/configs.ts';
import { createNative } from '../bench/run/native.ts';
import { loadWorkload, SCIFACT_DIR } from '../bench/run/workload.ts';
import { needsShaderF16, onnxFileFor } from '../src/core/model-policy.ts';
import type { Dtype } from '../src/options.ts';

const { values: args } = parseArgs({
  options: {
    'allow-software': { type: 'boolean', default: false },
    'top-k': { type: 'string', default: '100' },
    queries: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    dtypes: { type: 'string', default: 'fp32,fp16,q4' },
    threads: { type: 'string', default: '1' },
    'max-length': { type: 'string', default: '512' },
  },
});
const topK = Number(args['top-k']);
const queryCount = Number(args.queries);
const rounds = Math.max(1, Number(args.rounds));
const threads = Number(args.threads);
const maxLength = Number(args['max-length']);
const dtypes = args.dtypes.split(',') as Dtype[];
/** The target on a real GPU: WebGPU docs/s at least this many times WASM's, MiniLM-L6 top-100. */
const SPEED_TARGET = 5;
/** fp32 WebGPU against onnxruntime-node; other dtypes are reported, not held to it. */
const FP32_TOLERANCE = 1e-4;
const MODEL_DIR = path.resolve(import.meta.dirname, '../.models/rerank-web-test', MINILM.name);
const OUT = path.resolve(import.meta.dirname, '../bench-results/gpu.json');

interface Row {
  dtype: Dtype;
  skipped?: string;
  webgpu?: { docsPerSec: number[]; median: number; loadMs: number; batchSize: number };
  wasm?: { docsPerSec: number[]; median: number; loadMs: number; batchSize: number };
  ratio?: number;
  /** max |score - onnxruntime-node's| over every timed pair. */
  maxDiffWebgpu?: number;
  maxDiffWasm?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, x, i) => Math.max(m, Number.isFinite(x) && Number.isFinite(b[i]!) ? Math.abs(x - b[i]!) : Infinity), 0);

async function main(): Promise<number> {
  const dawn = await installDawn();
  if (!dawn.adapter) {
    const rerun = args['allow-software'] ? rerunOnSwiftShader() : null;
    if (rerun !== null) return rerun;
    console.error(`bench:gpu: ${dawn.reason}.${args['allow-software'] ? '' : ' With --allow-software it tries Chromium\'s SwiftShader.'}`);
    return 2;
  }
  const adapter = dawn.adapter;
  console.log(`Adapter (Dawn ${process.env.RERANK_GPU_SWIFTSHADER ? 'on Chromium\'s SwiftShader Vulkan driver' : 'default'}): ` +
    `vendor '${adapter.vendor}', architecture '${adapter.architecture}', device '${adapter.device}', description '${adapter.description}', ` +
    `isFallbackAdapter ${adapter.isFallbackAdapter}, shader-f16 ${adapter.shaderF16}, ${adapter.software ? 'SOFTWARE (CPU)' : 'hardware'}`);
  if (adapter.software && !args['allow-software']) {
    console.error('bench:gpu: this adapter is a CPU implementation, not a GPU; its timings mean nothing. Pass --allow-software to run it as a correctness check.');
    return 2;
  }
  if (!fs.existsSync(path.join(SCIFACT_DIR, 'corpus.jsonl'))) {
    console.log(`bench:gpu: skipped: ${path.relative(process.cwd(), SCIFACT_DIR)} is absent (SciFact exists on the project's machines only).`);
    return 0;
  }
  if (!fs.existsSync(path.join(MODEL_DIR, 'onnx/model.onnx'))) {
    console.error(`bench:gpu: ${path.relative(process.cwd(), MODEL_DIR)} is missing: run \`npm run models\` first.`);
    return 2;
  }
  const workload = loadWorkload(queryCount, [topK]);
  const queries = workload.queries.map((q) => ({ text: q.text, docs: q.docs[topK]! }));
  console.log(`Workload: ${workload.note}; ${queries.length} queries x top-${topK}; MiniLM-L6 (generated weights); ` +
    `${rounds} rounds, WebGPU and WASM alternating; WASM ${threads} thread(s); reference onnxruntime-node.\n`);

  const rows: Row[] = [];
  for (const dtype of dtypes) rows.push(await benchDtype(dtype, adapter, queries));
  releaseDawn();

  printTable(rows, adapter);
  const parityFailed = rows.some((r) => r.dtype === 'fp32' && r.maxDiffWebgpu !== undefined && !(r.maxDiffWebgpu <= FP32_TOLERANCE));
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify({
    when: new Date().toISOString(), command: `npm run bench:gpu -- ${process.argv.slice(2).join(' ')}`.trim(),
    adapter, node: process.version, cpus: os.availableParallelism(), workload: workload.note, topK, queries: queries.length,
    rounds, wasmThreads: threads, maxLength, speedTarget: SPEED_TARGET, fp32Tolerance: FP32_TOLERANCE, rows,
  }, null, 2) + '\n');
  console.log(`\nWrote ${path.relative(process.cwd(), OUT)}`);
  return parityFailed ? 1 : 0;
}

async function benchDtype(dtype: Dtype, adapter: AdapterReport, queries: { text: string; docs: string[] }[]): Promise<Row> {
  const file = onnxFileFor(dtype);
  if (!fs.existsSync(path.join(MODEL_DIR, file))) {
    console.log(`${dtype}: skipped: the generated model folder has no ${file} (scripts/gen-models.ts writes no ${dtype} file)`);
    return { dtype, skipped: `no ${file} in the generated model folder` };
  }
  if (needsShaderF16(dtype) && !adapter.shaderF16) {
    console.log(`${dtype}: skipped: the adapter lacks shader-f16`);
    return { dtype, skipped: 'adapter lacks shader-f16' };
  }
  console.log(`${dtype}: loading onnxruntime-node reference, WebGPU and WASM engines (${file})`);
  const native = await createNative({ modelDir: MODEL_DIR, onnxFile: file, threads: os.availableParallelism(), batchSize: 16, maxLength });
  const reference = [];
  for (const q of queries) reference.push((await native.run(q.text, q.docs)).scores);
  await native.release();

  const engines: Partial<Record<'webgpu' | 'wasm', NodeEngine>> = {};
  const loadMs: Record<string, number> = {};
  try {
    for (const device of ['webgpu', 'wasm'] as const) {
      const t0 = performance.now();
      const e = await loadEngine({ modelDir: MODEL_DIR, device, dtype, threads, maxLength });
      loadMs[device] = performance.now() - t0;
      if (e.info.device !== device) throw new Error(`the engine opened ${e.info.device}, not ${device} (${e.info.fallbackReason})`);
      engines[device] = e;
      // Untimed warm-up: WebGPU compiles its pipelines on first use of each kernel.
      const warm = queries[0]!;
      const t1 = performance.now();
      await e.score(warm.text, warm.docs.slice(0, 16));
      console.log(`  ${dtype} ${device}: loaded in ${(loadMs[device] / 1000).toFixed(1)} s, warm-up run ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    }
  } catch (e) {
    await Promise.all(Object.values(engines).map((x) => x.dispose()));
    const why = (e as Error).message;
    console.log(`${dtype}: FAILED to load: ${why}`);
    return { dtype, skipped: `load failed: ${why}` };
  }
  const gpu = engines.webgpu!;
  const cpu = engines.wasm!;
  const rates: Record<'webgpu' | 'wasm', number[]> = { webgpu: [], wasm: [] };
  const diffs = { webgpu: 0, wasm: 0 };
  for (let r = 0; r < rounds; r++) {
    // Alternate who goes first: under contention neither side always gets the quieter half.
    const order = r % 2 === 0 ? (['webgpu', 'wasm'] as const) : (['wasm', 'webgpu'] as const);
    for (const device of order) {
      const e = device === 'webgpu' ? gpu : cpu;
      let ms = 0;
      let docs = 0;
      for (const [qi, q] of queries.entries()) {
        const out = await e.score(q.text, q.docs);
        ms += out.ms;
        docs += q.docs.length;
        diffs[device] = Math.max(diffs[device], maxDiff(out.scores, reference[qi]!));
      }
      rates[device].push(docs / (ms / 1000));
      console.log(`  ${dtype} round ${r + 1}/${rounds} ${device.padEnd(6)} ${(docs / (ms / 1000)).toFixed(2)} docs/s (${(ms / 1000).toFixed(1)} s)`);
    }
  }
  await gpu.dispose();
  await cpu.dispose();
  const side = (d: 'webgpu' | 'wasm', e: NodeEngine) => ({ docsPerSec: rates[d], median: median(rates[d]), loadMs: loadMs[d]!, batchSize: e.info.batchSize });
  const row: Row = { dtype, webgpu: side('webgpu', gpu), wasm: side('wasm', cpu), maxDiffWebgpu: diffs.webgpu, maxDiffWasm: diffs.wasm };
  row.ratio = row.webgpu!.median / row.wasm!.median;
  return row;
}

function printTable(rows: Row[], adapter: AdapterReport): void {
  const f = (x: number | undefined, d = 2) => (x === undefined ? '-' : x.toFixed(d));
  const spread = (xs: number[] | undefined) => (xs ? `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}` : '-');
  console.log(`\nMiniLM-L6 top-${topK}, docs/s (median of ${rounds} rounds, min-max)`);
  console.log('dtype | WebGPU docs/s | (min-max) | WASM docs/s | (min-max) | WebGPU/WASM | max|diff| WebGPU vs ORT-node | WASM vs ORT-node');
  for (const r of rows) {
    if (r.skipped) {
      console.log(`${r.dtype} | skipped: ${r.skipped}`);
      continue;
    }
    const parity = r.dtype === 'fp32' ? ` (${r.maxDiffWebgpu! <= FP32_TOLERANCE ? 'PASS' : 'FAIL'} at ${FP32_TOLERANCE})` : '';
    console.log(`${r.dtype} | ${f(r.webgpu?.median)} | ${spread(r.webgpu?.docsPerSec)} | ${f(r.wasm?.median)} | ${spread(r.wasm?.docsPerSec)} | ` +
      `${f(r.ratio)}x | ${r.maxDiffWebgpu?.toExponential(2)}${parity} | ${r.maxDiffWasm?.toExponential(2)}`);
  }
  for (const r of rows.filter((x) => x.ratio !== undefined)) {
    const verdict = adapter.software
      ? `not a GPU figure (software adapter '${adapter.architecture || adapter.description}'): no verdict`
      : topK !== 100 ? `top-${topK} is not the target's top-100: no verdict` : r.ratio! >= SPEED_TARGET ? 'PASS' : 'FAIL';
    console.log(`Target WebGPU >= ${SPEED_TARGET}x WASM, ${r.dtype}: ${r.ratio!.toFixed(2)}x: ${verdict}`);
  }
}

// Exit explicitly: Dawn and ORT's device keep Node alive otherwise.
process.exit(await main());
