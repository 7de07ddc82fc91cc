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

declare global {
  interface Window {
    rerankWeb: typeof rerankWeb;
    harness: { workerWithoutWebGpu: () => Worker };
    harnessReady: boolean;
  }
}

window.rerankWeb = rerankWeb;
window.harness = { workerWithoutWebGpu };
window.harnessReady = true;
