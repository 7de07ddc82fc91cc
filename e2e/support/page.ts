// Helpers for driving the harness page: the public API runs in the page, results come back as plain data.
import type { Page } from '@playwright/test';
import type { RerankerInfo, RerankerOptions } from '../../src/index.ts';
import { PORTS } from '../../playwright.config.ts';

export const HUB = `http://127.0.0.1:${PORTS.hub}`;
export const TINY = 'rerank-web-test/tiny-bert';
export const TINYBERT = 'rerank-web-test/ms-marco-TinyBERT-L-2-v2';
export const MINILM = 'rerank-web-test/ms-marco-MiniLM-L-6-v2';

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; message: string; details: Record<string, unknown> };

export async function openHarness(page: Page, opts: { isolated?: boolean } = {}): Promise<void> {
  const base = opts.isolated === false ? `http://127.0.0.1:${PORTS.siteNoIsolation}` : '';
  await page.goto(`${base}/e2e/harness.html`);
  await page.waitForFunction(() => window.harnessReady === true);
}

type LoadOptions = Omit<RerankerOptions, 'onProgress' | 'signal' | 'createWorker'>;

/** createReranker in the page; the reranker stays there as window.reranker. */
export async function load(page: Page, options: LoadOptions): Promise<Outcome<RerankerInfo>> {
  return page.evaluate(async (o) => {
    try {
      const r = await window.rerankWeb.createReranker(o);
      (window as unknown as { reranker: unknown }).reranker = r;
      return { ok: true as const, value: r.info };
    } catch (e) {
      const err = e as { code?: string; message: string; details?: Record<string, unknown> };
      return { ok: false as const, code: err.code ?? 'NO_CODE', message: err.message, details: err.details ?? {} };
    }
  }, { hubUrl: HUB, ...options });
}

export async function mustLoad(page: Page, options: LoadOptions): Promise<RerankerInfo> {
  const r = await load(page, options);
  if (!r.ok) throw new Error(`load failed: ${r.code}: ${r.message}`);
  return r.value;
}

/** reranker.score(query, docs) in the page. */
export async function score(page: Page, query: string, docs: unknown[]): Promise<Outcome<number[]>> {
  return page.evaluate(async ([q, d]) => {
    try {
      const r = (window as unknown as { reranker: import('../../src/index.ts').Reranker }).reranker;
      return { ok: true as const, value: await r.score(q as string, d as unknown[]) };
    } catch (e) {
      const err = e as { code?: string; message: string; details?: Record<string, unknown> };
      return { ok: false as const, code: err.code ?? 'NO_CODE', message: err.message, details: err.details ?? {} };
    }
  }, [query, docs] as const);
}
