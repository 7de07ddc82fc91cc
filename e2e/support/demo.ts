// Opening the demo on a generated model, served by the hub stand-in.
import { expect, type Page } from '@playwright/test';
import { HUB, TINY } from './page.ts';

const demoUrl = (model = TINY, extra = '') => `/?model=${encodeURIComponent(model)}&hub=${encodeURIComponent(HUB)}${extra}`;

export async function openDemo(page: Page, model = TINY, extra = ''): Promise<void> {
  await page.goto(demoUrl(model, extra));
  await expect(page.locator('#device-pill')).toHaveText(/^Ready/, { timeout: 60_000 });
}

