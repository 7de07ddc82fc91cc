// WebGPU faults on the SwiftShader adapter: wrong numbers are caught before WebGPU is trusted, and a lost device
// sends the reranker to WASM.
import { expect, test } from '@playwright/test';
import type { RerankerInfo } from '../src/index.ts';
import { HUB, openHarness, TINY } from './support/page.ts';
import { modelAvailable } from './support/reference.ts';
import { record } from './support/report.ts';

type Reranker = import('../src/index.ts').Reranker;

test('a GPU that computes wrong numbers fails the check and the reranker falls back to WASM', async ({ page }) => {
  await openHarness(page);
  const r = await page.evaluate(async ([hubUrl, model]) => {
    const rr = await window.rerankWeb.createReranker({ hubUrl, model, device: 'auto', dtype: 'fp32', createWorker: window.harness.workerWithBrokenGpu });
    const s = await rr.score('cats', ['cats and dogs', 'soup']);
    const forced = await window.rerankWeb.createReranker({ hubUrl, model, device: 'webgpu', dtype: 'fp32', createWorker: window.harness.workerWithBrokenGpu })
      .then(() => 'loaded', (e) => (e as { code: string }).code);
    return { info: rr.info, finite: s.every(Number.isFinite), forced };
  }, [HUB, TINY] as const);
  expect(r.info.device).toBe('wasm');
  expect(r.info.fallbackReason).toMatch(/differed from WASM/);
  expect(r.info.gpuCheck?.passed).toBe(false);
  expect(r.finite).toBe(true);
  expect(r.forced).toBe('BACKEND_UNAVAILABLE'); // asked for WebGPU outright: an error, not wrong scores
});

test('a healthy GPU passes the check, and says how long it took', async ({ page }) => {
  await openHarness(page);
  const info = await page.evaluate(async ([hubUrl, model]) => {
    const rr = await window.rerankWeb.createReranker({ hubUrl, model, device: 'webgpu', dtype: 'fp32' });
    return rr.info as RerankerInfo;
  }, [HUB, TINY] as const);
  console.log(`GPU check: max diff ${info.gpuCheck?.maxDiff.toExponential(2)} in ${info.gpuCheck?.ms.toFixed(0)} ms (SwiftShader)`);
  record('test-results/reliability.json', 'gpu-check', { fault: 'WebGPU cross-check at load (tiny model, SwiftShader)', ms: Math.round(info.gpuCheck!.ms), maxDiff: info.gpuCheck!.maxDiff });
  expect(info.device).toBe('webgpu');
  expect(info.gpuCheck).toMatchObject({ passed: true });
  expect(info.gpuCheck!.maxDiff).toBeLessThan(1e-4);
});

test('the GPU device is lost mid-session: calls go on, on WASM, and info says why', async ({ page }) => {
  await openHarness(page);
  const r = await page.evaluate(async ([hubUrl, model]) => {
    const rr: Reranker = await window.rerankWeb.createReranker({ hubUrl, model, device: 'auto', dtype: 'fp32', createWorker: window.harness.workerWithLosableGpu });
    const before = rr.info.device;
    const docs = ['cats and dogs', 'soup', 'gpu buffers', 'rivers'];
    const expected = await rr.score('cats', docs);
    const long = Array.from({ length: 64 }, (_, i) => `document ${i} about cats`);
    const inFlight = rr.score('cats', long).then((s) => `finished with ${s.length}`, (e) => (e as { code: string }).code);
    new BroadcastChannel('rerank-web-test').postMessage('lose-gpu');
    const during = await inFlight;
    const after = await rr.score('cats', docs);
    return { before, during, info: rr.info, after, expected };
  }, [HUB, TINY] as const);
  expect(r.before).toBe('webgpu');
  expect(['finished with 64', 'INFERENCE_FAILED']).toContain(r.during);
  expect(r.info.device).toBe('wasm');
  expect(r.info.fallbackReason).toMatch(/lost|failed/i);
  // Same file on WASM: the same scores as WebGPU gave before the loss.
  r.after.forEach((s, i) => expect(Math.abs(s - r.expected[i]!)).toBeLessThan(1e-4));
});

