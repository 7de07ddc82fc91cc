// Types the bench page and the Node runner agree on (no code: both realms import this file).

/**
 * The compared: rerank-web, transformers.js as its example writes it (one padded call per query), transformers.js as a
 * careful user writes it (pairs sorted by token length, calls of 8), onnxruntime-node; plus variants of rerank-web
 * through its public options (experiments for proposed changes).
 */
export type Impl = 'rerank-web' | 'transformers.js' | 'transformers.js-chunked' | 'onnxruntime-node' | 'rerank-web-1s' | 'rerank-web-2s' | 'rerank-web-b16';
/** The transformers.js paths: the naive one and the sorted+chunked one. */
export type TjsImpl = 'transformers.js' | 'transformers.js-chunked';
export type BenchDtype = 'fp32' | 'q8' | 'q4';

export interface LoadSpec {
  impl: 'rerank-web' | TjsImpl;
  /** rerank-web only: its wasmSessions option (WASM sessions side by side). */
  wasmSessions?: number;
  /** rerank-web only: its batchSize option (documents per run for weight-only dtypes). */
  batchSize?: number;
  /** Hub id served by the local hub ('rerank-web-test/ms-marco-MiniLM-L-6-v2'). */
  model: string;
  hubUrl: string;
  dtype: BenchDtype;
  device: 'wasm' | 'webgpu';
  threads: number;
  maxLength: number;
}

export interface LoadResult {
  loadMs: number;
  /** Threads ORT reports it uses, and whether the page could give it threads at all. */
  threads: number;
  crossOriginIsolated: boolean;
  /** Everything came from the Cache API (rerank-web says so; transformers.js does not, so null there). */
  fromCache: boolean | null;
  device: string;
  ortVersion: string;
  detail: string;
}

export interface QueryResult {
  /** Scores in input order. */
  scores: number[];
  latencyMs: number;
  /** From the call until the first scored batch was in the caller's hands (the whole call when nothing streams). */
  firstBatchMs: number;
  tokenizeMs: number;
  /** Time inside ONNX Runtime's run() calls (the rest is tokenizing, packing, messaging). */
  inferenceMs: number;
  paddedTokens: number;
  realTokens: number;
  runs: number;
  /** Token count of each pair as fed to the model (native reference only: the FLOP count uses them). */
  pairLengths?: number[];
}

export interface BenchApi {
  load(spec: LoadSpec): Promise<LoadResult>;
  query(query: string, docs: string[]): Promise<QueryResult>;
  dispose(): Promise<void>;
}

declare global {
  interface Window {
    bench: BenchApi;
    benchReady: boolean;
  }
}
