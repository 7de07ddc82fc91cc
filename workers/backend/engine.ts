// A loaded reranker inside the worker: picks the device and file, loads tokenizer and session, scores in batches.
import { packBatch, planBatches } from '../../src/core/batching.ts';
import { autoDeviceReason, chooseDtype, isDynamicInt8, modelFileUrl, onnxFileFor, type RunDevice } from '../../src/core/model-policy.ts';
import { logitsToScores } from '../../src/core/scoring.ts';
import { isRerankError, RerankError } from '../../src/errors.ts';
import type { Dtype, WorkerLoadOptions } from '../../src/options.ts';
import type { AdapterInfo, BatchEvent, ProgressEvent, RerankerInfo, ScoreReply } from '../../src/protocol.ts';
import { defaultThreads, probeWebGpu } from './device.ts';
import { fetchModelFile, parseJsonFile, sha256Hex, type FetchedFile } from './model-files.ts';
import { configureOrt, createSession, loadOrt, type ModelSession } from './session.ts';
import type { PairEncoder } from './tokenizer.ts';

/** Padded tokens per run: bounds a run's activations whatever batchSize says. */
const TOKEN_BUDGET = 8192;

export interface ScoreControl {
  cancelled(): boolean;
  onBatch?: (e: BatchEvent) => void;
}

type Emit = (e: ProgressEvent) => void;

export class Engine {
  private constructor(
    readonly info: RerankerInfo,
    private readonly session: ModelSession,
    private readonly encoder: PairEncoder,
  ) {}