// The decoder family goes through the same load path (workers/backend/loader.ts): the same check and the same move.
const QWEN = 'rerank-web-test/tiny-qwen3';

test('decoder: a GPU that computes wrong numbers fails the check, and the decoder falls back to WASM', async ({ page }) => {
  test.skip(!modelAvailable(QWEN), `${QWEN} was not generated (npm run models)`);
  test.setTimeout(120_000);
  await openHarness(page);
  const r = await page.evaluate(async ([hubUrl, model]) => {
    const rr = await window.rerankWeb.createReranker({ hubUrl, model, device: 'auto', dtype: 'fp32', createWorker: window.harness.workerWithBrokenGpu });
    const s = await rr.score('cats', ['cats and dogs', 'soup']);
    const forced = await window.rerankWeb.createReranker({ hubUrl, model, device: 'webgpu', dtype: 'fp32', createWorker: window.harness.workerWithBrokenGpu })
      .then(() => 'loaded', (e) => (e as { code: string }).code);
    return { info: rr.info, finite: s.every(Number.isFinite), forced };
  }, [HUB, QWEN] as const);
  expect(r.info.family).toBe('decoder');
  expect(r.info.device).toBe('wasm');
  expect(r.info.fallbackReason).toMatch(/differed from WASM/);
  expect(r.info.gpuCheck?.passed).toBe(false);
  expect(r.finite).toBe(true);
  expect(r.forced).toBe('BACKEND_UNAVAILABLE');
});

test('decoder: a healthy GPU passes the check (yes-no margins agree with WASM)', async ({ page }) => {
  test.skip(!modelAvailable(QWEN), `${QWEN} was not generated (npm run models)`);
  test.setTimeout(120_000);
  await openHarness(page);
  const info = await page.evaluate(async ([hubUrl, model]) => {
    const rr = await window.rerankWeb.createReranker({ hubUrl, model, device: 'webgpu', dtype: 'fp32' });
    return rr.info as RerankerInfo;
  }, [HUB, QWEN] as const);
  expect(info).toMatchObject({ family: 'decoder', device: 'webgpu', gpuCheck: { passed: true } });
  expect(info.gpuCheck!.maxDiff).toBeLessThan(1e-3);
});

test('decoder: the GPU device is lost mid-session: calls go on, on WASM, with the same scores', async ({ page }) => {
  test.skip(!modelAvailable(QWEN), `${QWEN} was not generated (npm run models)`);
  test.setTimeout(180_000);
  await openHarness(page);
  const r = await page.evaluate(async ([hubUrl, model]) => {
    const rr: Reranker = await window.rerankWeb.createReranker({ hubUrl, model, device: 'auto', dtype: 'fp32', createWorker: window.harness.workerWithLosableGpu });
    const before = rr.info.device;
    const docs = ['cats and dogs', 'soup', 'gpu buffers', 'rivers'];
    const expected = await rr.score('cats', docs);
    const long = Array.from({ length: 24 }, (_, i) => `document ${i} about cats`);
    const inFlight = rr.score('cats', long).then((s) => `finished with ${s.length}`, (e) => (e as { code: string }).code);
    new BroadcastChannel('rerank-web-test').postMessage('lose-gpu');
    const during = await inFlight;
    const after = await rr.score('cats', docs);
    return { before, during, info: rr.info, after, expected };
  }, [HUB, QWEN] as const);
  expect(r.before).toBe('webgpu');
  expect(['finished with 24', 'INFERENCE_FAILED']).toContain(r.during);
  expect(r.info.device).toBe('wasm');
  expect(r.info.fallbackReason).toMatch(/lost|failed/i);
  r.after.forEach((s, i) => expect(Math.abs(s - r.expected[i]!)).toBeLessThan(1e-4));
});
