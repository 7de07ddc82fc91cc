// Types both realms use, and the one piece of wire behaviour they must agree on: errors keep their code.
import * as Comlink from 'comlink';
import { deserializeError, RerankError, serializeError, type SerializedRerankError } from './errors.ts';
import type { Device, Dtype } from './core/vocabulary.ts';

export type ProgressEvent =
  | { status: 'download'; file: string; loaded: number; total: number | null; fromCache: false }
  | { status: 'cached'; file: string; loaded: number; total: number; fromCache: true }
  | { status: 'done'; file: string; loaded: number; total: number; fromCache: boolean }
  /** The connection dropped: the download goes on from byte `from`; 0 means the file starts again (loaded restarts). */
  | { status: 'retry'; file: string; from: number; reason: string }
  /** The file loaded but is not kept for the next visit (quota, a refused write, the cache option off). */
  | { status: 'not-cached'; file: string; reason: string }
  | { status: 'session'; device: Exclude<Device, 'auto'> }
  | { status: 'ready' };

/** The byte-progress events about one file (download, cache hit, done); retry and not-cached carry a reason instead. */
export type FileProgressEvent = Extract<ProgressEvent, { loaded: number }>;

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  shaderF16: boolean;
}

export interface RerankerInfo {
  model: string;
  /** 'cross-encoder' (a sequence-classification head) or 'decoder' (a causal LM scored from its next-token logits). */
  family: 'cross-encoder' | 'decoder';
  /** How scores are made: a cross-encoder's head, or a decoder's pointwise yes/no or listwise identifiers. */
  mode: 'cross-encoder' | 'pointwise' | 'listwise';
  /** Decoder pointwise: the prompt part before the document ran once per call and its cache was reused. */
  sharedPrefix: boolean | null;
  /**
   * Decoder rerankers: whether the LM head was rewritten to compute only the token logits the mode reads, how many
   * logit columns each position returns, and why the full head runs when it does; null for cross-encoders.
   */
  lmHead: { pruned: boolean; tokens: number; reason: string | null } | null;
  /** Device the session actually runs on. */
  device: Exclude<Device, 'auto'>;
  dtype: Dtype;
  /** The ONNX file that was loaded, relative to the model folder. */
  modelFile: string;
  /** Why the requested device or dtype was not used; null when nothing fell back. */
  fallbackReason: string | null;
  adapter: AdapterInfo | null;
  /** WebGPU's scores on fixed pairs against WASM's, before WebGPU was trusted; null when not checked. */
  gpuCheck: { maxDiff: number; ms: number; passed: boolean } | null;
  /** WASM threads in all (1 when the page is not cross-origin isolated). */
  numThreads: number;
  /** WASM sessions running documents side by side, each in a worker of its own (1 on WebGPU). */
  wasmSessions: number;
  crossOriginIsolated: boolean;
  maxLength: number;
  /** Documents per ONNX Runtime run; 1 for dynamic int8, whose scores would otherwise depend on batch-mates. */
  batchSize: number;
  numLabels: number;
  /** Every file came from the Cache API: no request was made. */
  fromCache: boolean;
  /** Whether the model is kept for the next visit. */
  storage: StorageInfo;
  loadMs: number;
  ortVersion: string;
  /** Decoder pointwise: the recipe that builds prompts and scores (src/core/decoder-recipes.ts); null otherwise. */
  recipe: string | null;
  /** Decoders: milliseconds per 1,000 tokens on this device, from the timed warm-up run at load (an upper bound); null for cross-encoders. */
  msPer1kTokens: number | null;
}

export interface StorageInfo {
  /** Every file of the model is in the cache now (loaded from it, or written after this load). */
  kept: boolean;
  /** Why not, naming the first file that was not kept (quota, a refused write, the cache option off); null when kept. */
  reason: string | null;
  /** navigator.storage.persisted(): the browser will not evict this origin's storage under pressure; null: unknown. */
  persisted: boolean | null;
}

export interface ScoreTimings {
  tokenizeMs: number;
  /** Time inside ONNX Runtime's runs, summed over the WASM sessions that ran side by side. */
  inferenceMs: number;
  /** Runs of the model (batches). */
  runs: number;
  /** Tokens fed to the model including padding, and without it. */
  paddedTokens: number;
  realTokens: number;
  /** Decoder pointwise with a shared prefix: bytes of the prefix's key/value cache read back into the worker (0 when it stayed on the GPU). */
  prefixCacheBytesToCpu?: number;
  /** Decoders: bytes of the largest logits tensor one run of the call returned (small when the LM head is pruned). */
  maxRunLogitsBytes?: number;
}

export interface ScoreReply {
  /** Calibrated 0..1 scores in input order (listwise: identifier logits, not calibrated). */
  scores: Float32Array;
  /** Listwise only: each input's final rank (0 = best), which orders the results; null otherwise. */
  ranks: Int32Array | null;
  /** Input indices whose document was cut to fit maxLength. */
  truncated: number[];
  timings: ScoreTimings;
  /** The worker's info after the call (the device changes if the GPU was lost). */
  info: RerankerInfo;
}

/** How a call treats documents longer than the window. */
export interface PassageOptions {
  /** 'truncate': the first window only (fast). 'max-passage': overlapping windows, the best one's score. */
  longDocuments: 'truncate' | 'max-passage';
  /** Tokens shared by consecutive windows. */
  passageOverlap: number;
  /** Windows per document at most; a document longer than that many is marked truncated. */
  maxPassages: number;
}

/** A finished batch, streamed while the rest still runs: input indices and their scores. */
export interface BatchEvent {
  indices: number[];
  scores: number[];
  done: number;
  total: number;
}

// Comlink sends thrown values through its 'throw' handler, which keeps only name/message/stack. Replace it (in both
// realms: the worker serialises, the page revives) so that a RerankError arrives as a RerankError with its code.
let installed = false;
export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const base = Comlink.transferHandlers.get('throw');
  if (!base) throw new Error("comlink has no 'throw' transfer handler");
  Comlink.transferHandlers.set('throw', {
    canHandle: base.canHandle,
    serialize: (thrown) => [serializeError((thrown as { value: unknown }).value), []],
    deserialize: (s) => {
      throw deserializeError(s as SerializedRerankError);
    },
  });
}

export { RerankError };
