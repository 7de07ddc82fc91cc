// A cold visit (fresh browser context: empty HTTP and Cache API caches) to the built site: bytes by kind before the
// first score, gzip-compressed as a server with HTTP compression would send them, for a CPU-only visitor (WASM) and
// a WebGPU one. The CPU-only path loads ONNX Runtime's WASM-only build, the WebGPU path its JSPI build where the
// browser has JSPI; before, every visitor loaded the asyncify build (26.8 MB .wasm). A CPU-only visitor must cost at
// most 0.6x the JS + wasm bytes of that (issue 11). Times are recorded, not asserted (they belong to benchmarks).
import { expect, test, type BrowserContext } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { HUB, openHarness, TINYBERT, TINY } from './support/page.ts';
import { modelAvailable } from './support/reference.ts';
import { record } from './support/report.ts';
import { BUILTIN } from './support/texts.ts';

const MODEL = modelAvailable(TINYBERT) ? TINYBERT : TINY;
type Kind = 'js' | 'wasm' | 'model' | 'tokenizer' | 'other';

function kindOf(url: string): Kind {
  const p = new URL(url).pathname;
  if (p.endsWith('.wasm')) return 'wasm';
  if (/\.m?js$/.test(p)) return 'js';
  if (p.endsWith('.onnx')) return 'model';
  if (/(tokenizer|config|special_tokens_map)[^/]*\.json$/.test(p)) return 'tokenizer';
  return 'other';
}

/**
 * Raw and gzip (level 6) bytes of every file the visit fetched, by kind. The bodies are fetched again here, from the
 * same servers, after the visit: a worker's streamed responses (ORT's .wasm goes to a streaming compile) cannot be
 * read back from the browser reliably.
 */
function meter(context: BrowserContext): () => Promise<Record<Kind, { raw: number; gzip: number; files: number }>> {
  const urls = new Set<string>();
  context.on('response', (r) => {
    if (r.request().method() === 'GET' && r.status() === 200 && /^https?:/.test(r.url())) urls.add(r.url());
  });
  return async () => {
    const out = Object.fromEntries((['js', 'wasm', 'model', 'tokenizer', 'other'] as Kind[]).map((k) => [k, { raw: 0, gzip: 0, files: 0 }])) as Record<Kind, { raw: number; gzip: number; files: number }>;
    for (const url of urls) {
      const body = Buffer.from(await (await fetch(url)).arrayBuffer());
      const k = out[kindOf(url)];
      k.raw += body.byteLength;
      k.gzip += zlib.gzipSync(body, { level: 6 }).byteLength;
      k.files++;
    }
    return out;
  };
}

const seen: Partial<Record<'wasm' | 'webgpu', { js: number; wasm: number }>> = {};
for (const device of ['wasm', 'webgpu'] as const) {
  test(`cold visit, ${device}: bytes by kind and time to the first reranked batch`, async ({ browser }) => {
    test.setTimeout(240_000);
    const context = await browser.newContext();
    const page = await context.newPage();
    const bytes = meter(context);
    const t0 = Date.now();
    await openHarness(page);
    const times = await page.evaluate(async ([hubUrl, model, dev, q, docs]) => {
      const start = performance.now();
      const r = await window.rerankWeb.createReranker({ hubUrl: hubUrl as string, model: model as string, device: dev as 'wasm', dtype: 'fp32', verifyGpu: false });
      const loaded = performance.now();
      let first = 0;
      await r.rerank(q as string, docs as string[], { onBatch: () => (first ||= performance.now()) });
      const all = performance.now();
      await r.dispose();
      return { loadMs: loaded - start, firstBatchMs: first - start, allMs: all - start, wasm: r.info.device };
    }, [HUB, MODEL, device, BUILTIN.query, BUILTIN.docs] as const);
    const b = await bytes();
    await context.close();
    seen[device] = { js: b.js.gzip, wasm: b.wasm.gzip };
    record('test-results/cold-start.json', device, { model: MODEL, device, navToHarnessMs: Date.now() - t0, ...times, bytes: b });
    console.log(`[cold-start] ${device}: JS ${(b.js.gzip / 1e6).toFixed(2)} MB + wasm ${(b.wasm.gzip / 1e6).toFixed(2)} MB gzipped (raw ${((b.js.raw + b.wasm.raw) / 1e6).toFixed(1)} MB), model ${(b.model.raw / 1e6).toFixed(1)} MB; first batch ${times.firstBatchMs.toFixed(0)} ms`);
    expect(b.wasm.files).toBe(1);
  });
}

test('a CPU-only visitor loads at most 0.6x the JS + wasm bytes that every visitor loaded before (the asyncify build)', async () => {
  test.skip(!seen.wasm, 'needs the WASM cold-visit test of this file to have run');
  // Before: the same JS, and ORT's asyncify .wasm for everyone (the WebGPU build, whatever the device).
  const asyncify = fs.readFileSync(path.resolve(import.meta.dirname, '../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm'));
  const before = seen.wasm!.js + zlib.gzipSync(asyncify, { level: 6 }).byteLength;
  const now = seen.wasm!.js + seen.wasm!.wasm;
  console.log(`[cold-start] CPU-only visitor: ${(now / 1e6).toFixed(2)} MB JS + wasm gzipped, ${(now / before).toFixed(2)}x the ${(before / 1e6).toFixed(2)} MB of the asyncify build${seen.webgpu ? `; WebGPU visitor: ${((seen.webgpu.js + seen.webgpu.wasm) / before).toFixed(2)}x` : ''}`);
  record('test-results/cold-start.json', 'before', { device: 'before', asyncifyGzip: before - seen.wasm!.js, jsGzip: seen.wasm!.js });
  expect(now).toBeLessThanOrEqual(0.6 * before);
});
