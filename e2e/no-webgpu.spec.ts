// Without WebGPU: navigator.gpu is removed from the page and from the worker (the library's own worker, started
// through the createWorker option in a realm whose navigator lacks gpu), as in a browser that never shipped it.
import { expect, test } from '@playwright/test';
import type { RerankerInfo } from '../src/index.ts';
import { HUB, openHarness, score, TINY } from './support/page.ts';
import { BUILTIN } from './support/texts.ts';

test("with navigator.gpu removed, 'auto' falls back to WASM and says why", async ({ page }) => {
  await page.addInitScript(() => delete (Object.getPrototypeOf(navigator) as { gpu?: unknown }).gpu);
  await openHarness(page);
  expect(await page.evaluate(() => 'gpu' in navigator)).toBe(false);
  const load = (device: 'auto' | 'webgpu') => page.evaluate(async ([hubUrl, model, dev]) => {
    try {
      const r = await window.rerankWeb.createReranker({ hubUrl, model, device: dev as 'auto', createWorker: window.harness.workerWithoutWebGpu });
      (window as unknown as { reranker: unknown }).reranker = r;
      return { ok: true, info: r.info as RerankerInfo };
    } catch (e) {
      return { ok: false, code: (e as { code: string }).code };
    }
  }, [HUB, TINY, device] as const);

  const auto = await load('auto');
  expect(auto.ok).toBe(true);
  expect(auto.info).toMatchObject({ device: 'wasm', dtype: 'q8', adapter: null });
  expect(auto.info!.fallbackReason).toMatch(/navigator\.gpu is missing/);
  expect((await score(page, BUILTIN.query, BUILTIN.docs)).ok).toBe(true);
  // Asking for WebGPU outright is an error with a code, not a silent fallback.
  expect(await load('webgpu')).toEqual({ ok: false, code: 'BACKEND_UNAVAILABLE' });
});
