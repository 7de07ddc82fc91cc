// `npx tsx bench/experiments/webgpu-graph-capture.ts`: can ORT-web's WebGPU EP capture the cross-encoder's graph per bucket?
// enableGraphCapture needs static shapes and inputs/outputs bound as GPU buffers: one session per (batch, bucket).
// Opens the model with and without it on Dawn in Node (SwiftShader here), feeds one fixed bucket shape from GPU
// buffers, times replays against plain runs and compares logits. Prints what ORT says when it refuses, verbatim.
// Writes bench-results/webgpu-graph-capture-<outputs>.json. See docs/webgpu-buckets.md.
//
// Options: --dtype q4  --batch 4  --seq 32  --runs 5  --model ms-marco-MiniLM-L-6-v2  --outputs ours|ort
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installDawn, releaseDawn, rerunOnSwiftShader } from '../gpu/dawn.ts';
import { loadEngine } from '../gpu/engine-node.ts';
import { countsSince, gpuCounts, installGpuCounters } from '../gpu/gpu-counters.ts';
import { onnxFileFor } from '../../src/core/model-policy.ts';
import type { Dtype } from '../../src/options.ts';
import { loadOrt } from '../../workers/backend/session.ts';

const { values: args } = parseArgs({
  options: {
    dtype: { type: 'string', default: 'q4' },
    batch: { type: 'string', default: '4' },
    seq: { type: 'string', default: '32' },
    runs: { type: 'string', default: '5' },
    model: { type: 'string', default: 'ms-marco-MiniLM-L-6-v2' },
    // 'ours': the output bound to a GPU buffer we allocate (fetches); 'ort': ORT allocates it on the GPU, kept alive.
    outputs: { type: 'string', default: 'ours' },
  },
});
const dtype = args.dtype as Dtype;
const [batch, seq, runs] = [Number(args.batch), Number(args.seq), Number(args.runs)];
const MODEL_DIR = path.resolve(import.meta.dirname, '../../.models/rerank-web-test', args.model);
const OUT = path.resolve(import.meta.dirname, `../../bench-results/webgpu-graph-capture-${args.outputs}.json`);

async function main(): Promise<number> {
  const dawn = await installDawn();
  if (!dawn.adapter) return rerunOnSwiftShader() ?? 2;
  installGpuCounters();
  // The worker's engine sets ORT up (wasm paths, threads, the WebGPU device); the raw sessions below share it.
  const engine = await loadEngine({ modelDir: MODEL_DIR, device: 'webgpu', dtype, threads: 1, maxLength: 512 });
  const ort = await loadOrt('webgpu');
  const device = (await ort.env.webgpu.device) as GPUDevice;
  const bytes = fs.readFileSync(path.join(MODEL_DIR, onnxFileFor(dtype)));
  // Pairs of varied length inside one bucket: token ids from 1000 on, mask 0 (and pad id 0) past each pair's end.
  const ids = new BigInt64Array(batch * seq);
  const mask = new BigInt64Array(batch * seq);
  for (let b = 0; b < batch; b++) {
    const len = Math.max(4, seq - 5 * b);
    for (let j = 0; j < len; j++) {
      ids[b * seq + j] = BigInt(1000 + ((b * 31 + j * 7) % 5000));
      mask[b * seq + j] = 1n;
    }
  }
  const types = new BigInt64Array(batch * seq);
  const dims = [batch, seq];
  // Graph capture replays the captured bind groups: the output must be a buffer we own and keep for the session's
  // life (an output ORT allocates and we dispose leaves the replay a dead buffer: "no overload matched for createBindGroup").
  const gpuOutput = (labels: number) => {
    const size = Math.max(16, batch * labels * 4);
    const buffer = device.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
    const download = async () => {
      const staging = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(buffer, 0, staging, 0, size);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const out = new Float32Array(staging.getMappedRange().slice(0), 0, batch * labels);
      staging.unmap();
      staging.destroy();
      return out;
    };
    return ort.Tensor.fromGpuBuffer(buffer, { dataType: 'float32', dims: [batch, labels], download });
  };
  const gpuInput = (data: BigInt64Array) => {
    const buffer = device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
    device.queue.writeBuffer(buffer, 0, data);
    return ort.Tensor.fromGpuBuffer(buffer, { dataType: 'int64', dims });
  };
  const result: Record<string, unknown> = { outputs: args.outputs, when: new Date().toISOString(), adapter: dawn.adapter, ortVersion: ort.env.versions.web, dtype, batch, seq, runs };

  const trial = async (capture: boolean) => {
    const key = capture ? 'graphCapture' : 'plain';
    const t0 = performance.now();
    let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['webgpu'], graphOptimizationLevel: 'all', enableGraphCapture: capture,
        preferredOutputLocation: 'gpu-buffer', logSeverityLevel: 3,
      });
    } catch (e) {
      result[key] = { stage: 'create', error: String((e as Error).message ?? e) };
      console.log(`${key}: session create FAILED: ${(result[key] as { error: string }).error}`);
      return null;
    }
    const createMs = performance.now() - t0;
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = { input_ids: gpuInput(ids), attention_mask: gpuInput(mask) };
    if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = gpuInput(types);
    const fetches = { [session.outputNames[0]!]: gpuOutput(engine.info.numLabels) };
    const times: number[] = [];
    const dispatches: number[] = [];
    let logits: Float32Array | null = null;
    try {
      for (let r = 0; r < runs; r++) {
        const before = gpuCounts();
        const t1 = performance.now();
        const out = args.outputs === 'ours' ? await session.run(feeds, fetches) : await session.run(feeds);
        const t = out[session.outputNames[0]!]!;
        // A tensor over our own buffer: getData() downloads it without releasing it.
        const data = (await t.getData()) as Float32Array;
        times.push(performance.now() - t1);
        dispatches.push(countsSince(before).dispatches);
        logits ??= data.slice();
      }
    } catch (e) {
      result[key] = { stage: `run ${times.length + 1}`, createMs, times, error: String((e as Error).message ?? e) };
      console.log(`${key}: run ${times.length + 1} FAILED: ${(result[key] as { error: string }).error}`);
      await session.release();
      return null;
    }
    await session.release();
    result[key] = { createMs, times, dispatches, logits: Array.from(logits!) };
    console.log(`${key}: created in ${(createMs / 1000).toFixed(1)} s; runs ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s; dispatches ${dispatches.join(', ')}`);
    return logits;
  };
  const plain = await trial(false);
  const captured = await trial(true);
  if (plain && captured) {
    result.maxDiff = Math.max(...Array.from(plain, (x, i) => Math.abs(x - captured[i]!)));
    console.log(`max |logit captured - plain| ${(result.maxDiff as number).toExponential(2)}`);
  }
  await engine.dispose();
  releaseDawn();
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
  console.log(`ORT ${ort.env.versions.web}; wrote ${path.relative(process.cwd(), OUT)}`);
  return 0;
}

process.exit(await main());
