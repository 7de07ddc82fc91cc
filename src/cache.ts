// The model cache as the page sees it: what is there, how big, the browser's storage estimate, and clearing.
// The worker fills the cache (workers/backend/model-files.ts); both realms share the origin's Cache Storage.
import { CACHE_HEADERS, MODEL_CACHE_NAME } from './core/model-policy.ts';

export interface CachedFile {
  file: string;
  url: string;
  bytes: number;
}

export interface CachedModel {
  model: string;
  files: CachedFile[];
  bytes: number;
}

async function open(): Promise<Cache | null> {
  if (typeof caches === 'undefined') return null;
  try {
    return await caches.open(MODEL_CACHE_NAME);
  } catch {
    return null;
  }
}

/** The cached models, largest first. */
export async function listCachedModels(): Promise<CachedModel[]> {
  const cache = await open();
  if (!cache) return [];
  const byModel = new Map<string, CachedModel>();
  for (const req of await cache.keys()) {
    const res = await cache.match(req);
    if (!res) continue;
    const model = res.headers.get(CACHE_HEADERS.model) ?? new URL(req.url).pathname;
    const declared = Number(res.headers.get(CACHE_HEADERS.size));
    const bytes = Number.isFinite(declared) && declared > 0 ? declared : (await res.arrayBuffer()).byteLength;
    const entry = byModel.get(model) ?? { model, files: [], bytes: 0 };
    entry.files.push({ file: res.headers.get(CACHE_HEADERS.file) ?? req.url, url: req.url, bytes });
    entry.bytes += bytes;
    byModel.set(model, entry);
  }
  return [...byModel.values()].sort((a, b) => b.bytes - a.bytes);
}

/** Removes one model's files, or every cached model; returns how many files were removed. */
export async function clearCachedModels(model?: string): Promise<number> {
  const cache = await open();
  if (!cache) return 0;
  let removed = 0;
  for (const req of await cache.keys()) {
    const res = model === undefined ? null : await cache.match(req);
    if (model === undefined || res?.headers.get(CACHE_HEADERS.model) === model) {
      if (await cache.delete(req)) removed++;
    }
  }
  return removed;
}

/** The browser's own figures for this origin's storage (all of it, not only models), where it gives them. */
export async function storageEstimate(): Promise<{ usage: number; quota: number } | null> {
  const est = await navigator.storage?.estimate?.().catch(() => null);
  return est && typeof est.usage === 'number' && typeof est.quota === 'number' ? { usage: est.usage, quota: est.quota } : null;
}
