// Where model files are kept between visits: the Cache API (chosen by measurement against the Origin Private File
// System, docs/models.md). An entry is used only when its size matches the size stored with it, and its sha256 where
// one was stored; a write that would not fit, or that the browser refuses, is reported instead of swallowed.
import { storageFit } from '../../src/core/download-policy.ts';
import { CACHE_HEADERS, MODEL_CACHE_NAME } from '../../src/core/model-policy.ts';

/** Whether a file is kept for the next visit, and why not. */
export interface KeepNote {
  kept: boolean;
  reason: string | null;
}

export interface StoredMeta {
  model: string;
  file: string;
  contentType: string;
  /** Lowercase hex, when the source stated one or the file was pinned. */
  sha256: string | null;
}

export interface Store {
  /** The cached file, or null when absent or not intact (then removed). */
  read(url: string): Promise<Uint8Array | null>;
  write(url: string, bytes: Uint8Array, meta: StoredMeta): Promise<KeepNote>;
  remove(url: string): Promise<void>;
}

export async function openStore(enabled: boolean): Promise<{ store: Store | null; reason: string | null }> {
  if (!enabled) return { store: null, reason: 'the cache option is off' };
  if (typeof caches === 'undefined') return { store: null, reason: 'this context has no Cache API (an insecure origin?)' };
  try {
    return { store: cacheStore(await caches.open(MODEL_CACHE_NAME)), reason: null };
  } catch (e) {
    // Opaque origins and some private modes refuse the Cache API: load without it.
    return { store: null, reason: `the browser refused the Cache API (${(e as Error).name}: ${(e as Error).message})` };
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function estimate(): Promise<{ usage: number; quota: number } | null> {
  const est = await navigator.storage?.estimate?.().catch(() => null);
  return est && typeof est.usage === 'number' && typeof est.quota === 'number' ? { usage: est.usage, quota: est.quota } : null;
}

function cacheStore(cache: Cache): Store {
  const remove = async (url: string) => void (await cache.delete(url).catch(() => false));
  return {
    remove,
    async read(url) {
      const hit = await cache.match(url).catch(() => undefined);
      if (!hit) return null;
      const size = Number(hit.headers.get(CACHE_HEADERS.size) ?? NaN);
      const bytes = new Uint8Array(await hit.arrayBuffer().catch(() => new ArrayBuffer(0)));
      // An entry without its size, or of another size, is partial or damaged: never used.
      const sha = hit.headers.get(CACHE_HEADERS.sha256);
      if (!Number.isFinite(size) || bytes.byteLength !== size || (sha && (await sha256Hex(bytes)) !== sha)) {
        await remove(url);
        return null;
      }
      return bytes;
    },
    async write(url, bytes, meta) {
      const fit = storageFit(bytes.byteLength, await estimate());
      if (!fit.keep) return { kept: false, reason: fit.reason };
      const headers: Record<string, string> = {
        'content-type': meta.contentType, [CACHE_HEADERS.model]: meta.model, [CACHE_HEADERS.file]: meta.file, [CACHE_HEADERS.size]: String(bytes.byteLength),
      };
      if (meta.sha256) headers[CACHE_HEADERS.sha256] = meta.sha256;
      try {
        await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
        return { kept: true, reason: null };
      } catch (e) {
        await remove(url); // nothing half-written stays behind
        const err = e as Error;
        return { kept: false, reason: `the browser refused to store it (${err.name}: ${err.message})` };
      }
    },
  };
}

/** navigator.storage.persisted() (workers can read it; only a page can ask for it), or null where unknown. */
export async function persisted(): Promise<boolean | null> {
  const v = await navigator.storage?.persisted?.().catch(() => null);
  return typeof v === 'boolean' ? v : null;
}
