// Loading a model in the worker: device choice, files (with progress, checks, integrity, cache), tokenizer, the ORT
// session, a warm-up run, and on WebGPU a cross-check against WASM before it is trusted.
import { packBatch } from '../../src/core/batching.ts';
import { autoDeviceReason, chooseDtype, defaultMaxLength, modelFileUrl, onnxFileFor, planWasmSessions, runBatchSize, type RunDevice } from '../../src/core/model-policy.ts';
import { isRerankError, RerankError } from '../../src/errors.ts';
import type { Dtype, WorkerLoadOptions } from '../../src/options.ts';
import type { AdapterInfo, ProgressEvent, RerankerInfo } from '../../src/protocol.ts';
import { defaultThreads, probeWebGpu } from './device.ts';
import { crossCheck } from './gpu-guard.ts';
import { createLanePool } from './lanes.ts';
import { fetchModelFile, parseJsonFile, sha256Hex, type FetchedFile } from './model-files.ts';
import { configureOrt, createSession, loadOrt, type ModelSession } from './session.ts';
import type { PairEncoder } from './tokenizer.ts';

type Emit = (e: ProgressEvent) => void;
export type Ort = Awaited<ReturnType<typeof loadOrt>>;

export interface LoadedModel {
  info: RerankerInfo;
  session: ModelSession;
  encoder: PairEncoder;
  ort: Ort;
  /** The batchSize option (null: the device's default). */
  batchSize: number | null;
  /** A WASM session of the loaded file (from the cache when it is on), for leaving a lost or failing GPU. */
  openOnWasm(): Promise<ModelSession>;
}

/** What every family's load shares: ORT, the device decision, file fetching (progress, integrity, cache) and the JSON files. */
export interface LoadContext {
  o: WorkerLoadOptions;
  emit: Emit;
  t0: number;
  ort: Ort;
  numThreads: number;
  device: RunDevice;
  adapter: AdapterInfo | null;
  fallbackReason: string | null;
  config: Record<string, unknown>;
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  get(file: string, kind: 'json' | 'onnx', optional?: boolean): Promise<FetchedFile | null>;
  /** True while every file so far came from the cache. */
  fromCache(): boolean;
  /** Keeps the fetched files in the cache: call once everything loaded and ran. */
  commit(): Promise<void>;
}

export async function beginLoad(o: WorkerLoadOptions, emit: Emit, signal?: AbortSignal): Promise<LoadContext> {
  const t0 = performance.now();
  const numThreads = o.numThreads ?? defaultThreads();
  let fromCache = true;
  const fetched: FetchedFile[] = [];
  const get = async (file: string, kind: 'json' | 'onnx', optional = false): Promise<FetchedFile | null> => {
    const url = modelFileUrl(o, file);
    try {
      const r = await fetchModelFile({
        url, model: o.model, file, kind, cache: o.cache, signal,
        onProgress: (loaded, total) => emit({ status: 'download', file, loaded, total, fromCache: false }),
      });
      await checkIntegrity(o.integrity[file], r, file, url);
      fromCache &&= r.fromCache;
      fetched.push(r);
      if (r.fromCache) emit({ status: 'cached', file, loaded: r.bytes.byteLength, total: r.bytes.byteLength, fromCache: true });
      emit({ status: 'done', file, loaded: r.bytes.byteLength, total: r.bytes.byteLength, fromCache: r.fromCache });
      return r;
    } catch (e) {
      if (optional && isRerankError(e, 'MODEL_NOT_FOUND')) return null;
      throw e;
    }
  };
  const json = async (file: string, optional = false) => {
    const f = await get(file, 'json', optional);
    return f ? (parseJsonFile(f.bytes, file, modelFileUrl(o, file)) as Record<string, unknown>) : {};
  };

  // Device first: it decides which ONNX file to fetch.
  let device: RunDevice = 'wasm';
  let adapter: AdapterInfo | null = null;
  let fallbackReason: string | null = null;
  if (o.device !== 'wasm') {
    const avoid = o.device === 'auto' ? autoDeviceReason(o.dtype) : null;
    const probe = avoid ? null : await probeWebGpu();
    if (probe?.ok) {
      device = 'webgpu';
      adapter = probe.adapter;
    } else if (o.device === 'webgpu') {
      throw new RerankError('BACKEND_UNAVAILABLE', `device 'webgpu' was requested but ${probe && !probe.ok ? probe.reason : 'it is unavailable'}`);
    } else {
      fallbackReason = avoid ?? (probe && !probe.ok ? probe.reason : null);
    }
  }

  // The device is known before ORT loads (the probe is navigator.gpu's own): a load that will not use WebGPU takes
  // ORT's CPU-only build, half the bytes of the WebGPU one.
  const ort = await loadOrt(device === 'webgpu' ? 'webgpu' : 'cpu');
  const [config, tokenizerJson, tokenizerConfig] = await Promise.all([
    json('config.json', true),
    json('tokenizer.json'),
    json('tokenizer_config.json', true),
  ]);
  checkArchitecture(config);
  return {
    o, emit, t0, ort, numThreads, device, adapter, fallbackReason, config, tokenizerJson, tokenizerConfig, get,
    fromCache: () => fromCache,
    commit: async () => void (await Promise.all(fetched.map((f) => f.commit()))),
  };
}

