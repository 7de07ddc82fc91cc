// Which ONNX file to load where, and where files live. Pure rules, unit-tested; the worker does the I/O.
import { DTYPE_SUFFIX, type Dtype, type RunDevice } from './vocabulary.ts';

export type { RunDevice };

/** The Cache API cache that holds model files; the page lists and clears it, the worker fills it. */
export const MODEL_CACHE_NAME = 'rerank-web-models-v1';
/** The Origin Private File System folder that holds model files (the store the worker prefers, docs/models.md). */
export const MODEL_DIR_NAME = 'rerank-web-models-v1';

/** What is stored beside each file in that folder (`<key>.json` next to `<key>.bin`). */
export interface StoredEntryMeta {
  url: string;
  model: string;
  file: string;
  size: number;
  sha256: string | null;
  contentType: string;
}

/** Headers stored with each cached file, so that the cache can be listed by model without parsing URLs. */
export const CACHE_HEADERS = { model: 'x-rerank-web-model', file: 'x-rerank-web-file', size: 'content-length', sha256: 'x-rerank-web-sha256' } as const;

/** Dynamic int8 quantises activations per tensor at run time, so padding in a batch changes every member's scale. */
export function isDynamicInt8(dtype: Dtype): boolean {
  return dtype === 'q8' || dtype === 'int8' || dtype === 'uint8';
}

export function needsShaderF16(dtype: Dtype): boolean {
  return dtype === 'fp16' || dtype === 'q4f16';
}

export interface DtypeChoice {
  /** Files to try in order: the first that exists is loaded (only 'auto' lists more than one). */
  candidates: Dtype[];
  /** Set when the request cannot run on this device as asked. */
  error?: string;
}

/**
 * 'auto' never picks dynamic int8 on WebGPU (it has no WebGPU kernels: those nodes would run on the CPU with copies
 * each way) and never fp16 without shader-f16 (the native build refuses it; the older JS one returned garbage).
 */
export function chooseDtype(device: RunDevice, requested: Dtype | 'auto', shaderF16: boolean): DtypeChoice {
  if (requested === 'auto') {
    if (device === 'wasm') return { candidates: ['q8', 'fp32'] };
    return { candidates: shaderF16 ? ['fp16', 'fp32'] : ['fp32'] };
  }
  if (device === 'webgpu' && needsShaderF16(requested) && !shaderF16) {
    return { candidates: [], error: `dtype '${requested}' needs the WebGPU adapter's shader-f16 feature, which this adapter lacks` };
  }
  return { candidates: [requested] };
}

/** With device 'auto', a dtype that WebGPU cannot run well sends the model to WASM, and says why. */
export function autoDeviceReason(requested: Dtype | 'auto'): string | null {
  if (requested !== 'auto' && isDynamicInt8(requested)) {
    return `dtype '${requested}' is dynamic int8, which has no WebGPU kernels in ONNX Runtime`;
  }
  return null;
}

/** What the device choice reads of a WebGPU adapter (`adapter.info`). */
export interface AdapterFacts {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
}

/** CPU implementations of a GPU API that some browsers offer as an adapter (Chromium's SwiftShader, Mesa's, WARP). */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render/i;

/**
 * With device 'auto', a software adapter sends the model to WASM, and says why: it is a CPU emulating a GPU, and ran
 * 50 documents in 12.1 s against 0.75 s on WASM q8 (issue 24). The browser's own flag decides first; the names catch
 * browsers that do not set it. device 'webgpu' still takes such an adapter (the tests use it to check correctness).
 */
export function softwareAdapterReason(a: AdapterFacts): string | null {
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ') || a.description || 'unnamed';
  if (a.isFallbackAdapter) return `the only WebGPU adapter is a software (fallback) adapter (${name}), slower than WASM; device 'webgpu' would use it`;
  if (SOFTWARE_ADAPTER.test(`${a.architecture} ${a.description}`)) {
    return `the only WebGPU adapter is a software renderer (${name}), slower than WASM; device 'webgpu' would use it`;
  }
  return null;
}

