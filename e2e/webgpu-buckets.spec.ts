// webgpuShapes 'buckets' against 'exact' in Chromium: on WebGPU (SwiftShader here) bucketed runs pad to fixed lengths
// with the pad id and mask 0, so scores must equal the exact-length ones to float noise (the 1e-5); on WASM
// the option must change nothing (padding there costs CPU FLOPs). See docs/webgpu-buckets.md.
import { expect, test, type Page } from '@playwright/test';
import { mustLoad, openHarness, score, TINY } from './support/page.ts';
import { modelAvailable } from './support/reference.ts';
import { BUILTIN } from './support/texts.ts';

type Shapes = 'exact' | 'buckets';
// Lengths spread over several buckets (about 10 to 70 tokens), none past the window: a pair cut to maxLength pads to
// maxLength in both modes and would hide whether buckets were applied.
const DOCS = [...BUILTIN.docs.slice(0, 6), 'the quick brown fox jumps over the lazy dog '.repeat(7), BUILTIN.docs[7]!];

async function run(page: Page, device: 'webgpu' | 'wasm', dtype: 'fp32' | 'q4', webgpuShapes: Shapes) {
  // Runs of 3: three runs of different longest lengths, so several buckets are exercised.
  const info = await mustLoad(page, { model: TINY, device, dtype, webgpuShapes, verifyGpu: false, batchSize: 3 });
  expect(info.device).toBe(device);
  const got = await score(page, BUILTIN.query, DOCS);
  if (!got.ok) throw new Error(`${got.code}: ${got.message}`);
  const timings = await page.evaluate(() => {
    const r = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
    const t = r.lastTimings!;
    void r.dispose();
    return t;
  });
  return { scores: got.value, timings };
}

for (const dtype of ['fp32', 'q4'] as const) {
  test(`WebGPU buckets keep ${dtype} scores within 1e-5 of exact-length runs`, async ({ page }) => {
    test.skip(!modelAvailable(TINY), `${TINY} was not generated (npm run models)`);
    await openHarness(page);
    const hasGpu = await page.evaluate(async () => Boolean(await navigator.gpu?.requestAdapter()));
    test.skip(!hasGpu, 'no WebGPU adapter in this browser');
    const exact = await run(page, 'webgpu', dtype, 'exact');
    const buckets = await run(page, 'webgpu', dtype, 'buckets');
    // Guards that the option reached the engine: these lengths are not all bucket lengths, so bucketed runs carry
    // more padding; otherwise this test would compare exact with exact.
    expect(buckets.timings.paddedTokens).toBeGreaterThan(exact.timings.paddedTokens);
    expect(buckets.timings.realTokens).toBe(exact.timings.realTokens);
    const maxDiff = Math.max(...exact.scores.map((s, i) => Math.abs(s - buckets.scores[i]!)));
    console.log(`${TINY} ${dtype} WebGPU: padded tokens exact ${exact.timings.paddedTokens}, buckets ${buckets.timings.paddedTokens}; max |diff| ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThanOrEqual(1e-5);
  });
}

test('on WASM the buckets option changes nothing (runs stay exact-length)', async ({ page }) => {
  test.skip(!modelAvailable(TINY), `${TINY} was not generated (npm run models)`);
  await openHarness(page);
  const exact = await run(page, 'wasm', 'fp32', 'exact');
  const buckets = await run(page, 'wasm', 'fp32', 'buckets');
  // Guards the WASM path: padding there would cost FLOPs for nothing (no pipelines to reuse).
  expect(buckets.timings.paddedTokens).toBe(exact.timings.paddedTokens);
  expect(buckets.scores).toEqual(exact.scores);
});
