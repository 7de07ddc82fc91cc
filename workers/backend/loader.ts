// Loading a model in the worker, the steps both families share: device choice, files (progress, checks, integrity,
// cache), the graph and its external data, the dtype candidates, session creation with the WebGPU-to-WASM fallback,
// the GPU cross-check, and the fields of `info` they have in common. A family (cross-encoder-engine.ts,
// decoder-engine.ts) says only what differs: its dtype rule, how its session is wrapped and warmed up, its check inputs.
import { modelFileUrl, onnxFileFor, type DtypeChoice, type ModelFamily, type RunDevice } from '../../src/core/model-policy.ts';
import { badLocation, externalDataFiles, externalDataPath } from '../../src/core/onnx-external.ts';
import { isRerankError, RerankError } from '../../src/errors.ts';
import type { Dtype, WorkerLoadOptions } from '../../src/options.ts';
import type { AdapterInfo, ProgressEvent, RerankerInfo, StorageInfo } from '../../src/protocol.ts';
import { fileSizeLimit } from '../../src/core/download-policy.ts';
import { chooseDevice, defaultThreads } from './device.ts';
import { crossCheck, type GpuCheck } from './gpu-guard.ts';
import { fetchModelFile, parseJsonFile, sha256Hex, type FetchedFile } from './model-files.ts';
import { persisted } from './storage.ts';
import { configureOrt, loadOrt, type ModelBytes } from './session.ts';

type Emit = (e: ProgressEvent) => void;
/** 'data': an external-data file of a graph (raw tensor bytes). */
type FileKind = 'json' | 'onnx' | 'data';
export type Ort = Awaited<ReturnType<typeof loadOrt>>;

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
  get(file: string, kind: FileKind, optional?: boolean): Promise<FetchedFile | null>;
  /** True while every file so far came from the cache. */
  fromCache(): boolean;
  /** Keeps the fetched files in the cache: call once everything loaded and ran. Says whether the model is kept. */
  commit(): Promise<StorageInfo>;
}