export function onnxFileFor(dtype: Dtype): string {
  return `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
}

export interface ModelSource {
  model: string;
  hubUrl: string;
  revision: string;
}

/** True for a folder URL (http:, https:, blob:, or an absolute URL the page already resolved). */
export function isFolderUrl(model: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(model);
}

/** `<hub>/<id>/resolve/<revision>/<file>` for hub ids; `<folder>/<file>` for a folder URL. */
export function modelFileUrl(src: ModelSource, file: string): string {
  if (isFolderUrl(src.model)) return src.model.replace(/\/+$/, '') + '/' + file;
  return `${src.hubUrl}/${src.model}/resolve/${encodeURIComponent(src.revision)}/${file}`;
}

/**
 * Documents per run. Dynamic int8: 1, since its activation scale is taken over the whole run and a document's score
 * would depend on its batch-mates. WASM: 4 by default; measured on MiniLM-L6 fp32 over SciFact top-50 lists (raw ORT,
 * bench/run/ab-plans.ts): length-sorted runs of 4 gave 4.7-4.8 docs/s, of 8 4.4-4.6, of 16 4.0-4.2, one padded run
 * 3.2; small runs also keep activations (and so memory) small. WebGPU: 16, larger dispatches suit a GPU.
 */
export function runBatchSize(device: RunDevice, dtype: Dtype, requested: number | null): number {
  if (isDynamicInt8(dtype)) return 1;
  return requested ?? (device === 'webgpu' ? 16 : 4);
}

export interface WasmSessionPlan {
  /** ORT sessions running documents side by side, each in a worker of its own (1: the reranker's worker alone). */
  sessions: number;
  /** ORT threads inside each session. */
  threadsEach: number;
}

/**
 * How WASM spends `numThreads`. Dynamic int8 runs one document per run; such small runs scale badly over ORT's
 * intra-op threads, and one-thread sessions side by side do not wait on each other (measured: `npm run bench`,
 * README). Batched dtypes keep one session: their large runs use the threads well, and each session costs a copy
 * of the weights. At most 4 automatic sessions, so that the copies stay bounded on many-core machines.
 */
export function planWasmSessions(requested: number | 'auto', dtype: Dtype, numThreads: number): WasmSessionPlan {
  const sessions = requested === 'auto' ? (isDynamicInt8(dtype) ? Math.max(1, Math.min(numThreads, 4)) : 1) : requested;
  return { sessions, threadsEach: Math.max(1, Math.floor(numThreads / sessions)) };
}

/** The window of the classic encoders (BERT, XLM-R: 512 tokens; XLM-R's config says 514, counting its offset). */
export const STANDARD_WINDOW = 512;
/** From this many tokens up, a model's window is a long one (JinaBERT and ModernBERT: 8,192). */
export const LONG_WINDOW_MIN = 1024;
/**
 * Default maxLength for long-window models: where one document costs as much as the other 49 of a top-50 at 256
 * tokens each. Measured on the JinaBERT jina-reranker-v1-tiny-en shape (`npx tsx bench/experiments/long-window-cost.ts`,
 * onnxruntime-node fp32, 1 thread): t(L) = 0.2185 L + 1.394e-4 L^2 ms, 49 x t(256) = 3.2 s, reached at L = 4,062;
 * rounded to 4,096 (docs/encoder-families.md).
 */
export const LONG_WINDOW_DEFAULT = 4096;

/**
 * Default maxLength from what config.json and tokenizer_config.json say of the window (max_position_embeddings,
 * model_max_length; the smaller wins): up to 512 for classic windows, min(window, LONG_WINDOW_DEFAULT) for long ones.
 * 'max-passage' cuts passages of this length, so it uses the long window too.
 */
export function defaultMaxLength(windowCandidates: readonly unknown[]): number {
  const known = windowCandidates.filter((v): v is number => typeof v === 'number' && v > 0 && v < 1e6);
  const window = known.length > 0 ? Math.min(...known) : STANDARD_WINDOW;
  return window >= LONG_WINDOW_MIN ? Math.min(window, LONG_WINDOW_DEFAULT) : Math.min(STANDARD_WINDOW, window);
}

/**
 * Default maxLength for decoder rerankers, below the long-window default: the hub's decoder exports return logits for
 * every position ([batch, length, vocabulary]), and at Qwen3's 151,669-token vocabulary 1,024 positions are 621 MB of
 * float32; 4,096 would be 2.5 GB for one prompt, past what a WASM heap holds beside the model.
 */
export const DECODER_DEFAULT_MAX_LENGTH = 1024;

/**
 * 'auto' for decoder rerankers (causal LMs): 4-bit weights on WebGPU (q4f16 where shader-f16 allows, the hub ports'
 * smallest GPU file), dynamic int8 on WASM (its kernels are the fastest CPU path); fp32 when neither file exists.
 * An explicit dtype follows chooseDtype's rules.
 */
export function chooseDecoderDtype(device: RunDevice, requested: Dtype | 'auto', shaderF16: boolean): DtypeChoice {
  if (requested !== 'auto') return chooseDtype(device, requested, shaderF16);
  if (device === 'wasm') return { candidates: ['q8', 'q4', 'fp32'] };
  return { candidates: shaderF16 ? ['q4f16', 'q4', 'fp32'] : ['q4', 'fp32'] };
}

/**
 * Default maxLength for a decoder whose LM head is pruned (its logits no longer grow with the vocabulary). What grows
 * then is attention: ONNX Runtime's CPU GroupQueryAttention holds a heads x length x length float32 score matrix per
 * run (16 x 2,150^2 x 4 bytes = 296 MB at Qwen3-0.6B's 16 heads), four times that at twice the length. Measured at
 * Qwen3-Reranker-0.6B's shape, q8, WASM (`npm run bench:decoder:size -- --rounds 0`, docs/decoder-rerankers.md): one
 * 2,048-token document added about half the model file's size over the loaded model and took minutes on 2 cores; at
 * 4,096 the score matrix alone would be about 1.1 GB, more than the model. So 2,048: the longest prompt measured to stay
 * under half the model's size; pass `maxLength` for more (Qwen3's window is 40,960).
 */
export const DECODER_PRUNED_MAX_LENGTH = 2048;

export type ModelFamily = 'cross-encoder' | 'decoder';

/**
 * maxLength for a load: the option when given, else the window config.json and tokenizer_config.json state (see
 * defaultMaxLength), which decoders cap at DECODER_DEFAULT_MAX_LENGTH (full LM head) or DECODER_PRUNED_MAX_LENGTH (pruned).
 * The one place either family takes it from.
 */
export function resolveMaxLength(family: ModelFamily, requested: number | null, config: Record<string, unknown>, tokenizerConfig: Record<string, unknown>, prunedHead = false): number {
  if (requested !== null) return requested;
  const window = defaultMaxLength([tokenizerConfig.model_max_length, config.max_position_embeddings]);
  // A decoder whose LM head computes every token's logits is capped by those logits (they grow with the vocabulary); a
  // pruned head returns a few columns per position, and the cap is attention's memory (DECODER_PRUNED_MAX_LENGTH).
  if (family !== 'decoder') return window;
  return Math.min(prunedHead ? DECODER_PRUNED_MAX_LENGTH : DECODER_DEFAULT_MAX_LENGTH, window);
}
