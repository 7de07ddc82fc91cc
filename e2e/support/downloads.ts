// Helpers for the download and storage specs: a load that records its progress events (with wall-clock times), the
// hub stand-in's serving mode, and the bytes it sent.
import type { Page } from '@playwright/test';
import type { ProgressEvent, RerankerInfo, RerankerOptions } from '../../src/index.ts';
import { HUB } from './page.ts';

export type TimedEvent = ProgressEvent & { t: number };
export type Loaded = { ok: true; info: RerankerInfo; events: TimedEvent[] } | { ok: false; code: string; message: string; events: TimedEvent[] };

/** createReranker in the page with every progress event kept; the reranker stays as window.reranker. */
export async function loadWithEvents(page: Page, options: Omit<RerankerOptions, 'onProgress' | 'signal' | 'createWorker'>): Promise<Loaded> {
  return page.evaluate(async (o) => {
    const events: TimedEvent[] = [];
    try {
      const r = await window.rerankWeb.createReranker({ ...o, onProgress: (e) => events.push({ ...e, t: Date.now() }) });
      (window as unknown as { reranker: unknown }).reranker = r;
      // Progress events travel apart from the load's answer: wait for the last one.
      for (let i = 0; i < 100 && !events.some((e) => e.status === 'ready'); i++) await new Promise((res) => setTimeout(res, 50));
      return { ok: true as const, info: r.info, events };
    } catch (e) {
      const err = e as { code?: string; message: string };
      return { ok: false as const, code: err.code ?? 'NO_CODE', message: err.message, events };
    }
  }, { hubUrl: HUB, ...options });
}

/** Sets how the stand-in serves ONNX files (cuts, noRange, declare, etagSuffix); none: back to normal. */
export async function hubMode(page: Page, q: Record<string, string> | null): Promise<void> {
  const qs = q ? '?' + new URLSearchParams(q).toString() : '';
  await page.request.fetch(`${HUB}/__mode${qs}`, { method: q ? 'PUT' : 'DELETE' });
}

export interface Sent { url: string; status: number; bytes: number; range?: number | null }

export async function hubSent(page: Page, reset = false): Promise<Sent[]> {
  return (await (await page.request.fetch(`${HUB}/__sent`, { method: reset ? 'DELETE' : 'GET' })).json()) as Sent[];
}

export async function scoreInPage(page: Page, query: string, docs: string[]): Promise<number[]> {
  return page.evaluate(([q, d]) => (window as unknown as { reranker: import('../../src/index.ts').Reranker }).reranker.score(q, d), [query, docs] as const);
}

export async function disposeInPage(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { reranker?: import('../../src/index.ts').Reranker }).reranker?.dispose());
}
