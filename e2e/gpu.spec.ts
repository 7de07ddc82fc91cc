// The 'gpu' project: parity and a speed smoke on a hardware WebGPU adapter. On a software adapter (SwiftShader,
// or any fallback adapter) these tests skip and say why. Run on a GPU machine:
//   RERANK_BROWSER=/path/to/chrome RERANK_BROWSER_ARGS="..." npx playwright test --project gpu   (see README)
import { expect, test, type Page } from '@playwright/test';
import { MINILM, mustLoad, openHarness, score, TINYBERT } from './support/page.ts';
import { modelAvailable, referenceScores } from './support/reference.ts';
import { BUILTIN, scifactSample } from './support/texts.ts';

async function hardwareAdapter(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const a = await navigator.gpu?.requestAdapter();
    if (!a) return 'no WebGPU adapter at all';
    const info = a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    if (info.isFallbackAdapter || info.architecture === 'swiftshader') {
      return `only a software adapter (${info.vendor} ${info.architecture}, fallback=${Boolean(info.isFallbackAdapter)})`;
    }
    return null;
  });
}

test.beforeEach(async ({ page }) => {
  await openHarness(page);
  const why = await hardwareAdapter(page);
  if (why) console.log(`[skip] gpu project: ${why}; it needs a hardware GPU adapter`);
  test.skip(why !== null, `needs a hardware GPU adapter: ${why}`);
});

test('parity on a hardware adapter @gpu', async ({ page }) => {
  const model = modelAvailable(MINILM) ? MINILM : TINYBERT;
  test.skip(!modelAvailable(model), 'the MiniLM/TinyBERT test models need ../shared/tokenizers/bert-base-uncased');
  const sample = scifactSample(20) ?? BUILTIN;
  const info = await mustLoad(page, { model, device: 'webgpu', dtype: 'fp32' });
  console.log('adapter:', JSON.stringify(info.adapter));
  const got = await score(page, sample.query, sample.docs);
  if (!got.ok) throw new Error(got.message);
  const ref = await referenceScores(model, 'onnx/model.onnx', sample.query, sample.docs);
  const maxDiff = Math.max(...got.value.map((s, i) => Math.abs(s - ref[i]!)));
  console.log(`${model} fp32 on ${info.adapter?.vendor} ${info.adapter?.architecture}: max |diff| ${maxDiff.toExponential(2)}`);
  expect(maxDiff).toBeLessThanOrEqual(1e-4);
});

test('speed smoke: WebGPU against WASM on a top-50 @gpu', async ({ page }) => {
  const model = modelAvailable(MINILM) ? MINILM : TINYBERT;
  test.skip(!modelAvailable(model), 'the MiniLM/TinyBERT test models need ../shared/tokenizers/bert-base-uncased');
  const sample = scifactSample(50) ?? { query: BUILTIN.query, docs: Array.from({ length: 50 }, (_, i) => BUILTIN.docs[i % 8]!) };
  const rate = async (device: 'webgpu' | 'wasm') => {
    await mustLoad(page, { model, device, dtype: device === 'webgpu' ? 'fp32' : 'q8' });
    await score(page, sample.query, sample.docs.slice(0, 8)); // warm up shaders and caches
    const t0 = Date.now();
    const r = await score(page, sample.query, sample.docs);
    expect(r.ok).toBe(true);
    const ms = Date.now() - t0;
    await page.evaluate(() => (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker.dispose());
    return (sample.docs.length / ms) * 1000;
  };
  const gpu = await rate('webgpu');
  const wasm = await rate('wasm');
  console.log(`${model}: WebGPU ${gpu.toFixed(1)} docs/s, WASM q8 ${wasm.toFixed(1)} docs/s, ratio ${(gpu / wasm).toFixed(2)}`);
  expect(gpu).toBeGreaterThan(wasm);
});
