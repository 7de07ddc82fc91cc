// Which way the deployable demo runs on a host without headers (GitHub Pages): single-threaded, or cross-origin
// isolated through its service worker (one reload). Measured on the demo's sample corpus and first sample query,
// top 50 reranked, MiniLM-L6's shape at its 'auto' WASM dtype (q8), in interleaved rounds; docs/demo.md quotes the
// result. A measurement, not a check: it runs with RERANK_MEASURE_COI=1 only.
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { PORTS } from '../playwright.config.ts';
import { HUB, MINILM, TINY } from './support/page.ts';
import { modelAvailable } from './support/reference.ts';

const ROUNDS = Number(process.env.RERANK_ROUNDS ?? 5);

test('docs/s on a static host without headers: service worker (threads) against single-thread', async ({ browser }) => {
  test.skip(process.env.RERANK_MEASURE_COI !== '1', 'a measurement: set RERANK_MEASURE_COI=1 to run it');
  test.skip(!fs.existsSync('dist/index.html'), 'dist/ is not built: run `npm run build`');
  test.setTimeout(1_800_000);
  const model = modelAvailable(MINILM) ? MINILM : TINY;
  const server = spawn('node', ['e2e/support/static-host.mjs', 'dist', String(PORTS.staticHost)], { stdio: 'inherit' });
  try {
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${PORTS.staticHost}/`).catch(() => null))?.status, { timeout: 10_000 }).toBe(200);
    const run = async (coi: boolean): Promise<{ docsPerS: number; device: string }> => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${PORTS.staticHost}/?${coi ? '' : 'coi=0&'}model=${encodeURIComponent(model)}&hub=${encodeURIComponent(HUB)}&device=wasm`);
      await expect(page.locator('#device-pill')).toHaveText(/^Ready/, { timeout: 120_000 });
      await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 120_000 });
      // The second run of the same query: warm, as a visitor's every query after the first.
      await page.locator('#query').fill('how do I get my cat and dog to live together');
      await page.locator('#query').press('Enter');
      await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 120_000 });
      const docsPerS = Number(/([\d.]+) docs\/s/.exec(await page.locator('#cost').innerText())![1]);
      const device = (await page.locator('#info dd').first().innerText()).trim();
      await context.close();
      return { docsPerS, device };
    };
    const seen: Record<'sw' | 'single', number[]> = { sw: [], single: [] };
    const devices = new Set<string>();
    for (let r = 0; r < ROUNDS; r++) {
      // Interleaved, the order alternating, so that drift in the machine's load falls on both alike.
      for (const coi of r % 2 === 0 ? [true, false] : [false, true]) {
        const x = await run(coi);
        seen[coi ? 'sw' : 'single'].push(x.docsPerS);
        devices.add(x.device);
      }
    }
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    const fmt = (a: number[]) => `${med(a).toFixed(1)} [${Math.min(...a).toFixed(1)}-${Math.max(...a).toFixed(1)}]`;
    const ratios = seen.sw.map((s, i) => s / seen.single[i]!);
    console.log(`[coi] ${model}, ${ROUNDS} rounds, docs/s median [min-max]: service worker ${fmt(seen.sw)}, single-thread ${fmt(seen.single)}; ratio per round ${fmt(ratios)}x`);
    console.log(`[coi] devices: ${[...devices].join(' | ')}`);
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync('test-results/coi-speed.json', JSON.stringify({ model, rounds: ROUNDS, seen, ratios, devices: [...devices] }, null, 2));
  } finally {
    server.kill();
  }
});
