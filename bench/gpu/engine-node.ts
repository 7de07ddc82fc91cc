// The worker's engine (workers/backend/engines.ts: loader, tokenizer, batching, ORT-web session) driven from Node.
// Two things differ from a worker, both here and not in the engine: model files come from a local folder through
// fetch (Node's fetch has no file: scheme), and WASM runs as one session (lane workers need Web Workers).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolvePassages } from '../../src/call-options.ts';
import { resolveOptions } from '../../src/options.ts';
import type { Dtype, WebgpuShapes } from '../../src/options.ts';
import type { RerankerInfo } from '../../src/protocol.ts';
import { loadEngine as loadWorkerEngine } from '../../workers/backend/engines.ts';

let shimmed = false;

/** fetch() of file: URLs as a static server would answer them (404 for a missing optional file such as config.json). */
function serveFileUrls(): void {
  if (shimmed) return;
  shimmed = true;
  const net = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith('file:')) return net(input, init);
    const file = new URL(url);
    if (!fs.existsSync(file)) return new Response('not found', { status: 404 });
    const bytes = fs.readFileSync(file);
    const type = url.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    return new Response(bytes, { headers: { 'content-type': type, 'content-length': String(bytes.byteLength) } });
  };
}

export interface NodeEngineOptions {
  modelDir: string;
  device: 'webgpu' | 'wasm';
  dtype: Dtype;
  threads: number;
  maxLength: number;
  /** The webgpuShapes option (default 'exact'). */
  webgpuShapes?: WebgpuShapes;
}

export interface NodeEngine {
  info: RerankerInfo;
  /** Scores in input order, as the worker returns them, and the engine's own timings. */
  score(query: string, docs: string[]): Promise<{ scores: Float32Array; ms: number; inferenceMs: number; runs: number; paddedTokens: number; realTokens: number }>;
  dispose(): Promise<void>;
}

export const WASM_DIR = path.resolve(import.meta.dirname, '../../node_modules/onnxruntime-web/dist');

export async function loadEngine(o: NodeEngineOptions): Promise<NodeEngine> {
  serveFileUrls();
  const options = resolveOptions({
    model: pathToFileURL(o.modelDir).href,
    device: o.device,
    dtype: o.dtype,
    maxLength: o.maxLength,
    numThreads: o.threads,
    wasmSessions: 1,
    wasmPaths: pathToFileURL(WASM_DIR).href + '/',
    cache: false,
    // The bench checks scores against onnxruntime-node itself, on every pair it times.
    verifyGpu: false,
    webgpuShapes: o.webgpuShapes,
  });
  const engine = await loadWorkerEngine(options, () => {});
  const passages = resolvePassages({});
  return {
    info: engine.info,
    async score(query, docs) {
      const t0 = performance.now();
      const r = await engine.score(query, docs, passages, { cancelled: () => false });
      const { inferenceMs, runs, paddedTokens, realTokens } = r.timings;
      return { scores: r.scores, ms: performance.now() - t0, inferenceMs, runs, paddedTokens, realTokens };
    },
    dispose: () => engine.dispose(),
  };
}
