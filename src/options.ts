// Options of createReranker and rerank/score, their documented defaults, and validation. Merged once, here.
import { pinToHex } from './core/integrity.ts';
import { RerankError } from './errors.ts';
import type { PassageOptions, ProgressEvent } from './protocol.ts';

export const DEVICES = ['auto', 'webgpu', 'wasm'] as const;
export type Device = (typeof DEVICES)[number];

/** The hub's ONNX file suffixes (onnx/model{suffix}.onnx), as transformers.js names them. */
export const DTYPE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;
export type Dtype = keyof typeof DTYPE_SUFFIX;
export const DTYPES = ['auto', ...(Object.keys(DTYPE_SUFFIX) as Dtype[])] as const;

export interface RerankerOptions {
  /** Hub id ('Xenova/ms-marco-MiniLM-L-6-v2') or the URL of a folder laid out like a hub repo. */
  model?: string;
  /** Where hub ids are fetched from: `${hubUrl}/${model}/resolve/${revision}/${file}`. Default 'https://huggingface.co'. */
  hubUrl?: string;
  /** Hub revision (branch, tag or commit). Default 'main'. */
  revision?: string;
  /** 'auto' tries WebGPU and falls back to WASM (and says why in `info`). Default 'auto'. */
  device?: Device;
  /** Which ONNX file to run. 'auto': q8 on WASM, fp16 on WebGPU with shader-f16, else fp32. Default 'auto'. */
  dtype?: Dtype | 'auto';
  /** Tokens per pair, special tokens included; only the document side is truncated. Default: the model's (512). */
  maxLength?: number;
  /** Largest number of documents per ONNX Runtime run for weight-only dtypes. Default 16. */
  batchSize?: number;
  /** WASM threads. Default: navigator.hardwareConcurrency (at most 8) when cross-origin isolated, else 1. */
  numThreads?: number;
  /** Folder (URL) that serves ONNX Runtime's .wasm files. Default: resolved by your bundler next to ORT's module. */
  wasmPaths?: string;
  /** Keep model files in the Cache API so that the next load makes no request. Default true. */
  cache?: boolean;
  /**
   * sha256 pins per model file, checked before the file is used (also when it comes from the cache):
   * `{ 'onnx/model_quantized.onnx': 'sha256-<base64>' or '<64 hex digits>' }`. Default: none.
   */
  integrity?: Record<string, string>;
  /**
   * Before using WebGPU, score a few fixed pairs on WebGPU and on WASM and fall back to WASM if they disagree
   * (WebGPU's known failures are silent). Costs well under a second with small models. Default true.
   */
  verifyGpu?: boolean;
  /** Progress of file downloads and of the load. */
  onProgress?: (event: ProgressEvent) => void;
  /** Cancels the load. */
  signal?: AbortSignal;
  /** Makes the worker: for bundlers or CSPs that need it done differently. Default: the package's own worker. */
  createWorker?: () => Worker;
}

export const DEFAULT_MODEL = 'Xenova/ms-marco-MiniLM-L-6-v2';

/** What the worker needs: every option resolved, callbacks and the signal left on the page. */
export interface WorkerLoadOptions {
  model: string;
  hubUrl: string;
  revision: string;
  device: Device;
  dtype: Dtype | 'auto';
  maxLength: number | null;
  batchSize: number;
  numThreads: number | null;
  wasmPaths: string | null;
  cache: boolean;
  /** File path -> sha256 as lowercase hex. */
  integrity: Record<string, string>;
  verifyGpu: boolean;
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
    batchSize: o.batchSize === undefined ? 16 : positiveInt('batchSize', o.batchSize),
    numThreads: o.numThreads === undefined ? null : positiveInt('numThreads', o.numThreads),
    wasmPaths: o.wasmPaths ?? null,
    cache: o.cache ?? true,
    integrity: resolveIntegrity(o.integrity),
    verifyGpu: o.verifyGpu ?? true,
  };
}

function resolveIntegrity(pins: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, pin] of Object.entries(pins ?? {})) {
    const hex = typeof pin === 'string' ? pinToHex(pin) : null;
    if (!hex) throw new RerankError('INVALID_OPTION', `integrity['${file}'] must be a sha256 as 64 hex digits or 'sha256-<base64>'`);
    out[file.replace(/^\.?\//, '')] = hex;
  }
  return out;
}

export interface RerankOptions<T> {
  /** Keep only the best topK results. Default: all. */
  topK?: number;
  /** Cancels the call: it rejects with ABORTED and the worker stops between batches. */
  signal?: AbortSignal;
  /** Text of a document that is not a string. Default: its `text` field. */
  getText?: (doc: T) => string;
  /**
   * Documents longer than the model's window: 'truncate' scores the first window only (default, fastest);
   * 'max-passage' scores overlapping windows, the query in each, and keeps the best window's score.
   */
  longDocuments?: 'truncate' | 'max-passage';
  /** With 'max-passage': tokens shared by consecutive windows. Default 64. */
  passageOverlap?: number;
  /** With 'max-passage': windows per document at most (bounds the work). Default 16. */
  maxPassages?: number;
}

export function resolvePassages(o: { longDocuments?: unknown; passageOverlap?: unknown; maxPassages?: unknown }): PassageOptions {
  const mode = o.longDocuments ?? 'truncate';
  if (mode !== 'truncate' && mode !== 'max-passage') {
    throw new RerankError('INVALID_ARGUMENT', `longDocuments must be 'truncate' or 'max-passage', got ${String(mode)}`);
  }
  const overlap = o.passageOverlap ?? 64;
  if (typeof overlap !== 'number' || !Number.isInteger(overlap) || overlap < 0) {
    throw new RerankError('INVALID_ARGUMENT', `passageOverlap must be a non-negative integer, got ${String(overlap)}`);
  }
  const max = o.maxPassages ?? 16;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
    throw new RerankError('INVALID_ARGUMENT', `maxPassages must be a positive integer, got ${String(max)}`);
  }
  return { longDocuments: mode, passageOverlap: overlap, maxPassages: max };
}

export function resolveTopK(topK: unknown, n: number): number {
  if (topK === undefined) return n;
  if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1) {
    throw new RerankError('INVALID_ARGUMENT', `topK must be a positive integer, got ${String(topK)}`);
  }
  return Math.min(topK, n);
}
