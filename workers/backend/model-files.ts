// Fetches model files with byte progress, checks that each is what it claims to be, and keeps it in the Cache API.
// An entry is written only when the caller commits it, after the file was parsed and used (an ONNX file that ORT
// refuses is never cached); a cached entry that turns out broken is evicted.
import { httpFailure, requestFailedMessage } from '../../src/core/fetch-errors.ts';
import { CACHE_HEADERS, MODEL_CACHE_NAME } from '../../src/core/model-policy.ts';
import { RerankError } from '../../src/errors.ts';

export interface FetchFileOptions {
  url: string;
  /** The model this file belongs to, as the caller named it: stored with the cache entry for listing. */
  model: string;
  /** Path inside the model folder, named in errors and progress. */
  file: string;
  /** 'data': an ONNX graph's external-data file (raw tensor bytes, which may start with any byte). */
  kind: 'json' | 'onnx' | 'data';
  cache: boolean;
  signal?: AbortSignal;
  onProgress?: (loaded: number, total: number | null) => void;
}

export interface FetchedFile {
  bytes: Uint8Array;
  fromCache: boolean;
  /** Stores the file in the cache (no-op when it came from there or caching is off). */
  commit(): Promise<void>;
  /** Removes the file from the cache: it came from there and proved broken. */
  evict(): Promise<void>;
}

async function openCache(enabled: boolean): Promise<Cache | null> {
  if (!enabled || typeof caches === 'undefined') return null;
  try {
    return await caches.open(MODEL_CACHE_NAME);
  } catch {
    return null; // opaque origins and some private modes refuse the Cache API: load without it
  }
}

export async function fetchModelFile(o: FetchFileOptions): Promise<FetchedFile> {
  const cache = await openCache(o.cache);
  const hit = await cache?.match(o.url);
  const evict = async () => void (await cache?.delete(o.url));
  if (hit) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    try {
      check(o, bytes, null);
    } catch (e) {
      await evict();
      throw e;
    }
    return { bytes, fromCache: true, commit: async () => {}, evict };
  }
  let res: Response;
  try {
    res = await fetch(o.url, { signal: o.signal, credentials: 'omit' });
  } catch (e) {
    if (o.signal?.aborted) throw new RerankError('ABORTED', `loading ${o.file} was aborted`, { file: o.file, url: o.url });
    throw new RerankError('MODEL_FETCH_FAILED', requestFailedMessage(o.file, o.url, (e as Error).message), { file: o.file, url: o.url }, { cause: e });
  }
  if (!res.ok) {
    const { code, message } = httpFailure(o.file, o.url, res.status);
    throw new RerankError(code, message, { file: o.file, url: o.url, status: res.status });
  }
  const bytes = await readBody(res, o);
  check(o, bytes, res);
  const type = res.headers.get('content-type') ?? '';
  const commit = async () => {
    // Cache failures (quota, private mode) cost a re-download next time, never the load itself.
    const headers = { 'content-type': type, [CACHE_HEADERS.model]: o.model, [CACHE_HEADERS.file]: o.file, [CACHE_HEADERS.size]: String(bytes.byteLength) };
    await cache?.put(o.url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers })).catch(() => {});
  };
  return { bytes, fromCache: false, commit, evict };
}

async function readBody(res: Response, o: FetchFileOptions): Promise<Uint8Array> {
  // Content-Length is the size on the wire: only trust it as the file size when the body was not compressed.
  const encoded = res.headers.get('content-encoding');
  const declared = encoded ? null : Number(res.headers.get('content-length') ?? NaN);
  let total = declared !== null && Number.isFinite(declared) ? declared : null;
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array(await res.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let lastReport = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      if (total !== null && loaded > total) total = null; // compressed after all (see below): size unknown
      const now = performance.now();
      if (now - lastReport > 100) {
        lastReport = now;
        o.onProgress?.(loaded, total);
      }
    }
  } catch (e) {
    if (o.signal?.aborted) throw new RerankError('ABORTED', `loading ${o.file} was aborted`, { file: o.file, url: o.url });
    throw new RerankError('MODEL_FETCH_FAILED', `${o.file}: download broke off after ${loaded} bytes (${(e as Error).message})`, { file: o.file, url: o.url }, { cause: e });
  }
  // Only a response whose headers are all visible says for sure that its body is not compressed: a cross-origin one
  // hides Content-Encoding (not CORS-safelisted) unless the server exposes it, while its Content-Length (safelisted)
  // is the compressed size, so a hub that gzips its JSON would fail here. On the wire the browser itself fails a body
  // shorter than its Content-Length (a "download broke off" above).
  if (declared !== null && Number.isFinite(declared) && res.type !== 'cors' && loaded !== declared) {
    throw new RerankError('MODEL_INVALID', `${o.file}: truncated, got ${loaded} of ${declared} bytes`, { file: o.file, url: o.url });
  }
  o.onProgress?.(loaded, total ?? loaded);
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function check(o: FetchFileOptions, bytes: Uint8Array, res: Response | null): void {
  const where = { file: o.file, url: o.url };
  if (bytes.byteLength === 0) throw new RerankError('MODEL_INVALID', `${o.file}: empty file`, where);
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (o.kind !== 'json' && ((o.kind === 'onnx' && first === 0x3c) /* '<' */ || res?.headers.get('content-type')?.includes('text/html'))) {
    throw new RerankError('MODEL_INVALID', `${o.file}: the server answered HTML, not an ONNX file (a login, error or SPA fallback page?)`, where);
  }
}

export function parseJsonFile(bytes: Uint8Array, file: string, url: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new RerankError('MODEL_INVALID', `${file}: not valid JSON (${(e as Error).message})`, { file, url });
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
