// The page the browser tests drive: the public API only, exactly as an app would import it.
import * as rerankWeb from '../src/index.ts';
// The built URL of the library's own worker, for tests that start it in an altered environment.
import workerUrl from '../workers/reranker.worker.ts?worker&url';

/** The library's worker in a realm whose navigator has no WebGPU, as in a browser that never shipped it. */
function workerWithoutWebGpu(): Worker {
  const js = (code: string) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  const strip = js("Object.defineProperty(Object.getPrototypeOf(navigator), 'gpu', { get: undefined, configurable: true }); delete Object.getPrototypeOf(navigator).gpu;");
  // Two static imports evaluate in order: the strip first, then the worker.
  const entry = js(`import ${JSON.stringify(strip)}; import ${JSON.stringify(new URL(workerUrl, location.href).href)};`);
  return new Worker(entry, { type: 'module', name: 'rerank-web' });
}

/** The library's own worker, kept where a test can terminate it (as a crash or the browser would). */
const tracked: Worker[] = [];
function trackedWorker(): Worker {
  const w = new Worker(new URL(workerUrl, location.href), { type: 'module', name: 'rerank-web' });
  tracked.push(w);
  return w;
}

/** A worker whose script throws as it starts. */
function throwingWorker(): Worker {
  return new Worker(URL.createObjectURL(new Blob(["throw new Error('boom at start-up')"], { type: 'text/javascript' })), { type: 'module' });
}

declare global {
  interface Window {
    rerankWeb: typeof rerankWeb;
    harness: { workerWithoutWebGpu: () => Worker; trackedWorker: () => Worker; tracked: Worker[]; throwingWorker: () => Worker };
    harnessReady: boolean;
  }
}

window.rerankWeb = rerankWeb;
window.harness = { workerWithoutWebGpu, trackedWorker, tracked, throwingWorker };
window.harnessReady = true;
