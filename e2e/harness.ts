// The page the browser tests drive: the public API only, exactly as an app would import it.
import * as rerankWeb from '../src/index.ts';
// The built URL of the library's own worker, for tests that start it in an altered environment.
import workerUrl from '../workers/reranker.worker.ts?worker&url';

const js = (code: string) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));

/** The library's worker with `prelude` run first in its realm (two static imports evaluate in order). */
function workerWith(prelude: string): Worker {
  const entry = js(`import ${JSON.stringify(js(prelude))}; import ${JSON.stringify(new URL(workerUrl, location.href).href)};`);
  return new Worker(entry, { type: 'module', name: 'rerank-web' });
}

const PRELUDES = {
  // SwiftShader dressed as a hardware GPU: device 'auto' refuses software adapters, so the tests of what 'auto' does
  // on a real GPU (cross-check, loss) need the adapter to say it is not one.
  hardwareLooking: `for (const [k, v] of [['isFallbackAdapter', false], ['architecture', 'test-hardware'], ['vendor', 'test-vendor']]) {
      Object.defineProperty(GPUAdapterInfo.prototype, k, { get: () => v, configurable: true });
    }`,
  // A browser that never shipped WebGPU.
  noWebGpu: "delete Object.getPrototypeOf(navigator).gpu;",
  // A GPU that computes garbage without any error: every large upload (weights, inputs) arrives with its bytes
  // flipped, whether it goes through queue.writeBuffer or through a mapped staging buffer.
  brokenGpu: `const flip = (bytes) => { for (let i = 0; i < bytes.length; i++) bytes[i] ^= 0x55; };
    const ranges = new WeakMap();
    const getMapped = GPUBuffer.prototype.getMappedRange;
    GPUBuffer.prototype.getMappedRange = function (...args) {
      const r = getMapped.apply(this, args);
      if (!(this.usage & GPUBufferUsage.MAP_READ)) (ranges.get(this) ?? ranges.set(this, []).get(this)).push(r);
      return r;
    };
    const unmap = GPUBuffer.prototype.unmap;
    GPUBuffer.prototype.unmap = function () {
      for (const r of ranges.get(this) ?? []) if (r.byteLength >= 4096) flip(new Uint8Array(r));
      ranges.delete(this);
      return unmap.call(this);
    };
    const write = GPUQueue.prototype.writeBuffer;
    GPUQueue.prototype.writeBuffer = function (buffer, offset, data, ...rest) {
      const size = data.byteLength;
      if (size < 4096) return write.call(this, buffer, offset, data, ...rest);
      const copy = data.slice(0);
      const bytes = ArrayBuffer.isView(copy) ? new Uint8Array(copy.buffer, copy.byteOffset, copy.byteLength) : new Uint8Array(copy);
      flip(bytes);
      return write.call(this, buffer, offset, copy, ...rest);
    };`,
  // A GPU device that a test can destroy (as a driver reset would), by posting 'lose-gpu' on a BroadcastChannel.
  losableGpu: `const devices = [];
    const request = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function (...args) { const d = await request.apply(this, args); devices.push(d); return d; };
    new BroadcastChannel('rerank-web-test').onmessage = (e) => { if (e.data === 'lose-gpu') for (const d of devices) d.destroy(); };`,
};

/** The library's own worker, kept where a test can terminate it (as a crash or the browser would). */
const tracked: Worker[] = [];
function trackedWorker(): Worker {
  const w = new Worker(new URL(workerUrl, location.href), { type: 'module', name: 'rerank-web' });
  tracked.push(w);
  return w;
}

/**
 * The library's worker started from a blob: URL that is revoked once the worker runs (an app that cleans up after
 * itself): the worker works, but a lane started from its URL cannot load.
 */
function revokedUrlWorker(): Worker {
  const entry = js(`import ${JSON.stringify(new URL(workerUrl, location.href).href)};`);
  const w = new Worker(entry, { type: 'module', name: 'rerank-web' });
  w.addEventListener('message', () => URL.revokeObjectURL(entry), { once: true });
  return w;
}

/** A worker whose script throws as it starts. */
function throwingWorker(): Worker {
  return new Worker(js("throw new Error('boom at start-up')"), { type: 'module' });
}

const harness = {
  workerWithoutWebGpu: () => workerWith(PRELUDES.noWebGpu),
  workerWithHardwareLookingGpu: () => workerWith(PRELUDES.hardwareLooking),
  workerWithBrokenGpu: () => workerWith(`${PRELUDES.hardwareLooking}\n${PRELUDES.brokenGpu}`),
  workerWithLosableGpu: () => workerWith(`${PRELUDES.hardwareLooking}\n${PRELUDES.losableGpu}`),
  /** The library's worker with any prelude (a test that alters one browser API, e.g. storage). */
  workerWithPrelude: (prelude: string) => workerWith(prelude),
  trackedWorker,
  tracked,
  throwingWorker,
  revokedUrlWorker,
};

declare global {
  interface Window {
    rerankWeb: typeof rerankWeb;
    harness: typeof harness;
    harnessReady: boolean;
  }
}

window.rerankWeb = rerankWeb;
window.harness = harness;
window.harnessReady = true;
