// A cold visit (fresh browser context: empty HTTP and Cache API caches) to the built site: bytes by kind before the
// first score, gzip-compressed as a server with HTTP compression would send them, for a CPU-only visitor (WASM) and
// a WebGPU one. The CPU-only path loads ONNX Runtime's WASM-only build; it must cost at most 0.6x the JS + wasm
// bytes of the WebGPU build that every visitor loaded before (issue 11). Times are recorded, not asserted (bench).
import { expect, test, type BrowserContext } from '@playwright/test';
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

const seen: Partial<Record<'wasm' | 'webgpu', number>> = {};
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
    const code = b.js.gzip + b.wasm.gzip;
    seen[device] = code;
    record('test-results/cold-start.json', device, { model: MODEL, device, navToHarnessMs: Date.now() - t0, ...times, bytes: b });
    console.log(`[cold-start] ${device}: JS ${(b.js.gzip / 1e6).toFixed(2)} MB + wasm ${(b.wasm.gzip / 1e6).toFixed(2)} MB gzipped (raw ${((b.js.raw + b.wasm.raw) / 1e6).toFixed(1)} MB), model ${(b.model.raw / 1e6).toFixed(1)} MB; first batch ${times.firstBatchMs.toFixed(0)} ms`);
    expect(b.wasm.files).toBe(1);
  });
}

test('a CPU-only visitor loads at most 0.6x the JS + wasm bytes of a WebGPU one (ORT CPU-only build)', async () => {
  test.skip(!seen.wasm || !seen.webgpu, 'needs both cold-visit tests of this file to have run');
  console.log(`[cold-start] CPU-only / WebGPU JS + wasm bytes (gzip): ${(seen.wasm! / seen.webgpu!).toFixed(2)}`);
  expect(seen.wasm!).toBeLessThanOrEqual(0.6 * seen.webgpu!);
});
