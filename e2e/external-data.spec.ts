// External data (issue 21): a graph whose weights live in onnx/model.onnx_data (tiny-bert-external) or in two parts,
// model.onnx_data and model.onnx_data_1 (tiny-qwen3-external), loads in both families on WASM and WebGPU, its parts
// fetched through the same path as the graph (progress events, cache), and scores exactly as its single-file twin.
import { expect, test } from '@playwright/test';
import { HUB, openHarness } from './support/page.ts';
import { modelAvailable } from './support/reference.ts';
import { BUILTIN } from './support/texts.ts';

const PAIRS = [
  { family: 'cross-encoder', single: 'rerank-web-test/tiny-bert', external: 'rerank-web-test/tiny-bert-external', parts: ['onnx/model.onnx_data'] },
  { family: 'decoder', single: 'rerank-web-test/tiny-qwen3', external: 'rerank-web-test/tiny-qwen3-external', parts: ['onnx/model.onnx_data', 'onnx/model.onnx_data_1'] },
] as const;
const DOCS = BUILTIN.docs.slice(0, 5).map((d) => d.slice(0, 200));

for (const device of ['wasm', 'webgpu'] as const) {
  for (const p of PAIRS) {
    test(`${p.family} with external data on ${device}: the same scores as its single-file twin`, async ({ page }) => {
      test.skip(!modelAvailable(p.external), `${p.external} was not generated (npm run models)`);
      // Two loads, each with the GPU check on WebGPU: SwiftShader on a shared 2-core machine takes minutes.
      test.setTimeout(device === 'webgpu' ? 480_000 : 180_000);
      await openHarness(page);
      const r = await page.evaluate(async ([hubUrl, single, external, dev, query, docs]) => {
        const run = async (model: string) => {
          const files: string[] = [];
          const rr = await window.rerankWeb.createReranker({
            hubUrl, model, device: dev as 'wasm' | 'webgpu', dtype: 'fp32', cache: false,
            onProgress: (e) => { if (e.status === 'done') files.push(e.file); },
          });
          const scores = await rr.score(query as string, docs as string[]);
          const info = rr.info;
          await rr.dispose();
          return { scores, info, files };
        };
        return { single: await run(single), external: await run(external) };
      }, [HUB, p.single, p.external, device, BUILTIN.query, DOCS] as const);
      expect(r.external.info).toMatchObject({ family: p.family, device, dtype: 'fp32', modelFile: 'onnx/model.onnx' });
      // Each part came through the model-file path (a 'done' progress event per file), named by the graph itself.
      for (const part of p.parts) expect(r.external.files).toContain(part);
      expect(r.single.files.some((f) => f.includes('onnx_data'))).toBe(false);
      // Same weights, same graph, same kernels: identical numbers, not merely close ones.
      expect(r.external.scores).toEqual(r.single.scores);
      if (device === 'webgpu') expect(r.external.info.gpuCheck?.passed).toBe(true);
    });
  }
}

test('an external-data model is cached with its parts, and a second visit loads every file from the cache', async ({ page }) => {
  test.skip(!modelAvailable(PAIRS[1].external), `${PAIRS[1].external} was not generated (npm run models)`);
  test.setTimeout(180_000);
  await openHarness(page);
  const r = await page.evaluate(async ([hubUrl, model]) => {
    await window.rerankWeb.clearCachedModels();
    const load = async () => {
      const cached: string[] = [];
      const rr = await window.rerankWeb.createReranker({ hubUrl, model, device: 'wasm', dtype: 'fp32', onProgress: (e) => { if (e.status === 'cached') cached.push(e.file); } });
      const s = await rr.score('cats', ['cats and dogs', 'soup']);
      const fromCache = rr.info.fromCache;
      await rr.dispose();
      return { s, cached, fromCache };
    };
    return { first: await load(), second: await load() };
  }, [HUB, PAIRS[1].external] as const);
  // Why: a part that is fetched but never cached would make every visit download the weights again.
  expect(r.first.fromCache).toBe(false);
  expect(r.second.fromCache).toBe(true);
  for (const part of PAIRS[1].parts) expect(r.second.cached).toContain(part);
  expect(r.second.s).toEqual(r.first.s);
});
