// Fetches model files with byte progress, checks that each is what it claims to be, and keeps it for the next visit.
// An entry is written only when the caller commits it, after the file was parsed and used (an ONNX file that ORT
// refuses is never cached); a cached entry that turns out broken is evicted. The transfer itself (one buffer, resume,
// early refusal) is download.ts; where files are kept, and whether they fit, is storage.ts.
import type { SizeLimit } from '../../src/core/download-policy.ts';
import { RerankError } from '../../src/errors.ts';
import { download } from './download.ts';
import { openStore, sha256Hex, type KeepNote } from './storage.ts';

export { sha256Hex, type KeepNote };

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
  /** A file declared larger than this is refused with MODEL_TOO_LARGE before its body is read. */
  limit?: SizeLimit;
  /** A dropped connection is retried: continuing from byte `from`, or from 0 (the file starts again). */
  onRetry?: (from: number, reason: string) => void;
}

export interface FetchedFile {
  bytes: Uint8Array;
  fromCache: boolean;
  /** Stores the file for the next visit; says whether it is kept and why not (never throws). */
  commit(): Promise<KeepNote>;
  /** Removes the file from the cache: it came from there and proved broken. */
  evict(): Promise<void>;
}

export async function fetchModelFile(o: FetchFileOptions): Promise<FetchedFile> {
  const { store, reason: noStore } = await openStore(o.cache);
  const evict = async () => void (await store?.remove(o.url));
  const cached = await store?.read(o.url);
  if (cached) {
    try {
      check(o, cached, null);
    } catch (e) {
      await evict();
      throw e;
    }
    return { bytes: cached, fromCache: true, commit: async () => ({ kept: true, reason: null }), evict };
  }
  const got = await download({
    url: o.url, file: o.file, kind: o.kind, signal: o.signal, limit: o.limit, onProgress: o.onProgress,
    onRetry: o.onRetry && ((from, reason) => o.onRetry!(from, reason)),
  });
  check(o, got.bytes, got.contentType);
  let note: Promise<KeepNote> | null = null;
  const commit = () =>
    (note ??= (async (): Promise<KeepNote> => {
      if (!store) return { kept: false, reason: noStore };
      // Hashed here, after the session exists: ORT has freed its copy of the file by then, so the digest's own copy
      // does not raise the load's peak.
      if (got.statedSha256 && (await sha256Hex(got.bytes)) !== got.statedSha256) {
        return { kept: false, reason: `its sha256 differs from the one the server states (${got.statedSha256}): not kept` };
      }
      return store.write(o.url, got.bytes, { model: o.model, file: o.file, contentType: got.contentType, sha256: got.statedSha256 });
    })());
  return { bytes: got.bytes, fromCache: false, commit, evict };
}

function check(o: FetchFileOptions, bytes: Uint8Array, contentType: string | null): void {
  const where = { file: o.file, url: o.url };
  if (bytes.byteLength === 0) throw new RerankError('MODEL_INVALID', `${o.file}: empty file`, where);
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (o.kind !== 'json' && ((o.kind === 'onnx' && first === 0x3c) /* '<' */ || contentType?.includes('text/html'))) {
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
