// The yardstick page: window.bareLoad(url) fetches an ONNX file and creates a WASM session from it in a worker with
// onnxruntime-web alone, and returns the wall-clock times of its steps (the memory spec samples RSS between them).
export interface BareTimes {
  start: number;
  fetched: number;
  created: number;
  bytes: number;
}

declare global {
  interface Window {
    bareLoad(url: string): Promise<BareTimes>;
    bareReady: boolean;
  }
}

window.bareLoad = (url) =>
  new Promise((resolve, reject) => {
    const w = new Worker(new URL('./bare-ort.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<BareTimes | string>) => (typeof e.data === 'string' ? reject(new Error(e.data)) : resolve(e.data));
    w.postMessage(url);
  });
window.bareReady = true;
