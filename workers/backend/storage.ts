// Where model files are kept between visits: the Origin Private File System, chosen by measurement against the Cache
// API (docs/models.md: a 300 MB file is written and read several times faster, and written without a copy in the
// worker); the Cache API where OPFS's synchronous handles are missing. An entry is used only when its size matches the
// size stored with it, and its sha256 where one was stored; a write that would not fit, or that the browser refuses, is
// reported instead of swallowed.
import { storageFit } from '../../src/core/download-policy.ts';
import { CACHE_HEADERS, MODEL_CACHE_NAME, MODEL_DIR_NAME, type StoredEntryMeta } from '../../src/core/model-policy.ts';

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
  const opfs = await openOpfs().catch(() => null);
  if (opfs) return { store: opfs, reason: null };
  if (typeof caches === 'undefined') return { store: null, reason: 'this context has neither the Origin Private File System nor the Cache API (an insecure origin?)' };
  try {
    return { store: cacheStore(await caches.open(MODEL_CACHE_NAME)), reason: null };
  } catch (e) {
    // Opaque origins and some private modes refuse storage: load without it.
    return { store: null, reason: `the browser refused the Cache API (${(e as Error).name}: ${(e as Error).message})` };
  }
}

type SyncHandle = {
  read(b: Uint8Array, o: { at: number }): number;
  write(b: Uint8Array, o: { at: number }): number;
  truncate(n: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
};
type WithSync = FileSystemFileHandle & { createSyncAccessHandle?: () => Promise<SyncHandle> };

/** An entry's file name: the sha256 of its URL (URLs hold characters a file name cannot). */
async function keyOf(url: string): Promise<string> {
  return (await sha256Hex(new TextEncoder().encode(url))).slice(0, 40);
}

/**
 * OPFS, in <MODEL_DIR_NAME>/: `<key>.bin` holds the bytes, `<key>.json` the StoredEntryMeta, written after the bytes
 * were flushed, so an entry without its .json (a write cut short) is never read, and is removed.
 */
async function openOpfs(): Promise<Store | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.getDirectory) return null;
  const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(MODEL_DIR_NAME, { create: true });
  const probe = (await dir.getFileHandle('.probe', { create: true })) as WithSync;
  if (typeof probe.createSyncAccessHandle !== 'function') return null; // only dedicated workers have them
  const remove = async (url: string) => {
    const key = await keyOf(url);
    for (const f of [`${key}.json`, `${key}.bin`]) await dir.removeEntry(f).catch(() => {});
  };
  return {
    remove,
    async read(url) {
      const key = await keyOf(url);
      const meta = await dir.getFileHandle(`${key}.json`).then((h) => h.getFile()).then((f) => f.text()).then((t) => JSON.parse(t) as StoredEntryMeta).catch(() => null);
      if (!meta || meta.url !== url) {
        if (!meta) await dir.removeEntry(`${key}.bin`).catch(() => {}); // bytes whose write never finished
        return null;
      }
      let bytes: Uint8Array | null = null;
      try {
        const h = await ((await dir.getFileHandle(`${key}.bin`)) as WithSync).createSyncAccessHandle!();
        try {
          // Straight into one buffer of the stored size: no copy beside it.
          const size = h.getSize();
          if (size === meta.size) {
            bytes = new Uint8Array(size);
            if (h.read(bytes, { at: 0 }) !== size) bytes = null;
          }
        } finally {
          h.close();
        }
      } catch {
        bytes = null; // missing, or locked by another worker reading it: treat as absent
      }
      if (!bytes || (meta.sha256 && (await sha256Hex(bytes)) !== meta.sha256)) {
        await remove(url);
        return null;
      }
      return bytes;
    },
    async write(url, bytes, m) {
      const fit = storageFit(bytes.byteLength, await estimate());
      if (!fit.keep) return { kept: false, reason: fit.reason };
      const key = await keyOf(url);
      try {
        await dir.removeEntry(`${key}.json`).catch(() => {});
        const h = await ((await dir.getFileHandle(`${key}.bin`, { create: true })) as WithSync).createSyncAccessHandle!();
        try {
          h.truncate(0);
          const n = h.write(bytes, { at: 0 });
          if (n !== bytes.byteLength) throw shortWrite(n, bytes.byteLength);
          h.flush();
        } finally {
          h.close();
        }
        const meta: StoredEntryMeta = { url, model: m.model, file: m.file, size: bytes.byteLength, sha256: m.sha256, contentType: m.contentType };
        const w = await (await dir.getFileHandle(`${key}.json`, { create: true })).createWritable();
        await w.write(JSON.stringify(meta));
        await w.close();
        return { kept: true, reason: null };
      } catch (e) {
        await remove(url); // nothing half-written stays behind
        const err = e as Error;
        return { kept: false, reason: `the browser refused to store it (${err.name}: ${err.message})` };
      }
    },
  };
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function estimate(): Promise<{ usage: number; quota: number } | null> {
  const est = await navigator.storage?.estimate?.().catch(() => null);
  return est && typeof est.usage === 'number' && typeof est.quota === 'number' ? { usage: est.usage, quota: est.quota } : null;
}

/**
 * A sync write that stopped short. Chromium 156 returns a negative base::File::Error as an unsigned count instead of
 * throwing when the quota refuses the write (seen: 2^32 - 8, FILE_ERROR_NO_SPACE, under a DevTools quota override).
 */
function shortWrite(n: number, size: number): Error {
  const code = n > size ? n - 2 ** 32 : null;
  const e = new Error(code === -8 ? `no space left in this origin's quota (file error ${code})` : `wrote ${n} of ${size} bytes`);
  e.name = code === -8 ? 'QuotaExceededError' : 'ShortWrite';
  return e;
}

/** The Cache API, where OPFS's synchronous handles are missing. */
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
