// The demo in a browser without WebGPU: Chromium without --enable-unsafe-webgpu has no adapter (in the page and in
// the worker), and the page also loses navigator.gpu.
import { expect, test } from '@playwright/test';
import config from '../playwright.config.ts';
import { openDemo } from './support/demo.ts';

const launch = config.use?.launchOptions ?? {};
test.use({ launchOptions: { ...launch, args: (launch.args ?? []).filter((a) => a !== '--enable-unsafe-webgpu') } });

test('the demo still works on WASM and shows that it fell back, and why', async ({ page }) => {
  await page.addInitScript(() => delete (Object.getPrototypeOf(navigator) as { gpu?: unknown }).gpu);
  await openDemo(page);
  await expect(page.locator('#device-pill')).toContainText('WASM');
  await expect(page.locator('#fallback')).toBeVisible();
  await expect(page.locator('#fallback')).toContainText(/instead of WebGPU: .*(requestAdapter|navigator\.gpu)/);
  await page.locator('#query').fill('coffee');
  await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 60_000 });
});
