// One worker's life as the page sees it: started, loading, alive, and dead. A worker that dies for any reason
// (terminated, crashed, out of memory, a script that fails to load) makes `dead` reject, so that nothing waits on it.
import * as Comlink from 'comlink';
import type { RerankerWorkerApi } from '../workers/reranker.worker.ts';
import { RerankError } from './errors.ts';
import type { RerankerOptions, WorkerLoadOptions } from './options.ts';
import type { RerankerInfo } from './protocol.ts';

export interface Handle {
  worker: Worker;
  api: Comlink.Remote<RerankerWorkerApi>;
  /** Rejects with WORKER_CRASHED when the worker dies; never resolves. */
  dead: Promise<never>;
  ready: Promise<RerankerInfo>;
  alive: boolean;
}

function defaultWorker(): Worker {
  // Written literally so that bundlers emit the worker chunk (a helper hiding the URL breaks Vite's detection).
  return new Worker(new URL('../workers/reranker.worker.ts', import.meta.url), { type: 'module', name: 'rerank-web' });
}

function lockName(): string {
  const id = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : String(Math.random()).slice(2);
  return `rerank-web-worker-${id}`;
}

export function spawn(load: WorkerLoadOptions, options: RerankerOptions): Handle {
  const worker = (options.createWorker ?? defaultWorker)();
  const api = Comlink.wrap<RerankerWorkerApi>(worker);
  const h = { worker, api, alive: true } as Handle;
  h.dead = new Promise<never>((_, reject) => {
    const die = (message: string) => {
      if (!h.alive) return;
      h.alive = false;
      worker.terminate();
      reject(new RerankError('WORKER_CRASHED', message));
    };
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      die(`the reranker worker failed: ${e.message || 'it could not be loaded (check the worker URL, the CSP and the server)'}`);
    });
    worker.addEventListener('messageerror', () => die('the reranker worker sent a message that could not be read'));
    // A terminated or crashed worker fires no event. It holds a Web Lock for its whole life, so our request for the
    // same lock is granted exactly when it is gone.
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (locks) {
      const name = lockName();
      api.hold(name).then(
        () => locks.request(name, () => die('the reranker worker stopped (terminated, crashed or out of memory)')),
        () => {},
      );
    }
  });
  h.dead.catch(() => {}); // observed by whoever races it; never an unhandled rejection on its own
  const onProgress = options.onProgress ? Comlink.proxy(options.onProgress) : undefined;
  h.ready = api.load(load, onProgress) as Promise<RerankerInfo>;
  h.ready.catch(() => {});
  return h;
}

export function kill(h: Handle): void {
  h.alive = false;
  h.api[Comlink.releaseProxy]();
  h.worker.terminate();
}

/** Resolves with the info once loaded; rejects (and leaves nothing running) if the load fails, aborts or the worker dies. */
export async function whenReady(h: Handle, aborted: Promise<never> | null): Promise<RerankerInfo> {
  try {
    return await Promise.race(aborted ? [h.ready, h.dead, aborted] : [h.ready, h.dead]);
  } catch (e) {
    kill(h);
    throw e;
  }
}
