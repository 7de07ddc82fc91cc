// Options of createReranker (RerankerOptions), their documented defaults, and validation. Merged once, here. A call's
// options (RerankCallOptions) are in call-options.ts.
import { resolveRecipe, type DecoderRecipe, type DecoderRecipeOptions, type RecipeName } from './core/decoder-recipes.ts';
import { resolveSlowLimits, type SlowDeviceLimits } from './core/device-cost.ts';
import { resolveIntegrity } from './core/integrity.ts';
import { RerankError } from './errors.ts';
import type { ProgressEvent } from './protocol.ts';
import { DEVICES, DTYPES, type Device, type Dtype } from './core/vocabulary.ts';

// The vocabulary lives in core/vocabulary.ts; re-exported here, where page code and other modules have long found it.
export { DEVICES, DTYPE_SUFFIX, DTYPES, type Device, type Dtype } from './core/vocabulary.ts';

export interface RerankerOptions {
  /**
   * Hub id, or the URL of a folder laid out like a hub repo (config.json, tokenizer.json, onnx/model*.onnx).
   * @defaultValue 'Xenova/ms-marco-MiniLM-L-6-v2'
   * @example model: 'Xenova/ms-marco-TinyBERT-L-2-v2'  // or 'https://cdn.example.com/models/my-reranker/'
   */
  model?: string;
  /**
   * Where hub ids are fetched from: `${hubUrl}/${model}/resolve/${revision}/${file}`.
   * @defaultValue 'https://huggingface.co'
   * @example hubUrl: 'https://hf-mirror.example.com'
   */
  hubUrl?: string;
  /**
   * Hub revision: branch, tag or commit.
   * @defaultValue 'main'
   * @example revision: 'a1b2c3d'
   */
  revision?: string;
  /**
   * 'auto' tries WebGPU and falls back to WASM, saying why in `info.fallbackReason`; 'webgpu' without an adapter is an error.
   * @defaultValue 'auto'
   * @example device: 'wasm'
   */
  device?: Device;
  /**
   * Which ONNX file to run. 'auto': q8 on WASM (fp32 if there is none), fp16 on WebGPU with shader-f16, else fp32.
   * @defaultValue 'auto'
   * @example dtype: 'q4'  // onnx/model_q4.onnx
   */
  dtype?: Dtype | 'auto';
  /**
   * Tokens per pair, special tokens included; only the document side is cut.
   * @defaultValue the model's window, at most 512 (classic) or 4,096 (long); decoders 2,048 (LM head pruned) or 1,024
   * @example maxLength: 256  // twice as fast on long documents, less context
   */
  maxLength?: number;
  /**
   * Most documents per ONNX Runtime run for fp32/fp16/q4 (dynamic int8 always runs one per run). Runs hold
   * documents of similar length, and at most 8192 padded tokens.
   * @defaultValue 4 on WASM (measured fastest on CPUs, and least memory), 16 on WebGPU
   * @example batchSize: 32
   */
  batchSize?: number;
  /**
   * WASM threads.
   * @defaultValue navigator.hardwareConcurrency (at most 8) when cross-origin isolated, else 1
   * @example numThreads: 2
   */
  numThreads?: number;
  /**
   * WASM only: ONNX Runtime sessions that run documents side by side, each in a worker of its own with
   * numThreads / wasmSessions threads. 'auto': one per thread (at most 4) for dynamic int8, whose one-document runs
   * use intra-op threads poorly; 1 for batched dtypes. Each session holds its own copy of the weights. Needs no
   * cross-origin isolation, so it is how a page without COOP/COEP uses more than one core.
   * @defaultValue 'auto'
   * @example wasmSessions: 2  // two cores on a page that is not cross-origin isolated
   */
  wasmSessions?: number | 'auto';
  /**
   * Folder (URL) that serves ONNX Runtime's .wasm files.
   * @defaultValue next to ORT's module, where your bundler emits it
   * @example wasmPaths: '/static/ort/'
   */
  wasmPaths?: string;
  /**
   * Keep model files in the Cache API so that the next load makes no request.
   * @defaultValue true
   * @example cache: false
   */
  cache?: boolean;
  /**
   * Ask the browser (navigator.storage.persist()) to keep this origin's storage under pressure, so that a large cached
   * model is not evicted. Browsers decide by their own rules (Chromium: site engagement, an installed app, granted
   * notifications); `info.storage.persisted` says what came of it.
   * @defaultValue false
   * @example persistStorage: true
   */
  persistStorage?: boolean;
  /**
   * sha256 pins per model file, checked before the file is used (also when it comes from the cache).
   * @defaultValue none
   * @example integrity: { 'onnx/model_quantized.onnx': 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' }
   */
  integrity?: Record<string, string>;
  /**
   * Before trusting WebGPU, score six fixed pairs on WebGPU and on WASM and fall back to WASM if they disagree
   * (WebGPU's known failures are silent). Costs a WASM session and two small runs at load.
   * @defaultValue true
   * @example verifyGpu: false  // a large model on a GPU you trust
   */
  verifyGpu?: boolean;
  /**
   * WebGPU only: pad each run to its own longest pair ('exact'), or up to one of a few fixed lengths ('buckets': 16,
   * 32, 48, 80, 128, ... up to maxLength) so that ONNX Runtime reuses compiled GPU pipelines across calls. WASM always
   * runs exact lengths. See docs/webgpu-buckets.md for the measurement behind the default.
   * @defaultValue 'exact'
   * @example webgpuShapes: 'buckets'
   */
  webgpuShapes?: WebgpuShapes;
  /**
   * Progress of file downloads and of the load.
   * @defaultValue none
   * @example onProgress: (e) => { if (e.status === 'download') bar.value = e.loaded / (e.total ?? e.loaded); }
   */
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Cancels the load: the worker is terminated and nothing half-downloaded is cached.
   * @defaultValue none
   * @example signal: AbortSignal.timeout(60_000)
   */
  signal?: AbortSignal;
  /**
   * Makes the worker, for bundlers or CSPs that need it done differently.
   * @defaultValue the package's own worker
   * @example createWorker: () => new Worker('/static/reranker.worker.js', { type: 'module' })
   */
  createWorker?: () => Worker;
  /**
   * Decoder rerankers (causal LMs such as Qwen3-Reranker) only: 'pointwise' scores each document by P("yes") at the
   * end of its own prompt; 'listwise' ranks windows of numbered passages from one forward pass each (FIRST), and
   * its scores are identifier logits, not calibrated. Cross-encoders ignore it.
   * @defaultValue 'pointwise'
   * @example mode: 'listwise'
   */
  mode?: DecoderMode;
  /**
   * Decoder rerankers, pointwise: the task line of the prompt (`<Instruct>: …`).
   * @defaultValue 'Given a web search query, retrieve relevant passages that answer the query'
   * @example instruction: 'Given a question, retrieve passages from the manual that answer it'
   */
  instruction?: string;
  /**
   * Decoder rerankers, pointwise: run the part of the prompt before the document (system, instruction, query) once
   * per call and reuse its key/value cache for every document. Off only to measure what it saves.
   * @defaultValue true
   * @example sharedPrefix: false
   */
  sharedPrefix?: boolean;
  /**
   * Decoder rerankers: rewrite the ONNX graph at load so that its LM head computes only the logits the mode reads
   * (yes/no, or the window's letters) instead of the whole vocabulary. Off only to measure what it saves; a head
   * that is not recognised runs in full either way (`info.lmHead` says which).
   * @defaultValue true
   * @example pruneLmHead: false
   */
  pruneLmHead?: boolean;
  /**
   * Decoder rerankers, listwise: passages per window (at most 26, lettered A-Z), windows moved up by `stride`
   * from the bottom of the list, and tokens kept of each passage.
   * @defaultValue { window: 20, stride: 10, passageTokens: 128 }
   * @example listwise: { window: 10, stride: 5 }
   */
  listwise?: { window?: number; stride?: number; passageTokens?: number };
  /**
   * Decoder rerankers, pointwise: the prompt template, the tokens read and the score function (docs/decoder-rerankers.md).
   * A preset name, or your own recipe object. 'auto': mxbai-rerank-v2's for mxbai-rerank-base/large-v2 ids,
   * Qwen3-Reranker's otherwise.
   * @defaultValue 'auto'
   * @example recipe: 'yes-no'  // a ChatML instruct model asked "Answer only yes or no"
   */
  recipe?: RecipeName | DecoderRecipeOptions | 'auto';
  /**
   * Decoder rerankers on WebGPU: keep the shared prefix's key/value cache in GPU buffers between the prefix run and
   * the document runs. Off copies it to the worker and back for every batch (the older path); only to measure.
   * @defaultValue true
   * @example gpuPrefixCache: false
   */
  gpuPrefixCache?: boolean;
  /**
   * Decoder rerankers with device 'auto': load even when the model is of real size and WASM is all there is, which
   * would otherwise fail with MODEL_TOO_SLOW (docs/decoder-rerankers.md, "Too slow for this device").
   * @defaultValue false
   * @example allowSlowDevice: true  // a background job that may take minutes
   */
  allowSlowDevice?: boolean;
  /**
   * Where MODEL_TOO_SLOW starts: a model file of at least `modelMB` megabytes whose measured cost on WASM is above
   * `msPer1kTokens` milliseconds per 1,000 tokens.
   * @defaultValue { modelMB: 100, msPer1kTokens: 2000 }
   * @example slowDeviceLimits: { msPer1kTokens: 5000 }  // accept slower CPUs
   */
  slowDeviceLimits?: { modelMB?: number; msPer1kTokens?: number };
}

