// Decisions of the model-file download path, kept pure: how big a file is, whether it can be held at all, whether a
// Range answer may be spliced onto what arrived, how long to wait before the next try, and whether the cache can keep
// the file. The worker (workers/backend/download.ts, storage.ts) does the I/O.

/** What a response says about the file, read from its headers (null where a header is absent or hidden by CORS). */
export interface ResponseFacts {
  status: number;
  /** Content-Length as sent: the body's size on the wire. */
  contentLength: number | null;
  /** Content-Encoding, when the browser lets us see it. */
  contentEncoding: string | null;
  /** The response is cross-origin: Content-Encoding and ETag may be hidden from us. */
  cors: boolean;
  /** Content-Range of a 206: `bytes start-end/total`. */
  contentRange: string | null;
  etag: string | null;
  lastModified: string | null;
  /** The hub's X-Linked-Size: an LFS file's size, whatever the body's encoding. */
  linkedSize: number | null;
}

export function parseLength(v: string | null): number | null {
  if (v === null || !/^\d+$/.test(v.trim())) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * The file's size as the first (non-Range) response states it, or null when unknown. Content-Length is the size on
 * the wire, so it is the file's size only when the body is not compressed; a cross-origin response hides
 * Content-Encoding unless the server exposes it, so there Content-Length counts only when nothing on the wire could be
 * compressed: the hub's LFS files (X-Linked-Size, the same figure) and octet-stream bodies. JSON from a CORS host stays
 * unknown and grows as it arrives.
 */
export function declaredSize(f: ResponseFacts, kind: 'json' | 'onnx' | 'data'): number | null {
  if (f.linkedSize !== null) return f.linkedSize;
  if (f.contentEncoding && f.contentEncoding !== 'identity') return null;
  if (f.cors && f.contentEncoding === null && kind === 'json') return null;
  return f.contentLength;
}

/** The one validator that says "the same file": a strong ETag (a weak one, W/..., may span different bytes). */
export function strongEtag(etag: string | null): string | null {
  return etag && !/^W\//.test(etag) ? etag : null;
}

export interface Validators {
  etag: string | null;
  lastModified: string | null;
  size: number;
}

export function validatorsOf(f: ResponseFacts, size: number): Validators {
  return { etag: strongEtag(f.etag), lastModified: f.lastModified, size };
}

/** Bytes from the start of a partial answer and the total, from `bytes start-end/total`. */
export function parseContentRange(v: string | null): { start: number; end: number; total: number | null } | null {
  const m = v ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(v.trim()) : null;
  if (!m) return null;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? null : Number(m[3]) };
}

export type ResumeDecision =
  | { action: 'append' }
  | { action: 'restart'; reason: string };

/**
 * What to do with the answer to `Range: bytes=<offset>-`, sent after `offset` bytes of a file whose first answer gave
 * `first`. Splice only what is provably the rest of the same file: a 206 starting at offset, of the same total, whose
 * strong ETag or Last-Modified equals the first answer's (at least one must be visible on both). Anything else
 * restarts from byte 0 with the new answer's body (a 200: no Range support, or the file changed) or with a new request.
 */
export function decideResume(first: Validators, offset: number, r: ResponseFacts): ResumeDecision {
  if (r.status === 200) return { action: 'restart', reason: 'the server answered the range request with the whole file (no Range support)' };
  if (r.status !== 206) return { action: 'restart', reason: `the range request got HTTP ${r.status}` };
  const range = parseContentRange(r.contentRange);
  const remaining = first.size - offset;
  if (range) {
    if (range.start !== offset) return { action: 'restart', reason: `the range answer starts at byte ${range.start}, not ${offset}` };
    if (range.total !== null && range.total !== first.size) return { action: 'restart', reason: `the file is now ${range.total} bytes, was ${first.size}: it changed` };
  } else if (r.contentLength !== remaining) {
    // Content-Range hidden by CORS: the length of the rest is all there is to go on.
    return { action: 'restart', reason: 'the range answer does not say which bytes it holds' };
  }
  const etag = strongEtag(r.etag);
  if (first.etag && etag) return etag === first.etag ? { action: 'append' } : { action: 'restart', reason: 'the ETag changed: the file changed' };
  if (first.lastModified && r.lastModified) {
    return r.lastModified === first.lastModified ? { action: 'append' } : { action: 'restart', reason: 'Last-Modified changed: the file changed' };
  }
  return { action: 'restart', reason: 'no ETag or Last-Modified to prove the rest belongs to the same file' };
}

/**
 * Tries after a dropped connection, per file: at most RETRY_LIMIT in a row that bring no new byte (a try that brings
 * bytes starts the count again), waiting RETRY_DELAYS_MS[n] before the n-th. Worst case a dead server costs
 * 0.25 + 0.5 + 1 + 2 + 4 = 7.75 s before MODEL_FETCH_FAILED.
 */
export const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000] as const;
export const RETRY_LIMIT = RETRY_DELAYS_MS.length;

/**
 * Restarts from byte 0 per file at most: a drop after the third fails the load (a server without Range support that
 * drops every time would otherwise bring "progress" forever).
 */
export const RESTART_LIMIT = 3;

/** Milliseconds to wait before try `n` (1-based) in a row without progress, or null when the bound is reached. */
export function retryDelay(n: number): number | null {
  return n >= 1 && n <= RETRY_LIMIT ? RETRY_DELAYS_MS[n - 1]! : null;
}

/**
 * The largest model file this library will fetch: one ArrayBuffer (and a protobuf message) tops out near 2 GiB in
 * Chromium, and ORT copies the file into a 32-bit WASM heap of 4 GiB where the session's weights then need about as
 * much again. An .onnx file is a protobuf, which cannot pass 2 GiB in any case.
 */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

export interface SizeLimit {
  bytes: number;
  why: string;
}

/**
 * The limit for one file on a device. WebGPU sessions still parse the graph and its weights in ORT's WASM heap before
 * uploading them, so the heap bound holds there too. The adapter's maxBufferSize bounds one tensor, not a file (each
 * weight gets a buffer of its own), so a file above it can still run and is not refused.
 */
export function fileSizeLimit(): SizeLimit {
  return { bytes: MAX_FILE_BYTES, why: 'one ArrayBuffer and ONNX Runtime\'s 32-bit WASM heap (4 GiB, which must hold the file and its weights) cannot take more than 2 GiB per file' };
}

export interface StorageFit {
  keep: boolean;
  reason: string | null;
}

/**
 * Whether a file of `size` bytes should be written to the cache, from navigator.storage.estimate(). A margin stays
 * free (5% of the quota, at least 10 MiB): the browser evicts the whole origin when it runs out.
 */
export function storageFit(size: number, estimate: { usage: number; quota: number } | null): StorageFit {
  if (!estimate) return { keep: true, reason: null }; // no estimate: try, and let the write say
  const margin = Math.max(10 * 2 ** 20, estimate.quota * 0.05);
  const free = estimate.quota - estimate.usage;
  if (size + margin > free) {
    return { keep: false, reason: `quota: ${mb(size)} does not fit in the ${mb(Math.max(0, free))} this origin has left of ${mb(estimate.quota)}` };
  }
  return { keep: true, reason: null };
}

const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

/** A sha256 the source states for the file: the hub's X-Linked-Etag / ETag of an LFS file is its sha256 in hex. */
export function statedSha256(linkedEtag: string | null, etag: string | null): string | null {
  for (const v of [linkedEtag, etag]) {
    const m = v ? /^(?:W\/)?"?([0-9a-f]{64})"?$/i.exec(v.trim()) : null;
    if (m) return m[1]!.toLowerCase();
  }
  return null;
}
