// What scripts/bench-size.ts asks of the size page, and what one visit reports.
export interface SizeVisitSpec {
  model: string;
  hubUrl: string;
  dtype: string;
  /** Clear the model cache first (a first visit) or not (a second visit, from the cache). */
  clearCache: boolean;
}

export interface SizeVisitResult {
  /** Bytes of the ONNX file(s): the 'done' progress events of onnx/ files. */
  onnxBytes: number;
  /** First byte of the ONNX file's download to its 'done' event (0 from the cache). */
  downloadMs: number;
  /** createReranker() called to resolved: files, session, warm-up. */
  loadMs: number;
  /** The first score() call on a loaded reranker (2 documents). */
  firstScoreMs: number;
  /** createReranker() called to the first scores back. */
  timeToFirstScoreMs: number;
  fromCache: boolean;
  device: string;
  numThreads: number;
  wasmSessions: number;
  dtype: string;
  /** Decoders: the LM head as loaded (pruned to the read tokens at load, or why not); null for cross-encoders. */
  lmHead: { pruned: boolean; tokens: number; reason: string | null } | null;
}
