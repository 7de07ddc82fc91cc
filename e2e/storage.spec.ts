// Storage that speaks: a model the quota cannot keep still loads, and info.storage and a 'not-cached' progress event
// say so and why; a partial or corrupt cache entry is never used. Chromium's DevTools protocol shrinks the quota.
import { createHash } from 'node:crypto';
import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { HUB, openHarness, TINY } from './support/page.ts';
import { loadWithEvents, scoreInPage } from './support/downloads.ts';
import { PORTS } from '../playwright.config.ts';

const ORIGIN = `http://127.0.0.1:${PORTS.site}`;
const ONNX_URL = `${HUB}/${TINY}/resolve/main/onnx/model.onnx`;
const OPTS = { model: TINY, device: 'wasm' as const, dtype: 'fp32' as const };

/** Shrinks the origin's quota through the DevTools protocol; the override lasts while its session stays attached. */
async function setQuota(page: Page, quotaSize: number): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: ORIGIN, quotaSize });
  return cdp;
}

/** Loads TINY in a worker whose realm first runs `prelude`; returns info and the events other than byte progress. */
async function loadWithPrelude(page: Page, prelude: string) {
  return page.evaluate(async ([hubUrl, code]) => {
    const events: { status: string; file?: string; reason?: string }[] = [];
    const r = await window.rerankWeb.createReranker({
      hubUrl, model: 'rerank-web-test/tiny-bert', device: 'wasm', dtype: 'fp32',
      createWorker: () => window.harness.workerWithPrelude(code), onProgress: (e) => events.push(e),
    });
    (window as unknown as { reranker: unknown }).reranker = r;
    // Progress events travel apart from the load's answer: wait for the last one.
    for (let i = 0; i < 100 && !events.some((e) => e.status === 'ready'); i++) await new Promise((res) => setTimeout(res, 50));
    return { info: r.info, events: events.filter((e) => e.status !== 'download') };
  }, [HUB, prelude] as const);
}

/** sha256 (hex) of the file the worker keeps in OPFS for `url`. */
const storedSha256 = (page: Page, url: string) => page.evaluate(async (u) => {
  const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
  const key = hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(u))).slice(0, 40);
  const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('rerank-web-models-v1');
  return hex(await crypto.subtle.digest('SHA-256', await (await (await dir.getFileHandle(`${key}.bin`)).getFile()).arrayBuffer()));
}, url);

const cachedFiles = (page: Page) => page.evaluate(async () => (await window.rerankWeb.listCachedModels()).flatMap((m) => m.files.map((f) => f.file)).sort());

