// The model cache as the page sees it: what is there, how big, the browser's storage estimate, and clearing.
// The worker fills it (workers/backend/storage.ts): the Origin Private File System where the worker has synchronous
// file handles, else the Cache API; both realms share the origin's storage, and the page reads and clears both.
import { CACHE_HEADERS, MODEL_CACHE_NAME, MODEL_DIR_NAME, type StoredEntryMeta } from './core/model-policy.ts';

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

async function openDir(): Promise<FileSystemDirectoryHandle | null> {
  try {
    return await navigator.storage.getDirectory().then((root) => root.getDirectoryHandle(MODEL_DIR_NAME));
  } catch {
    return null; // never written, or no OPFS here
  }
}

/** OPFS entries: each `<key>.json` with the name of its `<key>.bin`. */
async function opfsEntries(dir: FileSystemDirectoryHandle): Promise<{ key: string; meta: StoredEntryMeta }[]> {
  const out: { key: string; meta: StoredEntryMeta }[] = [];
  for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) {
    if (!name.endsWith('.json')) continue;
    const meta = await dir.getFileHandle(name).then((h) => h.getFile()).then((f) => f.text()).then((t) => JSON.parse(t) as StoredEntryMeta).catch(() => null);
    if (meta) out.push({ key: name.slice(0, -'.json'.length), meta });
  }
  return out;
}

/** The cached models, largest first. */
export async function listCachedModels(): Promise<CachedModel[]> {
  const byModel = new Map<string, CachedModel>();
  const add = (model: string, file: CachedFile) => {
    const entry = byModel.get(model) ?? { model, files: [], bytes: 0 };
    entry.files.push(file);
    entry.bytes += file.bytes;
    byModel.set(model, entry);
  };
  const dir = await openDir();
  for (const { meta } of dir ? await opfsEntries(dir) : []) add(meta.model, { file: meta.file, url: meta.url, bytes: meta.size });
  const cache = await open();
  for (const req of cache ? await cache.keys() : []) {
    const res = await cache!.match(req);
    if (!res) continue;
    const model = res.headers.get(CACHE_HEADERS.model) ?? new URL(req.url).pathname;
    const declared = Number(res.headers.get(CACHE_HEADERS.size));
    const bytes = Number.isFinite(declared) && declared > 0 ? declared : (await res.arrayBuffer()).byteLength;
    add(model, { file: res.headers.get(CACHE_HEADERS.file) ?? req.url, url: req.url, bytes });
  }
  return [...byModel.values()].sort((a, b) => b.bytes - a.bytes);
}

/** Removes one model's files, or every cached model; returns how many files were removed. */
export async function clearCachedModels(model?: string): Promise<number> {
  let removed = 0;
  const dir = await openDir();
  for (const { key, meta } of dir ? await opfsEntries(dir) : []) {
    if (model !== undefined && meta.model !== model) continue;
    await dir!.removeEntry(`${key}.json`);
    await dir!.removeEntry(`${key}.bin`).catch(() => {});
    removed++;
  }
  const cache = await open();
  if (!cache) return removed;
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
