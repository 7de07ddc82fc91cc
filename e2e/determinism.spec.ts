// A document's score must not depend on its batch-mates or on input order. fp32 and weight-only q4 run in
// length-sorted batches (padding changes float summation order only: 1e-5 allowed); dynamic int8 runs one
// document per run, so its scores are identical by construction.
import { expect, test } from '@playwright/test';
import { mustLoad, openHarness, TINY } from './support/page.ts';
import { BUILTIN } from './support/texts.ts';

for (const [dtype, tolerance] of [['fp32', 1e-5], ['q4', 1e-5], ['q8', 0]] as const) {
  test(`${dtype}: the same score alone, in a batch, and in any order (tolerance ${tolerance})`, async ({ page }) => {
    await openHarness(page);
    const info = await mustLoad(page, { model: TINY, device: 'wasm', dtype });
    // WASM runs fp32/q4 in groups of 4: the 8 documents make two length-sorted runs.
    expect(info.batchSize).toBe(dtype === 'q8' ? 1 : 4);
    const r = await page.evaluate(async (docs) => {
      const rr = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
      const batched = await rr.score('how do cats and dogs get along', docs);
      const reversed = (await rr.score('how do cats and dogs get along', [...docs].reverse())).reverse();
      const alone: number[] = [];
      for (const d of docs) alone.push((await rr.score('how do cats and dogs get along', [d]))[0]!);
      return { batched, reversed, alone, runs: rr.lastTimings?.runs };
    }, BUILTIN.docs.map(String));
    const diff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
    console.log(`${dtype}: batched vs alone ${diff(r.batched, r.alone).toExponential(2)}, reversed ${diff(r.batched, r.reversed).toExponential(2)}`);
    expect(diff(r.batched, r.alone)).toBeLessThanOrEqual(tolerance);
    expect(diff(r.batched, r.reversed)).toBeLessThanOrEqual(tolerance);
  });
}
