// The demo site as a visitor uses it, on the generated models (pointed at through URL parameters).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import { PORTS } from '../playwright.config.ts';
import { HUB, MINILM, TINY } from './support/page.ts';
import { openDemo } from './support/demo.ts';
import { modelAvailable } from './support/reference.ts';
import { SCIFACT } from './support/texts.ts';

/** Screenshots go to the test artefacts; RERANK_UPDATE_DOCS=1 also refreshes the README's copies in docs/. */
async function shoot(page: Page, name: string): Promise<void> {
  const buf = await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: false });
  if (process.env.RERANK_UPDATE_DOCS === '1') {
    fs.mkdirSync('docs', { recursive: true });
    fs.writeFileSync(`docs/${name}.png`, buf);
  }
}

const ORACLE = 'rerank-web-test/lexical-oracle';

for (const [name, viewport] of [['demo-desktop', { width: 1280, height: 900 }], ['demo-phone', { width: 390, height: 844 }]] as const) {
  test(`a query shows first-stage results, then the reranked list with device and timings (${name})`, async ({ page }) => {
    // On the lexical oracle, whose order means something (the share of the query's words a document holds), so the
    // README's screenshot shows reranking that can be explained; its caption says which model it is.
    await page.setViewportSize(viewport);
    const origins = new Set<string>();
    page.context().on('request', (r) => origins.add(new URL(r.url()).origin));
    await openDemo(page, ORACLE);
    // 'auto' on SwiftShader, a software adapter, runs on WASM and says why (issue 24).
    await expect(page.locator('#device-pill')).toContainText('WASM');
    await expect(page.locator('#fallback')).toContainText('software (fallback) adapter');
    await expect(page.locator('#model-note')).toContainText('lexical oracle, not a neural reranker');
    // A sample query on which the oracle re-orders BM25's top results (five content words, graded by how many a
    // document holds), so the screenshot shows movement with a reason.
    await page.locator('#query').fill('best way to brew coffee without bitterness');
    // The first stage answers at once, then the reranker re-orders and says what it cost.
    // (The oracle is fast: the BM25 line may already have given way to the reranked one.)
    await expect(page.locator('#search-status')).toContainText(/BM25|Reranked the top/);
    await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 60_000 });
    const results = page.locator('#results li');
    expect(await results.count()).toBeGreaterThan(10);
    await expect(results.first().locator('.badge.score')).toHaveText(/reranker 0\.\d{3}/);
    await expect(results.first().locator('.badge.bm25')).toHaveText(/BM25 \d/);
    await expect(results.first().locator('.move')).toHaveText(/▲|▼|—/);
    // Graded scores move documents: the top result came up from below (the old oracle scored every document 1.000).
    await expect(results.first().locator('.move.up')).toBeVisible();
    await expect(page.locator('#cost')).toContainText('docs/s');
    // Wall time and ORT's summed time are told apart.
    await expect(page.locator('#cost')).toContainText('Wall time');
    await expect(page.locator('#cost')).toContainText('ORT time');
    await expect(page.locator('#info')).toContainText('WASM');
    await shoot(page, name);
    // Nothing but the page itself and the model source was contacted.
    expect([...origins].filter((o) => o !== new URL(page.url()).origin && o !== HUB)).toEqual([]);
  });
}

test('offline: a model that cannot be fetched names the host, and one click loads the local test model', async ({ page }) => {
  // Nothing listens on this port: the same failure as an unreachable hub.
  const dead = `http://127.0.0.1:${PORTS.hub - 2}`;
  await page.goto(`/?model=${encodeURIComponent(TINY)}&hub=${encodeURIComponent(dead)}&localhub=${encodeURIComponent(HUB)}&device=wasm`);
  await expect(page.locator('#device-pill')).toHaveText('Model failed to load', { timeout: 60_000 });
  const failure = page.locator('#load-failure');
  await expect(failure).toContainText(`could not be fetched from ${new URL(dead).host}`);
  await expect(failure).toContainText('MODEL_FETCH_FAILED');
  // The recipe link resolves (the build ships docs/demo.md), and points at its offline section.
  const href = await failure.locator('a').getAttribute('href');
  expect(href).toBe('./docs/demo.md#offline');
  expect((await page.request.get(new URL(href!, page.url()).href)).status()).toBe(200);
  await failure.locator('#use-local-model').click();
  await expect(page.locator('#device-pill')).toHaveText(/^Ready/, { timeout: 60_000 });
  await expect(page).toHaveURL(/model=rerank-web-test%2Flexical-oracle/);
  await expect(page.locator('#model-note')).toBeVisible();
  await expect(failure).toBeHidden();
  await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 60_000 });
});

test('a listwise setting in the URL is ignored for a cross-encoder, and the pill says so', async ({ page }) => {
  // mode=listwise means something only to decoder rerankers; a shared link must not break a cross-encoder.
  await openDemo(page, TINY, '&device=wasm&mode=listwise');
  await expect(page.locator('#device-pill')).toContainText('listwise ignored (cross-encoder)');
  await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 60_000 });
});

test('typing three queries quickly leaves the results of the last one only', async ({ page }) => {
  // A slow rerank (the MiniLM shape, fp32 on WASM, K=200) so that the earlier ones are still running when cancelled.
  const model = modelAvailable(MINILM) ? MINILM : TINY;
  await openDemo(page, model, '&device=wasm&dtype=fp32&k=200');
  const q = page.locator('#query');
  for (const text of ['coffee espresso', 'river delta sediment', 'cats sleep']) {
    await q.fill(text);
    await page.waitForTimeout(400); // past the 120 ms debounce: each query really starts a rerank
  }
  await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 90_000 });
  const texts = async () => page.locator('#results li').allTextContents();
  const final = await texts();
  expect(final.length).toBeGreaterThan(0);
  // BM25 OR-matching: every document of the last query mentions one of its words; none was left from the others.
  for (const t of final) expect(t.toLowerCase()).toMatch(/cat|sleep/);
  await page.waitForTimeout(3000);
  expect(await texts()).toEqual(final); // no stale rerank lands afterwards
});

