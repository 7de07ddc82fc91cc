// Options of one rerank()/score() call, with their documented defaults, resolved once per call on the page.
// (createReranker's options are RerankerOptions, in options.ts.)
import { RerankError } from './errors.ts';
import type { BatchEvent, PassageOptions } from './protocol.ts';

/** Options of one `reranker.rerank()` or `reranker.score()` call (docs/api.md). */
export interface RerankCallOptions<T> {
  /**
   * Keep only the best topK results (a positive integer).
   * @defaultValue all
   * @example topK: 10
   */
  topK?: number;
  /**
   * Cancels the call: it rejects with ABORTED at once, and the worker stops before its next batch.
   * @defaultValue none
   * @example signal: controller.signal  // abort() when the user types on
   */
  signal?: AbortSignal;
  /**
   * Text of a document that is not a string.
   * @defaultValue the document itself if it is a string, else its `text` field
   * @example getText: (hit) => `${hit.title} ${hit.body}`
   */
  getText?: (doc: T) => string;
  /**
   * Documents longer than the model's window: 'truncate' scores the first window only (fastest); 'max-passage'
   * scores overlapping windows, the query in each, and keeps the best window's score.
   * @defaultValue 'truncate'
   * @example longDocuments: 'max-passage'
   */
  longDocuments?: 'truncate' | 'max-passage';
  /**
   * With 'max-passage': tokens shared by consecutive windows.
   * @defaultValue 64
   * @example passageOverlap: 128
   */
  passageOverlap?: number;
  /**
   * With 'max-passage': windows per document at most (bounds the work); a longer document is marked truncated.
   * @defaultValue 16
   * @example maxPassages: 4
   */
  maxPassages?: number;
  /**
   * Hears each finished batch (input indices and scores) while the rest still runs.
   * @defaultValue none
   * @example onBatch: (b) => progress.value = b.done / b.total
   */
  onBatch?: (e: BatchEvent) => void;
}

/** @deprecated Use `RerankCallOptions`; this name goes in the next release. */
export type RerankOptions<T> = RerankCallOptions<T>;
/** @deprecated Use `RerankCallOptions`; this name goes in the next release. */
export type CallOptions<T> = RerankCallOptions<T>;

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

/**
 * The query of a rerank()/score() call, and of every adapter: a string with some non-space character. An empty or
 * blank query gives a cross-encoder nothing to compare, so its order would be arbitrary: an error says so instead.
 */
export function checkQuery(query: unknown): asserts query is string {
  if (typeof query !== 'string') throw new RerankError('INVALID_ARGUMENT', `query must be a string, got ${query === null ? 'null' : typeof query}`);
  if (query.trim() === '') {
    throw new RerankError('INVALID_ARGUMENT', `query is ${query === '' ? 'empty' : 'only whitespace'}: a reranker needs words to compare the documents with, so there is no order to give`);
  }
}