export type DecoderMode = 'pointwise' | 'listwise';

/** The decoder options, resolved. */
export interface DecoderOptions {
  mode: DecoderMode;
  instruction: string | null;
  sharedPrefix: boolean;
  pruneLmHead: boolean;
  window: number;
  stride: number;
  passageTokens: number;
  recipe: RecipeName | DecoderRecipe | 'auto';
  gpuPrefixCache: boolean;
  allowSlowDevice: boolean;
  slowDeviceLimits: SlowDeviceLimits;
}

/** How WebGPU runs are padded: to their longest pair, or to fixed bucket lengths (src/core/buckets.ts). */
export type WebgpuShapes = 'exact' | 'buckets';

export const DEFAULT_MODEL = 'Xenova/ms-marco-MiniLM-L-6-v2';

/** What the worker needs: every option resolved, callbacks and the signal left on the page. */
export interface WorkerLoadOptions {
  model: string;
  hubUrl: string;
  revision: string;
  device: Device;
  dtype: Dtype | 'auto';
  maxLength: number | null;
  batchSize: number | null;
  numThreads: number | null;
  wasmSessions: number | 'auto';
  wasmPaths: string | null;
  cache: boolean;
  persistStorage: boolean;
  /** File path -> sha256 as lowercase hex. */
  integrity: Record<string, string>;
  verifyGpu: boolean;
  webgpuShapes: WebgpuShapes;
  decoder: DecoderOptions;
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new RerankError('INVALID_OPTION', `${name} must be a positive integer, got ${String(v)}`);
  }
  return v;
}

