import { expect, test } from '@playwright/test';
import { mustLoad, openHarness, score, TINY } from './support/page.ts';

test('wasm smoke', async ({ page }) => {
  page.on('console', (m) => console.log('[page]', m.text()));
  page.context().on('requestfinished', async (r) => { const res = await r.response(); if (res && res.status() >= 400) console.log('404', r.url()); });
  page.context().on('requestfailed', (r) => console.log('failed', r.url()));
  await openHarness(page);
  const info = await mustLoad(page, { model: TINY, device: 'wasm' });
  console.log(info);
  const s = await score(page, 'cats and dogs', ['cats and dogs', 'soup', '']);
  console.log(s);
  expect(s.ok).toBe(true);
});
