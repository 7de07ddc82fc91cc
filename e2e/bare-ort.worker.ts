// onnxruntime-web alone: fetch the file into one ArrayBuffer, create a one-thread WASM session from it, as the
// library's worker does (same build, same thread count), without anything of the library.
import * as ort from 'onnxruntime-web/wasm';

onmessage = async (e: MessageEvent<string>) => {
  try {
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
    const start = Date.now();
    const bytes = new Uint8Array(await (await fetch(e.data, { credentials: 'omit' })).arrayBuffer());
    const fetched = Date.now();
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', enableMemPattern: false });
    const created = Date.now();
    postMessage({ start, fetched, created, bytes: bytes.byteLength });
    void session;
  } catch (err) {
    postMessage(String(err));
  }
};