  static async load(o: WorkerLoadOptions, emit: Emit, signal?: AbortSignal): Promise<Engine> {
    const t0 = performance.now();
    const numThreads = o.numThreads ?? defaultThreads();
    const ort = await loadOrt();
    let fromCache = true;
    const fetched: FetchedFile[] = [];
    const get = async (file: string, kind: 'json' | 'onnx', optional = false): Promise<FetchedFile | null> => {
      const url = modelFileUrl(o, file);
      try {
        const r = await fetchModelFile({
          url, file, kind, cache: o.cache, signal,
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

    const [config, tokenizerJson, tokenizerConfig] = await Promise.all([
      json('config.json', true),
      json('tokenizer.json'),
      json('tokenizer_config.json', true),
    ]);
    checkArchitecture(config);
    // Lazy, like ORT: transformers.js imports ORT statically, and a lazy import keeps ORT in a chunk of its own.
    const { createPairEncoder } = await import('./tokenizer.ts');
    const encoder = createPairEncoder(tokenizerJson, tokenizerConfig);
    const maxLength = o.maxLength ?? modelMaxLength(config, tokenizerConfig);
    configureOrt(ort, { numThreads, wasmPaths: o.wasmPaths });

    const open = async (dev: RunDevice): Promise<{ session: ModelSession; dtype: Dtype; file: string }> => {
      const choice = chooseDtype(dev, o.dtype, adapter?.shaderF16 ?? false);
      if (choice.error) throw new RerankError('INVALID_OPTION', choice.error);
      let lastMissing: unknown = null;
      for (const dtype of choice.candidates) {
        const file = onnxFileFor(dtype);
        const f = await get(file, 'onnx', choice.candidates.length > 1);
        if (!f) {
          lastMissing = file;
          continue;
        }
        emit({ status: 'session', device: dev });
        try {
          return { session: await createSession(ort, f.bytes, dev, file), dtype, file };
        } catch (e) {
          if (isRerankError(e, 'MODEL_INVALID')) await f.evict();
          throw e;
        }
      }
      throw new RerankError('MODEL_NOT_FOUND', `none of ${choice.candidates.map(onnxFileFor).join(', ')} exists for ${o.model}`, { file: String(lastMissing) });
    };

    let opened: { session: ModelSession; dtype: Dtype; file: string };
    let numLabels: number;
    try {
      opened = await open(device);
      numLabels = await warmUp(opened.session, encoder, maxLength, opened.file);
    } catch (e) {
      // 'auto' on a GPU that ORT cannot drive (or that fails the first run) still works, on WASM.
      if (device !== 'webgpu' || o.device !== 'auto' || !isRerankError(e) || !['BACKEND_UNAVAILABLE', 'INFERENCE_FAILED'].includes(e.code)) throw e;
      fallbackReason = `WebGPU failed: ${e.message}`;
      device = 'wasm';
      opened = await open('wasm');
      numLabels = await warmUp(opened.session, encoder, maxLength, opened.file);
    }
    // Everything parsed, loaded and ran once: only now are the files worth keeping.
    await Promise.all(fetched.map((f) => f.commit()));
    emit({ status: 'ready' });
    const info: RerankerInfo = {
      model: o.model,
      device,
      dtype: opened.dtype,
      modelFile: opened.file,
      fallbackReason,
      adapter: device === 'webgpu' ? adapter : null,
      numThreads: ort.env.wasm.numThreads ?? numThreads,
      crossOriginIsolated: Boolean(globalThis.crossOriginIsolated),
      maxLength,
      batchSize: isDynamicInt8(opened.dtype) ? 1 : o.batchSize,
      numLabels,
      fromCache,
      loadMs: performance.now() - t0,
      ortVersion: ort.env.versions?.web ?? 'unknown',
    };
    return new Engine(info, opened.session, encoder);
  }

  async score(query: string, texts: string[], ctl: ScoreControl): Promise<ScoreReply> {
    const { maxLength, batchSize, numLabels } = this.info;
    const t0 = performance.now();
    const queryIds = this.encoder.encodeQuery(query, maxLength);
    const pairs = texts.map((t) => this.encoder.encodeDocument(queryIds, t, maxLength));
    const tokenizeMs = performance.now() - t0;
    const batches = planBatches(pairs.map((p) => p.ids.length), batchSize, Math.max(TOKEN_BUDGET, maxLength));
    const scores = new Float32Array(texts.length);
    let inferenceMs = 0;
    let paddedTokens = 0;
    let realTokens = 0;
    let done = 0;
    for (const indices of batches) {
      // Between batches: let queued messages (a cancel) in, and stop if this call was cancelled.
      await yieldToEventLoop();
      if (ctl.cancelled()) throw new RerankError('ABORTED', 'the call was aborted');
      const packed = packBatch(indices.map((i) => pairs[i]!), this.encoder.padId);
      const t1 = performance.now();
      const out = await this.session.run(packed);
      inferenceMs += performance.now() - t1;
      const batchScores = logitsToScores(out.data, packed.batch, numLabels);
      if (batchScores.some((s) => !Number.isFinite(s))) {
        throw new RerankError('INFERENCE_FAILED', `the model returned non-finite logits on ${this.info.device}`);
      }
      indices.forEach((i, k) => (scores[i] = batchScores[k]!));
      paddedTokens += packed.batch * packed.seqLen;
      realTokens += packed.realTokens;
      done += indices.length;
      ctl.onBatch?.({ indices, scores: batchScores, done, total: texts.length });
    }
    const truncated = pairs.flatMap((p, i) => (p.truncated ? [i] : []));
    return { scores, truncated, timings: { tokenizeMs, inferenceMs, runs: batches.length, paddedTokens, realTokens }, info: this.info };
  }

  dispose(): Promise<void> {
    return this.session.release();
  }
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
  if (Array.isArray(archs) && archs.length > 0 && !archs.some((a) => /ForSequenceClassification$/.test(String(a)))) {
    throw new RerankError('MODEL_UNSUPPORTED', `config.json: architectures [${archs.join(', ')}] is not a sequence-classification (cross-encoder) model`, { file: 'config.json' });
  }
}

function modelMaxLength(config: Record<string, unknown>, tokenizerConfig: Record<string, unknown>): number {
  const candidates = [tokenizerConfig.model_max_length, config.max_position_embeddings]
    .filter((v): v is number => typeof v === 'number' && v > 0 && v < 1e6);
  return Math.min(512, ...candidates);
}

const channel = typeof MessageChannel === 'undefined' ? null : new MessageChannel();
/** A macrotask boundary (faster than setTimeout's clamp) so that messages queued during a run are handled. */
function yieldToEventLoop(): Promise<void> {
  if (!channel) return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