test.describe('storage', () => {
  test.beforeEach(async ({ page }) => {
    await openHarness(page);
    await page.evaluate(() => window.rerankWeb.clearCachedModels());
  });
  test.afterEach(async ({ page }) => {
    await page.evaluate(() => window.rerankWeb.clearCachedModels());
  });

  test('a model that fits is kept, and the next load takes it from the cache', async ({ page }) => {
    const first = await loadWithEvents(page, { ...OPTS, persistStorage: true });
    if (!first.ok) throw new Error(first.message);
    expect(first.info.storage).toMatchObject({ kept: true, reason: null });
    // The worker read navigator.storage.persisted() after the page asked: a yes or a no, never unknown in Chromium.
    expect(typeof first.info.storage.persisted).toBe('boolean');
    expect(first.events.filter((e) => e.status === 'not-cached')).toEqual([]);
    const second = await loadWithEvents(page, OPTS);
    if (!second.ok) throw new Error(second.message);
    expect(second.info.fromCache).toBe(true);
    expect(second.info.storage.kept).toBe(true);
  });

  test('a decoder\'s first visit keeps the file as it was sent, though the LM-head rewrite edits the download in place', async ({ page }) => {
    // The rewrite edits bytes in place once they are in the cache (no second copy of a model of hundreds of MB): the
    // download is written first. What is kept must still be the hub's file, byte for byte, and score the same.
    const model = 'rerank-web-test/tiny-qwen3-gqa';
    const url = `${HUB}/${model}/resolve/main/onnx/model_quantized.onnx`;
    const opts = { model, device: 'wasm' as const, dtype: 'q8' as const };
    const docs = ['a short document', 'another document about something else'];
    const first = await loadWithEvents(page, opts);
    if (!first.ok) throw new Error(first.message);
    expect(first.info).toMatchObject({ fromCache: false, storage: { kept: true }, lmHead: { pruned: true } });
    const firstScores = await scoreInPage(page, 'a query', docs);
    const served = createHash('sha256').update(await (await page.request.fetch(url)).body()).digest('hex');
    expect(await storedSha256(page, url)).toBe(served);
    const second = await loadWithEvents(page, opts);
    if (!second.ok) throw new Error(second.message);
    expect(second.info.fromCache).toBe(true);
    expect(await scoreInPage(page, 'a query', docs)).toEqual(firstScores);
  });

  test('navigator.storage.estimate() says it will not fit: the load succeeds, info and a progress event say why', async ({ page }) => {
    // Chromium's estimate() does not reflect a DevTools quota override (measured: it kept saying 10 GiB), so the
    // worker's estimate is set here: 2 MiB of quota, which leaves less than the 10 MiB margin storageFit keeps.
    const r = await loadWithPrelude(page, 'StorageManager.prototype.estimate = async () => ({ usage: 0, quota: 2 * 2 ** 20 });');
    expect(r.info.storage.kept).toBe(false);
    expect(r.info.storage.reason).toMatch(/quota: .* does not fit/);
    expect(r.events.filter((e) => e.status === 'not-cached').map((e) => e.file)).toContain('onnx/model.onnx');
    expect((await scoreInPage(page, 'cats', ['cats', 'soup'])).length).toBe(2);
    expect(await cachedFiles(page)).toEqual([]);
  });

  test('a write the browser refuses (QuotaExceededError, quota set by DevTools) is reported and leaves nothing behind', async ({ page }) => {
    const cdp = await setQuota(page, 64 * 1024);
    const r = await loadWithEvents(page, OPTS);
    await cdp.detach();
    if (!r.ok) throw new Error(r.message);
    // OPFS reserves room in steps larger than 64 KiB: every file is refused, the ONNX file among them.
    expect(r.info.storage.kept).toBe(false);
    expect(r.info.storage.reason).toMatch(/QuotaExceededError/);
    const onnx = r.events.find((e) => e.status === 'not-cached' && e.file === 'onnx/model.onnx');
    expect(onnx && 'reason' in onnx ? onnx.reason : '').toMatch(/refused to store it \(QuotaExceededError/);
    expect((await scoreInPage(page, 'cats', ['cats', 'soup'])).length).toBe(2);
    expect(await cachedFiles(page)).not.toContain('onnx/model.onnx');
  });

  for (const [what, damage] of [
    ['a partial entry (fewer bytes than its stored size)', 'truncate'],
    ['a corrupt entry (its bytes differ from the sha256 stored with it)', 'flip'],
  ] as const) {
    test(`${what} is never used: the file is fetched again`, async ({ page }) => {
      const first = await loadWithEvents(page, OPTS);
      if (!first.ok) throw new Error(first.message);
      await page.evaluate(async ([url, how]) => {
        // The worker keeps files in OPFS: rerank-web-models-v1/<first 40 hex digits of sha256(url)>.bin beside its .json.
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(url)));
        const key = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, 40);
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('rerank-web-models-v1');
        const handle = await dir.getFileHandle(`${key}.bin`);
        const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
        if (how === 'flip') bytes[bytes.length >> 1]! ^= 0xff;
        const w = await handle.createWritable();
        await w.write(how === 'truncate' ? bytes.slice(0, bytes.length >> 1) : bytes);
        await w.close();
      }, [ONNX_URL, damage] as const);
      const before = await (await page.request.fetch(`${HUB}/__requests`, { method: 'DELETE' })).json();
      expect(before).toBeDefined();
      const again = await loadWithEvents(page, OPTS);
      if (!again.ok) throw new Error(again.message);
      expect(again.info.fromCache).toBe(false);
      const requests = (await (await page.request.fetch(`${HUB}/__requests`)).json()) as string[];
      expect(requests).toContain(`/${TINY}/resolve/main/onnx/model.onnx`);
      // The damaged entry was replaced by an intact one.
      expect(again.info.storage.kept).toBe(true);
    });
  }
});