export async function beginLoad(o: WorkerLoadOptions, emit: Emit, signal?: AbortSignal): Promise<LoadContext> {
  const t0 = performance.now();
  const numThreads = o.numThreads ?? defaultThreads();
  let fromCache = true;
  // Files to commit, held until commit() and then let go: openOnWasm keeps this context alive for the engine's life,
  // and a model's bytes held here would stay in the worker's memory (1x the file) after ORT has its own copy.
  const fetched: { file: string; f: FetchedFile }[] = [];
  let committed = false;
  const get = async (file: string, kind: FileKind, optional = false): Promise<FetchedFile | null> => {
    const url = modelFileUrl(o, file);
    try {
      const r = await fetchModelFile({
        url, model: o.model, file, kind, cache: o.cache, signal,
        onProgress: (loaded, total) => emit({ status: 'download', file, loaded, total, fromCache: false }),
        onRetry: (from, reason) => emit({ status: 'retry', file, from, reason }),
        limit: kind === 'json' ? undefined : fileSizeLimit(),
      });
      await checkIntegrity(o.integrity[file], r, file, url);
      fromCache &&= r.fromCache;
      if (!committed) fetched.push({ file, f: r });
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
  const { device, adapter, fallbackReason } = await chooseDevice(o.device, o.dtype);

  // The device is known before ORT loads (the probe is navigator.gpu's own): a load that will not use WebGPU takes
  // ORT's CPU-only build, half the bytes of the WebGPU one.
  const ort = await loadOrt(device === 'webgpu' ? 'webgpu' : 'cpu');
  const [config, tokenizerJson, tokenizerConfig] = await Promise.all([
    json('config.json', true),
    json('tokenizer.json'),
    json('tokenizer_config.json', true),
  ]);
  checkArchitecture(config);
  configureOrt(ort, { numThreads, wasmPaths: o.wasmPaths });
  return {
    o, emit, t0, ort, numThreads, device, adapter, fallbackReason, config, tokenizerJson, tokenizerConfig, get,
    fromCache: () => fromCache,
    commit: async () => {
      // A file fetched twice (the GPU check's WASM session) is committed once: commit() remembers its answer.
      const notes = await Promise.all(fetched.map(async ({ file, f }) => ({ file, note: await f.commit() })));
      committed = true;
      fetched.length = 0;
      const lost = notes.filter((n) => !n.note.kept);
      for (const { file, note } of lost) emit({ status: 'not-cached', file, reason: note.reason ?? 'not kept' });
      const first = lost[0];
      return { kept: !first, reason: first ? `${first.file}: ${first.note.reason ?? 'not kept'}` : null, persisted: await persisted() };
    },
  };
}

/** A causal LM (decoder reranker) rather than a cross-encoder: config.json's architectures say so. */
export function isCausalLm(config: Record<string, unknown>): boolean {
  const archs = config.architectures;
  return Array.isArray(archs) && archs.some((a) => /ForCausalLM$/.test(String(a)));
}

/** A session either family opens: released when done; `usable` false once it can run no more (a lane died). */
export interface EngineSession {
  release(): Promise<void>;
  usable?(): boolean;
}

/** What a family says about its load; the rest of the steps are the same for every family (openModel). */
export interface FamilyLoader<S extends EngineSession> {
  family: ModelFamily;
  /** Files to try on a device, in order (the first that exists is loaded). */
  chooseDtype(device: RunDevice, requested: Dtype | 'auto', shaderF16: boolean): DtypeChoice;
  /**
   * A rewrite of the graph's bytes, applied where every fetched graph passes before a session is created. `editable`:
   * nothing else reads these bytes (they are in the cache already, or will not be), so they may be edited in place.
   */
  rewriteGraph?(graph: Uint8Array, dtype: Dtype, editable: boolean): Uint8Array;
  /**
   * A session of `model` on `device`, which has run once (proof that the graph runs there). `pool`: for scoring, so
   * WASM may spread it over lane workers; false for the GPU check's reference.
   */
  open(model: ModelBytes, device: RunDevice, dtype: Dtype, pool: boolean): Promise<S>;
  /** Numbers of fixed inputs that a WebGPU session and a WASM one of the same file must agree on. */
  checkScores(session: S): Promise<number[]>;
}

export interface OpenedModel<S extends EngineSession> {
  session: S;
  device: RunDevice;
  dtype: Dtype;
  file: string;
  fallbackReason: string | null;
  gpuCheck: GpuCheck | null;
  /** Whether the model's files were kept for the next visit, and why not. */
  storage: StorageInfo;
  /** A WASM session of the loaded file (from the cache when it is on), for leaving a lost or failing GPU. */
  openOnWasm(): Promise<S>;
}

/** A graph and its external-data files, fetched, and the way to drop them all from the cache. */
interface FetchedModel {
  model: ModelBytes;
  evict(): Promise<void>;
}

/**
 * Fetches a graph and the external-data files its initializers name (beside it, through the same fetch, progress,
 * integrity and cache path). Null when an optional graph does not exist.
 */
async function fetchModel(ctx: LoadContext, file: string, optional: boolean, rewrite: ((g: Uint8Array, editable: boolean) => Uint8Array) | null): Promise<FetchedModel | null> {
  const g = await ctx.get(file, 'onnx', optional);
  if (!g) return null;
  const files: FetchedFile[] = [g];
  const evict = async () => void (await Promise.all(files.map((f) => f.evict())));
  // Every graph passes here between its fetch and ORT: a family's rewrite step applies to these bytes, and the
  // external data it still names is read from the result.
  // The rewrite may edit the bytes in place when nothing else reads them: they came from the cache, or the cache is
  // off. A fresh download is written to the cache first (as it was sent; a graph ORT then refuses is evicted below),
  // so that the rewrite needs no second copy of a model of hundreds of MB; a cache that did not keep it gets the copy.
  let editable = g.fromCache || !ctx.o.cache;
  if (rewrite && !editable) editable = (await g.commit()).kept;
  const graph = rewrite ? rewrite(g.bytes, editable) : g.bytes;
  let needs;
  try {
    needs = externalDataFiles(graph);
  } catch (e) {
    await evict();
    throw new RerankError('MODEL_INVALID', `${file}: not a readable ONNX model (${(e as Error).message})`, { file });
  }
  const externalData: ModelBytes['externalData'] = [];
  for (const { location, minBytes } of needs) {
    const why = badLocation(location);
    if (why) throw new RerankError('MODEL_UNSUPPORTED', `${file}: external data location "${location}" cannot be fetched beside the graph: ${why}`, { file });
    const path = externalDataPath(file, location);
    const f = (await ctx.get(path, 'data'))!;
    files.push(f);
    if (minBytes !== null && f.bytes.byteLength < minBytes) {
      await evict();
      throw new RerankError('MODEL_INVALID', `${path}: ${f.bytes.byteLength} bytes, but ${file} reads up to byte ${minBytes} of it`, { file: path });
    }
    externalData.push({ path: location, data: f.bytes });
  }
  return { model: { file, graph, externalData }, evict };
}

/**
 * The load steps every family shares: the dtype candidates in order, session creation (coded errors; a model that
 * ORT refuses leaves the cache), 'auto' leaving a GPU that ORT cannot drive for WASM, the WebGPU cross-check against a
 * WASM session of the same file, and the cache commit once everything ran.
 */
export async function openModel<S extends EngineSession>(ctx: LoadContext, fam: FamilyLoader<S>): Promise<OpenedModel<S>> {
  const { o, emit, adapter } = ctx;
  let { device, fallbackReason } = ctx;
  const sessionOf = async (f: FetchedModel, dev: RunDevice, dtype: Dtype, pool: boolean): Promise<S> => {
    emit({ status: 'session', device: dev });
    try {
      return await fam.open(f.model, dev, dtype, pool);
    } catch (e) {
      if (isRerankError(e, 'MODEL_INVALID')) await f.evict();
      throw e;
    }
  };
  const fetchFile = (file: string, dtype: Dtype, optional: boolean) => fetchModel(ctx, file, optional, fam.rewriteGraph ? (g, editable) => fam.rewriteGraph!(g, dtype, editable) : null);
  const open = async (dev: RunDevice) => {
    const choice = fam.chooseDtype(dev, o.dtype, adapter?.shaderF16 ?? false);
    if (choice.error) throw new RerankError('INVALID_OPTION', choice.error);
    for (const dtype of choice.candidates) {
      const file = onnxFileFor(dtype);
      const f = await fetchFile(file, dtype, choice.candidates.length > 1);
      if (f) return { session: await sessionOf(f, dev, dtype, true), dtype, file, fetched: f };
    }
    throw new RerankError('MODEL_NOT_FOUND', `none of ${choice.candidates.map(onnxFileFor).join(', ')} exists for ${o.model}`, { file: onnxFileFor(choice.candidates.at(-1)!) });
  };
  let opened = await open(device).catch(async (e: unknown) => {
    // 'auto' on a GPU that ORT cannot drive (or that fails the first run) still works, on WASM.
    if (device !== 'webgpu' || o.device !== 'auto' || !isRerankError(e) || !['BACKEND_UNAVAILABLE', 'INFERENCE_FAILED'].includes(e.code)) throw e;
    fallbackReason = `WebGPU failed: ${e.message}`;
    device = 'wasm';
    return open('wasm');
  });
  let gpuCheck: GpuCheck | null = null;
  if (device === 'webgpu' && o.verifyGpu) {
    const cpu = await sessionOf(opened.fetched, 'wasm', opened.dtype, false);
    // A GPU so broken that the check itself throws has failed it too.
    const gpuSession = opened.session;
    gpuCheck = await crossCheck(() => fam.checkScores(gpuSession), () => fam.checkScores(cpu)).catch(() => ({ maxDiff: Infinity, ms: 0, passed: false }));
    if (gpuCheck.passed) {
      await cpu.release();
    } else {
      const why = `WebGPU's scores differed from WASM's by ${gpuCheck.maxDiff.toPrecision(3)} on the check inputs (tolerance 1e-2)`;
      await opened.session.release();
      if (o.device === 'webgpu') {
        await cpu.release();
        throw new RerankError('BACKEND_UNAVAILABLE', `device 'webgpu' was requested but ${why}`);
      }
      opened = { ...opened, session: cpu };
      device = 'wasm';
      fallbackReason = why;
    }
  }
  // Everything parsed, loaded and ran once: only now are the files worth keeping.
  const storage = await ctx.commit();
  emit({ status: 'ready' });
  const { file, dtype } = opened;
  return {
    session: opened.session, device, dtype, file, fallbackReason, gpuCheck, storage,
    openOnWasm: async () => sessionOf((await fetchFile(file, dtype, false))!, 'wasm', dtype, true),
  };
}

/** The fields of `info` every family fills the same way; a family adds its own (family, mode, batchSize, ...). */
export function baseInfo(ctx: LoadContext, m: OpenedModel<EngineSession>, maxLength: number) {
  const { ort } = ctx;
  return {
    model: ctx.o.model,
    device: m.device,
    dtype: m.dtype,
    modelFile: m.file,
    fallbackReason: m.fallbackReason,
    adapter: m.device === 'webgpu' ? ctx.adapter : null,
    gpuCheck: m.gpuCheck,
    numThreads: ort.env.wasm.numThreads ?? ctx.numThreads,
    crossOriginIsolated: Boolean(globalThis.crossOriginIsolated),
    maxLength,
    fromCache: ctx.fromCache(),
    storage: m.storage,
    loadMs: performance.now() - ctx.t0,
    ortVersion: ort.env.versions?.web ?? 'unknown',
  } satisfies Partial<RerankerInfo>;
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
