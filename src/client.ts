// The page side: spawns the worker, keeps it alive (or replaces it when it dies), and turns the wire API into
// createReranker / rerank / score. Never imports onnxruntime.
import * as Comlink from 'comlink';
import { RerankError } from './errors.ts';
import { isFolderUrl } from './core/model-policy.ts';
import { orderByRank, rankIndices } from './core/scoring.ts';
import { checkQuery, resolvePassages, resolveTopK, type RerankCallOptions } from './call-options.ts';
import { resolveOptions, type RerankerOptions, type WorkerLoadOptions } from './options.ts';
import { installErrorTransfer, type RerankerInfo, type ScoreReply, type ScoreTimings } from './protocol.ts';
import { kill, spawn, whenReady, type Handle } from './worker-handle.ts';

export interface RankedResult<T> {
  /** Position of the document in the input array. */
  index: number;
  /** Calibrated relevance in 0..1; with a listwise decoder, the identifier logit of its last window (not calibrated). */
  score: number;
  document: T;
  /** The document was cut to fit the model's window. */
  truncated: boolean;
  /** Listwise decoders only: the document's final rank over the whole input (0 = best), whatever topK kept. */
  rank?: number;
}

// Kept for code that imported it from here; the call's options live in call-options.ts.
export type { CallOptions } from './call-options.ts';

export interface Reranker {
  /** Device, dtype, model file, adapter, threads, and why anything fell back. Updated when the worker is replaced. */
  readonly info: RerankerInfo;
  /** Timings of the last finished call. */
  readonly lastTimings: ScoreTimings | null;
  rerank<T>(query: string, documents: readonly T[], options?: RerankCallOptions<T>): Promise<RankedResult<T>[]>;
  /** Scores in input order. */
  score<T>(query: string, documents: readonly T[], options?: RerankCallOptions<T>): Promise<number[]>;
  dispose(): Promise<void>;
}

function abortError(): RerankError {
  return new RerankError('ABORTED', 'the call was aborted');
}

function whenAborted(signal: AbortSignal | undefined): Promise<never> | null {
  if (!signal) return null;
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(abortError());
    signal.addEventListener('abort', () => reject(abortError()), { once: true });
  });
}

function textOf<T>(doc: T, i: number, getText?: (d: T) => string): string {
  const text = getText ? getText(doc) : typeof doc === 'string' ? doc : (doc as { text?: unknown } | null)?.text;
  if (typeof text !== 'string') {
    throw new RerankError('INVALID_ARGUMENT', `document ${i} has no text: pass strings, objects with a string 'text' field, or a getText option`);
  }
  return text;
}

class WorkerReranker implements Reranker {
  private handle: Handle;
  private nextCallId = 1;
  private disposed = false;
  private respawning: Promise<RerankerInfo> | null = null;
  info: RerankerInfo;
  lastTimings: ScoreTimings | null = null;

  constructor(
    private readonly load: WorkerLoadOptions,
    private readonly options: RerankerOptions,
    first: Handle,
    info: RerankerInfo,
  ) {
    this.handle = first;
    this.info = info;
  }

  async rerank<T>(query: string, documents: readonly T[], options: RerankCallOptions<T> = {}): Promise<RankedResult<T>[]> {
    const topK = resolveTopK(options.topK, Array.isArray(documents) ? documents.length : 0);
    const reply = await this.call(query, documents, options);
    const truncated = new Set(reply.truncated);
    // Listwise: the windows' order is the ranking (scores from different windows are not comparable).
    const order = reply.ranks ? orderByRank(reply.ranks).slice(0, topK) : rankIndices(reply.scores, topK);
    return order.map((index) => ({
      index, score: reply.scores[index]!, document: documents[index]!, truncated: truncated.has(index),
      ...(reply.ranks ? { rank: reply.ranks[index]! } : {}),
    }));
  }

  async score<T>(query: string, documents: readonly T[], options: RerankCallOptions<T> = {}): Promise<number[]> {
    return Array.from((await this.call(query, documents, options)).scores);
  }

  private async call<T>(query: string, documents: readonly T[], o: RerankCallOptions<T>): Promise<ScoreReply> {
    if (this.disposed) throw new RerankError('DISPOSED', 'this reranker was disposed');
    checkQuery(query);
    if (!Array.isArray(documents)) throw new RerankError('INVALID_ARGUMENT', 'documents must be an array');
    const texts = documents.map((d, i) => textOf(d, i, o.getText));
    const passages = resolvePassages(o);
    if (o.signal?.aborted) throw abortError();
    const empty: ScoreTimings = { tokenizeMs: 0, inferenceMs: 0, runs: 0, paddedTokens: 0, realTokens: 0 };
    if (texts.length === 0) return { scores: new Float32Array(0), ranks: null, truncated: [], timings: empty, info: this.info };

    const h = await this.live();
    const callId = this.nextCallId++;
    const onAbort = () => void h.api.cancel(callId).catch(() => {});
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const onBatch = o.onBatch ? Comlink.proxy(o.onBatch) : undefined;
    try {
      const work = h.api.score(callId, query, texts, passages, onBatch) as Promise<ScoreReply>;
      const racers: Promise<ScoreReply>[] = [work, h.dead];
      const aborted = whenAborted(o.signal);
      if (aborted) racers.push(aborted);
      const reply = await Promise.race(racers);
      this.lastTimings = reply.timings;
      this.info = reply.info; // the worker may have changed device (a lost GPU) since the load
      return reply;
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The current worker, or a fresh one (loaded again, once for all waiting callers) when the last one died. */
  private async live(): Promise<Handle> {
    if (!this.handle.alive) {
      this.handle = spawn(this.load, { ...this.options, signal: undefined });
      this.respawning = whenReady(this.handle, null);
    }
    if (this.respawning) {
      const pending = this.respawning;
      this.info = await pending.finally(() => {
        if (this.respawning === pending) this.respawning = null;
      });
    }
    return this.handle;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const h = this.handle;
    if (h.alive) await Promise.race([h.api.dispose(), h.dead, new Promise((r) => setTimeout(r, 2000))]).catch(() => {});
    kill(h);
  }
}

/** Loads a model in a Web Worker and resolves when it is ready to rerank. */
export async function createReranker(options: RerankerOptions = {}): Promise<Reranker> {
  installErrorTransfer();
  const load = resolveOptions(options);
  if (!isFolderUrl(load.model) && /^(\.{0,2}\/)/.test(load.model) && typeof location !== 'undefined') {
    // A path is relative to the page, not to the worker script: resolve it here.
    load.model = new URL(load.model, location.href).href;
  }
  if (options.signal?.aborted) throw abortError();
  // Only a page can ask (persist() is not exposed to workers); the worker reads the answer into info.storage.
  if (load.persistStorage) await navigator.storage?.persist?.().catch(() => false);
  const h = spawn(load, options);
  // An aborted load terminates the worker, which cuts the download: nothing half-written reaches the cache.
  const info = await whenReady(h, whenAborted(options.signal));
  return new WorkerReranker(load, options, h, info);
}