export function resolveOptions(o: RerankerOptions = {}): WorkerLoadOptions {
  if (o === null || typeof o !== 'object') throw new RerankError('INVALID_OPTION', 'options must be an object');
  const device = o.device ?? 'auto';
  if (!(DEVICES as readonly string[]).includes(device)) {
    throw new RerankError('INVALID_OPTION', `unknown device '${String(device)}'; expected one of ${DEVICES.join(', ')}`);
  }
  const dtype = o.dtype ?? 'auto';
  if (!(DTYPES as readonly string[]).includes(dtype)) {
    throw new RerankError('INVALID_OPTION', `unknown dtype '${String(dtype)}'; expected one of ${DTYPES.join(', ')}`);
  }
  const model = o.model ?? DEFAULT_MODEL;
  if (typeof model !== 'string' || model.trim() === '') throw new RerankError('INVALID_OPTION', 'model must be a non-empty string');
  return {
    model: model.trim(),
    hubUrl: (o.hubUrl ?? 'https://huggingface.co').replace(/\/+$/, ''),
    revision: o.revision ?? 'main',
    device,
    dtype,
    maxLength: o.maxLength === undefined ? null : positiveInt('maxLength', o.maxLength),
    batchSize: o.batchSize === undefined ? null : positiveInt('batchSize', o.batchSize),
    numThreads: o.numThreads === undefined ? null : positiveInt('numThreads', o.numThreads),
    wasmSessions: o.wasmSessions === undefined || o.wasmSessions === 'auto' ? 'auto' : positiveInt('wasmSessions', o.wasmSessions),
    wasmPaths: o.wasmPaths ?? null,
    cache: o.cache ?? true,
    persistStorage: o.persistStorage ?? false,
    integrity: resolveIntegrity(o.integrity),
    verifyGpu: o.verifyGpu ?? true,
    webgpuShapes: resolveShapes(o.webgpuShapes),
    decoder: resolveDecoder(o),
  };
}

function resolveShapes(v: unknown): WebgpuShapes {
  if (v === undefined) return 'exact';
  if (v !== 'exact' && v !== 'buckets') throw new RerankError('INVALID_OPTION', `webgpuShapes must be 'exact' or 'buckets', got ${String(v)}`);
  return v;
}

function resolveDecoder(o: RerankerOptions): DecoderOptions {
  const mode = o.mode ?? 'pointwise';
  if (mode !== 'pointwise' && mode !== 'listwise') throw new RerankError('INVALID_OPTION', `mode must be 'pointwise' or 'listwise', got ${String(mode)}`);
  if (o.instruction !== undefined && typeof o.instruction !== 'string') throw new RerankError('INVALID_OPTION', 'instruction must be a string');
  if (o.pruneLmHead !== undefined && typeof o.pruneLmHead !== 'boolean') throw new RerankError('INVALID_OPTION', 'pruneLmHead must be a boolean');
  const l = o.listwise ?? {};
  const window = l.window === undefined ? 20 : positiveInt('listwise.window', l.window);
  const stride = l.stride === undefined ? Math.max(1, Math.floor(window / 2)) : positiveInt('listwise.stride', l.stride);
  if (window < 2 || window > 26) throw new RerankError('INVALID_OPTION', `listwise.window must be 2 to 26 (lettered passages), got ${window}`);
  if (stride >= window) throw new RerankError('INVALID_OPTION', `listwise.stride must be smaller than listwise.window (${window}), got ${stride}`);
  return {
    mode, instruction: o.instruction ?? null, sharedPrefix: o.sharedPrefix ?? true, pruneLmHead: o.pruneLmHead ?? true, window, stride,
    passageTokens: l.passageTokens === undefined ? 128 : positiveInt('listwise.passageTokens', l.passageTokens),
    recipe: resolveRecipe(o.recipe),
    gpuPrefixCache: o.gpuPrefixCache ?? true,
    allowSlowDevice: o.allowSlowDevice ?? false,
    slowDeviceLimits: resolveSlowLimits(o.slowDeviceLimits),
  };
}
