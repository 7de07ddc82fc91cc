// The worker entry: one engine (cross-encoder or decoder), exposed through Comlink. Calls run one at a time, in arrival order.
import * as Comlink from 'comlink';
import { RerankError } from '../src/errors.ts';
import type { WorkerLoadOptions } from '../src/options.ts';
import { installErrorTransfer, type BatchEvent, type PassageOptions, type ProgressEvent, type RerankerInfo, type ScoreReply } from '../src/protocol.ts';
import { loadEngine, type RerankEngine } from './backend/engines.ts';
import { isLaneWorker, serveLane } from './backend/lanes.ts';

installErrorTransfer();

let engine: RerankEngine | null = null;
let loading: Promise<RerankerInfo> | null = null;
let queue: Promise<unknown> = Promise.resolve();
const pending = new Set<number>();
const cancelled = new Set<number>();

function fireAndForget<T>(fn: ((e: T) => unknown) | undefined, e: T): void {
  // A page that went away must not turn a progress report into an unhandled rejection here.
  if (fn) Promise.resolve(fn(e)).catch(() => {});
}

/** Closes the MessagePort behind a callback the page passed with Comlink.proxy. */
function release(fn: unknown): void {
  (fn as Partial<Comlink.Remote<object>> | undefined)?.[Comlink.releaseProxy]?.();
}

const api = {
  /** Loads the model once; later calls get the same info. */
  load(options: WorkerLoadOptions, onProgress?: (e: ProgressEvent) => void): Promise<RerankerInfo> {
    loading ??= loadEngine(options, (e) => fireAndForget(onProgress, e))
      .then((e) => {
        engine = e;
        return e.info;
      })
      .finally(() => release(onProgress));
    return loading;
  },

  /** Scores `texts` against `query` in input order; `onBatch` hears each finished batch. */
  score(callId: number, query: string, texts: string[], passages: PassageOptions, onBatch?: (e: BatchEvent) => void): Promise<ScoreReply> {
    pending.add(callId);
    const run = queue.then(async () => {
      if (!engine) throw new RerankError('INVALID_ARGUMENT', 'score() before load()');
      if (cancelled.has(callId)) throw new RerankError('ABORTED', 'the call was aborted before it started');
      const reply = await engine.score(query, texts, passages, {
        cancelled: () => cancelled.has(callId),
        onBatch: onBatch && ((e) => fireAndForget(onBatch, e)),
      });
      return Comlink.transfer(reply, [reply.scores.buffer]);
    });
    queue = run.catch(() => {}).finally(() => {
      release(onBatch);
      pending.delete(callId);
      cancelled.delete(callId);
    });
    return run;
  },

  /**
   * Holds the named Web Lock until this worker ends (terminated, crashed, out of memory): the page asks for the
   * same lock and is granted it exactly then. Resolves once the lock is held.
   */
  hold(name: string): Promise<void> {
    return new Promise((held) => {
      void navigator.locks.request(name, () => {
        held();
        return new Promise<never>(() => {});
      });
    });
  },

  /** Marks a call cancelled: it stops before its next batch (or before it starts). */
  cancel(callId: number): void {
    if (pending.has(callId)) cancelled.add(callId);
  },

  async dispose(): Promise<void> {
    await queue;
    await engine?.dispose();
    engine = null;
  },
};

export type RerankerWorkerApi = typeof api;

// ORT's WASM threads start as workers named 'em-pthread' from the URL of the module that holds ORT. Should a bundler
// inline ORT into this file, those threads run it too: they must not answer Comlink messages. Lanes (extra WASM
// sessions, workers/backend/lanes.ts) are this script under another name and speak their own small protocol.
if (isLaneWorker()) serveLane();
else if (!self.name.startsWith('em-pthread')) Comlink.expose(api);
