// The real-size bench page: one visit = one reranker loaded through the public API, timed from its progress events,
// scored once, disposed. Both families: a decoder (config.json says *ForCausalLM) loads with the same options; explicit
// device 'wasm' is never refused as too slow (MODEL_TOO_SLOW is for 'auto'). Driven by scripts/bench-size.ts, which samples the renderer's memory from outside meanwhile.
import { clearCachedModels, createReranker } from '../../src/index.ts';
import type { SizeVisitResult, SizeVisitSpec } from './size-types.ts';

async function sizeVisit(spec: SizeVisitSpec): Promise<SizeVisitResult> {
  if (spec.clearCache) await clearCachedModels();
  let onnxBytes = 0;
  let downloadStart: number | null = null;
  let downloadEnd: number | null = null;
  const t0 = performance.now();
  const r = await createReranker({
    model: spec.model, hubUrl: spec.hubUrl, device: 'wasm', dtype: spec.dtype as 'q8', wasmSessions: 1,
    onProgress: (e) => {
      if (!('file' in e) || !e.file.startsWith('onnx/')) return;
      if (e.status === 'download') downloadStart ??= performance.now();
      if (e.status === 'done') {
        onnxBytes += e.total ?? 0;
        downloadEnd = performance.now();
      }
    },
  });
  const t1 = performance.now();
  await r.score('how large is this model', ['a document about model sizes', 'another one']);
  const t2 = performance.now();
  const { info } = r;
  await r.dispose();
  return {
    onnxBytes, downloadMs: downloadStart !== null && downloadEnd !== null ? downloadEnd - downloadStart : 0,
    loadMs: t1 - t0, firstScoreMs: t2 - t1, timeToFirstScoreMs: t2 - t0, fromCache: info.fromCache,
    device: info.device, numThreads: info.numThreads, wasmSessions: info.wasmSessions, dtype: info.dtype, lmHead: info.lmHead,
  };
}

(window as unknown as { sizeVisit: typeof sizeVisit; sizeReady: boolean }).sizeVisit = sizeVisit;
(window as unknown as { sizeReady: boolean }).sizeReady = true;