/** A causal LM (decoder reranker) rather than a cross-encoder: config.json's architectures say so. */
export function isCausalLm(config: Record<string, unknown>): boolean {
  const archs = config.architectures;
  return Array.isArray(archs) && archs.some((a) => /ForCausalLM$/.test(String(a)));
}

export async function loadModel(ctx: LoadContext): Promise<LoadedModel> {
  const { o, emit, t0, ort, numThreads, adapter, config, tokenizerJson, tokenizerConfig, get } = ctx;
  if (o.decoder.mode === 'listwise') throw new RerankError('INVALID_OPTION', `mode 'listwise' needs a decoder reranker; ${o.model} is a cross-encoder`);
  let { device, fallbackReason } = ctx;  // Lazy, like ORT: transformers.js imports ORT statically, and a lazy import keeps ORT in a chunk of its own.
  const { createPairEncoder } = await import('./tokenizer.ts');
  const encoder = createPairEncoder(tokenizerJson, tokenizerConfig);
  const maxLength = o.maxLength ?? modelMaxLength(config, tokenizerConfig);
  configureOrt(ort, { numThreads, wasmPaths: o.wasmPaths });

  // `pool`: WASM may open several sessions side by side (lane workers); the GPU check's reference needs one.
  const sessionOf = async (f: FetchedFile, dev: RunDevice, file: string, dtype: Dtype | null): Promise<ModelSession> => {
    emit({ status: 'session', device: dev });
    try {
      const plan = dev === 'wasm' && dtype ? planWasmSessions(o.wasmSessions, dtype, numThreads) : null;
      if (plan && plan.sessions > 1) {
        try {
          return await createLanePool(f.bytes, file, plan.sessions, plan.threadsEach, o.wasmPaths);
        } catch (e) {
          // Lanes that cannot start (a worker URL that no longer resolves, a CSP that refuses it) leave one session
          // with every thread, which info.wasmSessions shows; a model the lanes could not open fails as it would here.
          if (!isRerankError(e, 'INFERENCE_FAILED')) throw e;
          return await createSession(ort, f.bytes, dev, file);
        }
      }
      return await createSession(ort, f.bytes, dev, file);
    } catch (e) {
      if (isRerankError(e, 'MODEL_INVALID')) await f.evict();
      throw e;
    }
  };
  const open = async (dev: RunDevice): Promise<{ session: ModelSession; dtype: Dtype; file: string; bytes: FetchedFile }> => {
    const choice = chooseDtype(dev, o.dtype, adapter?.shaderF16 ?? false);
    if (choice.error) throw new RerankError('INVALID_OPTION', choice.error);
    for (const dtype of choice.candidates) {
      const file = onnxFileFor(dtype);
      const f = await get(file, 'onnx', choice.candidates.length > 1);
      if (f) return { session: await sessionOf(f, dev, file, dtype), dtype, file, bytes: f };
    }
    throw new RerankError('MODEL_NOT_FOUND', `none of ${choice.candidates.map(onnxFileFor).join(', ')} exists for ${o.model}`, { file: onnxFileFor(choice.candidates.at(-1)!) });
  };

  const openAndWarm = async (dev: RunDevice) => {
    const op = await open(dev);
    return { op, labels: await warmUp(op.session, encoder, maxLength, op.file) };
  };
  let { op: opened, labels: numLabels } = await openAndWarm(device).catch(async (e: unknown) => {
    // 'auto' on a GPU that ORT cannot drive (or that fails the first run) still works, on WASM.
    if (device !== 'webgpu' || o.device !== 'auto' || !isRerankError(e) || !['BACKEND_UNAVAILABLE', 'INFERENCE_FAILED'].includes(e.code)) throw e;
    fallbackReason = `WebGPU failed: ${e.message}`;
    device = 'wasm';
    return openAndWarm('wasm');
  });
  let gpuCheck: RerankerInfo['gpuCheck'] = null;
  if (device === 'webgpu' && o.verifyGpu) {
    const cpu = await sessionOf(opened.bytes, 'wasm', opened.file, null);
    // A GPU so broken that the check itself throws has failed it too.
    gpuCheck = await crossCheck(opened.session, cpu, encoder, maxLength, numLabels).catch(() => ({ maxDiff: Infinity, ms: 0, passed: false }));
    if (gpuCheck.passed) {
      await cpu.release();
    } else {
      const why = `WebGPU's scores differed from WASM's by ${gpuCheck.maxDiff.toPrecision(3)} on the check pairs (tolerance 1e-2)`;
      await opened.session.release();
      if (o.device === 'webgpu') {
        await cpu.release();
        throw new RerankError('BACKEND_UNAVAILABLE', `device 'webgpu' was requested but ${why}`);
      }
      opened = { ...opened, session: cpu };
      device = 'wasm';
      fallbackReason = why;
      numLabels = await warmUp(cpu, encoder, maxLength, opened.file);
    }
  }
  // Everything parsed, loaded and ran once: only now are the files worth keeping.
  await ctx.commit();
  emit({ status: 'ready' });
  const file = opened.file;
  return {
    info: {
      model: o.model,
      family: 'cross-encoder',
      mode: 'cross-encoder',
      sharedPrefix: null, lmHead: null,
      device,
      dtype: opened.dtype,
      modelFile: file,
      fallbackReason,
      adapter: device === 'webgpu' ? adapter : null,
      gpuCheck,
      numThreads: ort.env.wasm.numThreads ?? numThreads,
      wasmSessions: opened.session.sessions,
      crossOriginIsolated: Boolean(globalThis.crossOriginIsolated),
      maxLength,
      batchSize: runBatchSize(device, opened.dtype, o.batchSize),
      numLabels,
      fromCache: ctx.fromCache(),
      loadMs: performance.now() - t0,
      ortVersion: ort.env.versions?.web ?? 'unknown',
    },
    session: opened.session,
    encoder,
    ort,
    batchSize: o.batchSize,
    openOnWasm: async () => {
      const f = await get(file, 'onnx');
      return sessionOf(f!, 'wasm', file, opened.dtype);
    },
  };
}

