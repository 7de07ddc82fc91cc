// The decoder bench page: one decoder reranker with the shared prefix and one with full prompts, in workers of their
// own, alternating within each round (which goes first switches every round). Driven by scripts/bench-decoder.ts.
import { createReranker, type Reranker } from '../../src/index.ts';
import type { ContenderRound, DecoderBenchResult, DecoderBenchSpec, GpuPrefixPass, GpuPrefixResult } from './decoder-types.ts';

async function pass(r: Reranker, spec: DecoderBenchSpec): Promise<{ round: ContenderRound; scores: number[][] }> {
  let docs = 0;
  let paddedTokens = 0;
  const scores: number[][] = [];
  const t0 = performance.now();
  for (const q of spec.queries) {
    scores.push(await r.score(q.text, q.docs));
    docs += q.docs.length;
    paddedTokens += r.lastTimings?.paddedTokens ?? 0;
  }
  return { round: { docsPerSec: docs / ((performance.now() - t0) / 1000), paddedTokens }, scores };
}

async function decoderRun(spec: DecoderBenchSpec): Promise<DecoderBenchResult> {
  const base = { model: spec.model, hubUrl: spec.hubUrl, device: spec.device, dtype: spec.dtype as 'auto', maxLength: spec.maxLength };
  const shared = await createReranker({ ...base, sharedPrefix: true });
  const full = await createReranker({ ...base, sharedPrefix: false });
  const out: DecoderBenchResult = {
    rounds: [], maxDiff: 0,
    info: { device: shared.info.device, dtype: shared.info.dtype, numThreads: shared.info.numThreads, maxLength: shared.info.maxLength, batchSize: shared.info.batchSize },
  };
  // A warm-up pass each: the first call pays for compiling kernels (WebGPU pipelines) and growing ORT's arena.
  await pass(shared, spec);
  await pass(full, spec);
  for (let i = 0; i < spec.rounds; i++) {
    const order: ('shared' | 'full')[] = i % 2 === 0 ? ['shared', 'full'] : ['full', 'shared'];
    const got: Partial<Record<'shared' | 'full', Awaited<ReturnType<typeof pass>>>> = {};
    for (const who of order) got[who] = await pass(who === 'shared' ? shared : full, spec);
    got.shared!.scores.forEach((row, q) => row.forEach((s, d) => (out.maxDiff = Math.max(out.maxDiff, Math.abs(s - got.full!.scores[q]![d]!)))));
    out.rounds.push({ order, shared: got.shared!.round, full: got.full!.round });
  }
  await shared.dispose();
  await full.dispose();
  return out;
}

(window as unknown as { decoderRun: typeof decoderRun }).decoderRun = decoderRun;

/** One pass over the queries, with the prefix cache's bytes read back into the worker summed from lastTimings. */
async function gpuPass(r: Reranker, spec: DecoderBenchSpec): Promise<{ pass: GpuPrefixPass; scores: number[][] }> {
  const pass: GpuPrefixPass = { docsPerSec: 0, inferenceMs: 0, prefixBytesToCpu: 0 };
  const scores: number[][] = [];
  let docs = 0;
  const t0 = performance.now();
  for (const q of spec.queries) {
    scores.push(await r.score(q.text, q.docs));
    docs += q.docs.length;
    pass.inferenceMs += r.lastTimings?.inferenceMs ?? 0;
    pass.prefixBytesToCpu += r.lastTimings?.prefixCacheBytesToCpu ?? 0;
  }
  pass.docsPerSec = docs / ((performance.now() - t0) / 1000);
  return { pass, scores };
}

/** The shared prefix's cache kept in GPU buffers against copied through the worker, alternating within rounds (WebGPU). */
async function gpuPrefixRun(spec: DecoderBenchSpec & { batchSize: number }): Promise<GpuPrefixResult> {
  const base = { model: spec.model, hubUrl: spec.hubUrl, device: spec.device, dtype: spec.dtype as 'auto', maxLength: spec.maxLength, batchSize: spec.batchSize };
  const gpu = await createReranker({ ...base, gpuPrefixCache: true });
  const cpu = await createReranker({ ...base, gpuPrefixCache: false });
  const a = gpu.info.adapter;
  const out: GpuPrefixResult = { rounds: [], maxDiff: 0, info: { device: gpu.info.device, dtype: gpu.info.dtype, batchSize: gpu.info.batchSize, adapter: a ? `${a.vendor} ${a.architecture}` : 'none' } };
  await gpuPass(gpu, spec);
  await gpuPass(cpu, spec);
  for (let i = 0; i < spec.rounds; i++) {
    const order: ('gpu' | 'cpu')[] = i % 2 === 0 ? ['gpu', 'cpu'] : ['cpu', 'gpu'];
    const got: Partial<Record<'gpu' | 'cpu', Awaited<ReturnType<typeof gpuPass>>>> = {};
    for (const who of order) got[who] = await gpuPass(who === 'gpu' ? gpu : cpu, spec);
    got.gpu!.scores.forEach((row, q) => row.forEach((s, d) => (out.maxDiff = Math.max(out.maxDiff, Math.abs(s - got.cpu!.scores[q]![d]!)))));
    out.rounds.push({ order, gpu: got.gpu!.pass, cpu: got.cpu!.pass });
  }
  await gpu.dispose();
  await cpu.dispose();
  return out;
}

(window as unknown as { gpuPrefixRun: typeof gpuPrefixRun }).gpuPrefixRun = gpuPrefixRun;
