// What scripts/bench-decoder-size.ts sends to the real-size decoder page (bench/web/decoder-size.ts) and gets back.

/** One contender: rerank-web through its public API with the given options, or transformers.js as a careful user runs it. */
export type DecoderSizeContender =
  | { impl: 'rerank-web'; name: string; sharedPrefix: boolean; pruneLmHead: boolean }
  | { impl: 'transformers.js'; name: string; batchSize: number };

export interface DecoderSizeLoadSpec {
  contender: DecoderSizeContender;
  model: string;
  hubUrl: string;
  dtype: string;
  threads: number;
  /** Tokens per prompt at most (the passages are cut before they are sent, so this only bounds the long-document stage). */
  maxLength: number;
}

export interface DecoderSizeLoad {
  loadMs: number;
  threads: number;
  crossOriginIsolated: boolean;
  /** Library, ORT version, file, LM head, batch size: what ran. */
  detail: string;
  modelFile: string;
  lmHead: { pruned: boolean; tokens: number; reason: string | null } | null;
}

export interface DecoderSizeQuery {
  /** P(yes) per document, in input order. */
  scores: number[];
  ms: number;
  /** Model runs, tokens run (padding included) and the largest logits tensor one run returned. */
  runs: number;
  paddedTokens: number;
  maxRunLogitsBytes: number;
}