async function warmUp(session: ModelSession, encoder: PairEncoder, maxLength: number, file: string): Promise<number> {
  const pair = encoder.encodeDocument(encoder.encodeQuery('warm up', maxLength), 'warm up', maxLength);
  const out = await session.run(packBatch([pair], encoder.padId));
  const labels = out.dims.length === 2 ? out.dims[1]! : out.dims.length === 1 ? 1 : -1;
  if (labels !== 1 && labels !== 2) {
    throw new RerankError('MODEL_UNSUPPORTED', `${file}: output '${session.outputName}' has shape [${out.dims.join(', ')}]; a reranker gives [batch, 1] or [batch, 2]`, { file });
  }
  return labels;
}

async function checkIntegrity(pin: string | undefined, f: FetchedFile, file: string, url: string): Promise<void> {
  if (!pin) return;
  const actual = await sha256Hex(f.bytes);
  if (actual === pin) return;
  await f.evict();
  throw new RerankError('INTEGRITY_MISMATCH', `${file}: sha256 is ${actual}, the pinned one is ${pin}`, { file, url });
}

function checkArchitecture(config: Record<string, unknown>): void {
  const archs = config.architectures;
  if (Array.isArray(archs) && archs.length > 0 && !archs.some((a) => /For(SequenceClassification|CausalLM)$/.test(String(a)))) {
    throw new RerankError('MODEL_UNSUPPORTED', `config.json: architectures [${archs.join(', ')}] is neither a sequence-classification (cross-encoder) model nor a causal LM (decoder reranker)`, { file: 'config.json' });
  }
}

function modelMaxLength(config: Record<string, unknown>, tokenizerConfig: Record<string, unknown>): number {
  return defaultMaxLength([tokenizerConfig.model_max_length, config.max_position_embeddings]);
}