test('a dropped JSONL file with a hostile document renders it as text', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => (dialogs++, void d.dismiss()));
  await openDemo(page);
  await page.locator('#corpus-select').selectOption('file');
  const jsonl = [{ _id: 'x', title: 'Evil <img src=x onerror=alert(1)>', text: '<script>alert(1)</script> hostile script text' }, { _id: 'y', text: 'a harmless script about cats' }]
    .map((d) => JSON.stringify(d)).join('\n');
  // A real drop event with a File in its DataTransfer, as the browser sends it.
  await page.evaluate((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], 'evil.jsonl', { type: 'application/x-ndjson' }));
    document.getElementById('drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, jsonl);
  await expect(page.locator('#corpus-count')).toHaveText(/^2 documents/);
  await page.locator('#query').fill('script');
  await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 60_000 });
  await expect(page.locator('#results')).toContainText('<script>alert(1)</script> hostile script text');
  await expect(page.locator('#results')).toContainText('Evil <img src=x onerror=alert(1)>');
  expect(await page.locator('#results script, #results img').count()).toBe(0);
  expect(dialogs).toBe(0);
});

test('axe-core finds no serious or critical accessibility violations', async ({ page }) => {
  await openDemo(page);
  await page.locator('#query').fill('cats and dogs');
  await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 60_000 });
  await page.locator('#settings-box summary').click();
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) console.log(`${v.impact}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(bad).toEqual([]);
});

test('a BEIR folder: one query shows its nDCG@10, and several are evaluated at once', async ({ page }) => {
  test.skip(!fs.existsSync(SCIFACT), `needs ${SCIFACT} (BEIR SciFact from ../shared)`);
  // WASM: SciFact abstracts are long, and WebGPU here is SwiftShader; the test is about the evaluation, not the device.
  await openDemo(page, TINY, '&device=wasm');
  await page.locator('#corpus-select').selectOption('beir:scifact');
  await expect(page.locator('#corpus-count')).toContainText('5,183 documents', { timeout: 30_000 });
  await page.locator('#beir-run').click();
  await expect(page.locator('#beir-result')).toContainText(/nDCG@10 for this query: BM25 \d\.\d{3} → reranked \d\.\d{3} · first-stage recall@50 \d\.\d{3}/, { timeout: 60_000 });
  await page.locator('#beir-count').fill('3');
  await page.locator('#beir-all').click();
  await expect(page.locator('#beir-result')).toContainText(/nDCG@10 over 3 of 3 queries: BM25 \d\.\d{3} → reranked \d\.\d{3} · first-stage recall@50 \d\.\d{3}/, { timeout: 90_000 });
});

test('the first-stage switch: standard BM25 by default, the classic set-up on demand, in the URL', async ({ page }) => {
  test.skip(!fs.existsSync(SCIFACT), `needs ${SCIFACT} (BEIR SciFact from ../shared)`);
  await openDemo(page, TINY, '&device=wasm&k=10');
  await expect(page.locator('#first-stage')).toHaveValue('standard');
  await page.locator('#corpus-select').selectOption('beir:scifact');
  await expect(page.locator('#corpus-count')).toContainText('5,183 documents', { timeout: 30_000 });
  // SciFact's first judged query, "0-dimensional biomaterials show inductive properties.": stemming ("inductive",
  // "properties") and stop words change which ten abstracts reach the reranker, so the two lists must differ.
  await page.locator('#beir-run').click();
  await expect(page.locator('#beir-result')).toContainText('first-stage recall@10', { timeout: 60_000 });
  await expect(page.locator('#search-status')).toContainText('Reranked the top 10', { timeout: 60_000 });
  const standard = (await page.locator('#results li').allInnerTexts()).map((t) => t.split('\n')[0]).sort();
  await page.locator('#first-stage').selectOption('classic');
  await expect(page).toHaveURL(/[?&]stage=classic/);
  await expect(page.locator('#search-status')).toContainText('Reranked the top 10', { timeout: 60_000 });
  await expect(page.locator('#beir-result')).toContainText('first-stage recall@10');
  const classic = (await page.locator('#results li').allInnerTexts()).map((t) => t.split('\n')[0]).sort();
  expect(classic).toHaveLength(10);
  expect(classic).not.toEqual(standard);
});

test('a decoder reranker in the demo: pointwise by default, listwise from the settings, in the URL', async ({ page }) => {
  const oracle = 'rerank-web-test/decoder-oracle';
  test.skip(!modelAvailable(oracle), `${oracle} was not generated (npm run models)`);
  await openDemo(page, oracle, '&device=wasm&k=10');
  await expect(page.locator('#device-pill')).toContainText('pointwise', { timeout: 60_000 });
  await page.locator('#query').fill('cats sleep');
  await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 60_000 });
  // Guards the switch end to end: the settings form reloads the model in listwise mode and says so.
  await page.locator('#settings-box summary').click();
  await page.locator('#s-mode').selectOption('listwise');
  await page.locator('#settings button[type=submit]').click();
  await expect(page).toHaveURL(/[?&]mode=listwise/);
  await expect(page.locator('#device-pill')).toContainText('listwise', { timeout: 60_000 });
  await page.locator('#query').fill('cats sleep all day');
  await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 60_000 });
  expect(await page.locator('#results li').count()).toBeGreaterThan(0);
});
