// The model cache: list, measure and clear it, the storage estimate, and a second visit that works with the model
// source unreachable.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { HUB, mustLoad, openHarness, TINY } from './support/page.ts';
import { MODELS_DIR } from './support/reference.ts';

test('list, measure and clear cached models; the storage estimate', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(() => window.rerankWeb.clearCachedModels());
  expect(await page.evaluate(() => window.rerankWeb.listCachedModels())).toEqual([]);
  await mustLoad(page, { model: TINY, device: 'wasm', dtype: 'fp32' });
  await mustLoad(page, { model: 'rerank-web-test/lexical-oracle', device: 'wasm', dtype: 'fp32' });
  const listed = await page.evaluate(() => window.rerankWeb.listCachedModels());
  expect(listed.map((m) => m.model).sort()).toEqual(['rerank-web-test/lexical-oracle', TINY]);
  const tiny = listed.find((m) => m.model === TINY)!;
  expect(tiny.files.map((f) => f.file).sort()).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
  // Sizes are the files' own sizes on disk.
  const onDisk = fs.statSync(`${MODELS_DIR}/${TINY}/onnx/model.onnx`).size;
  expect(tiny.files.find((f) => f.file === 'onnx/model.onnx')!.bytes).toBe(onDisk);
  expect(tiny.bytes).toBe(tiny.files.reduce((s, f) => s + f.bytes, 0));

  const estimate = await page.evaluate(() => window.rerankWeb.storageEstimate());
  expect(estimate!.usage).toBeGreaterThan(0);
  expect(estimate!.quota).toBeGreaterThan(estimate!.usage);

  expect(await page.evaluate((m) => window.rerankWeb.clearCachedModels(m), TINY)).toBe(4);
  expect((await page.evaluate(() => window.rerankWeb.listCachedModels())).map((m) => m.model)).toEqual(['rerank-web-test/lexical-oracle']);
  await page.evaluate(() => window.rerankWeb.clearCachedModels());
  expect(await page.evaluate(() => window.rerankWeb.listCachedModels())).toEqual([]);
});

test('after the first load, the model loads and reranks with its source unreachable', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(() => window.rerankWeb.clearCachedModels());
  await mustLoad(page, { model: TINY, device: 'wasm' });
  // Cut the model source off, as a plane or a dead hub would, and come back.
  let blocked = 0;
  await page.context().route(`${HUB}/**`, (route) => (blocked++, route.abort('internetdisconnected')));
  await page.reload();
  await page.waitForFunction(() => window.harnessReady === true);
  const info = await mustLoad(page, { model: TINY, device: 'wasm' });
  expect(info.fromCache).toBe(true);
  const scores = await page.evaluate(() => (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker.score('cats', ['cats', 'soup']));
  expect(scores).toHaveLength(2);
  expect(blocked).toBe(0); // not even tried
});
