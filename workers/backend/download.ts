// One model file over HTTP: streamed into a single buffer of the declared size (no chunk list, no final copy), refused
// before its body is read when it is too large to run, and continued with a Range request when the connection drops.
// The decisions (sizes, whether a range answer may be spliced, back-off) are in src/core/download-policy.ts.
import { declaredSize, decideResume, parseLength, RESTART_LIMIT, retryDelay, statedSha256, validatorsOf, type ResponseFacts, type SizeLimit, type Validators } from '../../src/core/download-policy.ts';
import { httpFailure, requestFailedMessage } from '../../src/core/fetch-errors.ts';
import { RerankError } from '../../src/errors.ts';

export interface DownloadOptions {
  url: string;
  file: string;
  kind: 'json' | 'onnx' | 'data';
  signal?: AbortSignal;
  /** Refuse (MODEL_TOO_LARGE) a file declared larger than this, before reading its body. */
  limit?: SizeLimit;
  onProgress?: (loaded: number, total: number | null) => void;
  /** A dropped connection is being retried: from byte `from` (0: the file starts again), after `delayMs`. */
  onRetry?: (from: number, reason: string, attempt: number) => void;
}

export interface Downloaded {
  bytes: Uint8Array;
  contentType: string;
  /** The sha256 the server states for the file (the hub's LFS ETag), lowercase hex, or null. */
  statedSha256: string | null;
  /** Times the file started again from byte 0 after a drop. */
  restarts: number;
  /** Times it continued with a Range request. */
  resumes: number;
}

/** Bytes asked of the stream per read; the buffer it lands in is reused, so this is all a read costs beside the file. */
const READ_SLICE = 256 * 1024;

function factsOf(res: Response): ResponseFacts {
  const h = res.headers;
  return {
    status: res.status,
    contentLength: parseLength(h.get('content-length')),
    contentEncoding: h.get('content-encoding'),
    cors: res.type === 'cors',
    contentRange: h.get('content-range'),
    etag: h.get('etag'),
    lastModified: h.get('last-modified'),
    linkedSize: parseLength(h.get('x-linked-size')),
  };
}

/** Where the bytes go: one buffer of the declared size, or one that grows (doubling) when the size is unknown or wrong. */
class Sink {
  buf: Uint8Array;
  loaded = 0;
  constructor(size: number | null) {
    this.buf = new Uint8Array(size ?? 64 * 1024);
  }
  push(chunk: Uint8Array): void {
    const need = this.loaded + chunk.byteLength;
    if (need > this.buf.byteLength) {
      const grown = new Uint8Array(Math.max(need, this.buf.byteLength * 2));
      grown.set(this.buf.subarray(0, this.loaded));
      this.buf = grown;
    }
    this.buf.set(chunk, this.loaded);
    this.loaded = need;
  }
  reset(size: number | null): void {
    this.loaded = 0;
    if ((size ?? 0) !== this.buf.byteLength) this.buf = new Uint8Array(size ?? 64 * 1024);
  }
  bytes(): Uint8Array {
    if (this.loaded === this.buf.byteLength) return this.buf;
    // A grown buffer: trim it when the slack is large, else hand out a view.
    return this.buf.byteLength - this.loaded > this.loaded / 8 ? this.buf.slice(0, this.loaded) : this.buf.subarray(0, this.loaded);
  }
}

const aborted = (o: DownloadOptions) => new RerankError('ABORTED', `loading ${o.file} was aborted`, { file: o.file, url: o.url });

function tooLarge(o: DownloadOptions, size: number, atLeast: string): RerankError {
  const limit = o.limit!;
  return new RerankError('MODEL_TOO_LARGE', `${o.file} is ${atLeast}${size} bytes; this device takes at most ${limit.bytes} per file: ${limit.why}`, { file: o.file, url: o.url });
}

async function request(o: DownloadOptions, from: number): Promise<Response> {
  try {
    return await fetch(o.url, { signal: o.signal, credentials: 'omit', headers: from > 0 ? { range: `bytes=${from}-` } : undefined });
  } catch (e) {
    if (o.signal?.aborted) throw aborted(o);
    throw new RerankError('MODEL_FETCH_FAILED', requestFailedMessage(o.file, o.url, (e as Error).message), { file: o.file, url: o.url }, { cause: e });
  }
}

function checkStatus(res: Response, o: DownloadOptions): void {
  const where = { file: o.file, url: o.url, status: res.status };
  if (res.ok) return;
  const { code, message } = httpFailure(o.file, o.url, res.status);
  throw new RerankError(code, message, where);
}

/** Reads a body to its end into the sink; progress at most every 100 ms. Throws what the stream throws. */
async function pump(res: Response, sink: Sink, total: () => number | null, o: DownloadOptions): Promise<void> {
  const body = res.body;
  if (!body) return sink.push(new Uint8Array(await res.arrayBuffer()));
  let last = 0;
  const report = () => {
    if (o.limit && sink.loaded > o.limit.bytes) throw tooLarge(o, sink.loaded, 'at least ');
    const now = performance.now();
    if (now - last > 100) {
      last = now;
      o.onProgress?.(sink.loaded, total());
    }
  };
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    byob = null; // not a byte stream here: the default reader hands out a new chunk per read
  }
  if (byob) {
    // A scratch slice rather than a view of the file's buffer: a BYOB read that fails takes its buffer with it, and
    // the bytes received so far must survive a dropped connection.
    let scratch = new Uint8Array(READ_SLICE);
    const r = byob;
    return drain(r, async () => {
      const { done, value } = await r.read(scratch);
      if (done) return true;
      sink.push(value);
      scratch = new Uint8Array(value.buffer, 0, READ_SLICE);
      report();
      return false;
    });
  }
  const reader = body.getReader();
  return drain(reader, async () => {
    const { done, value } = await reader.read();
    if (done) return true;
    sink.push(value);
    report();
    return false;
  });
}

/** Runs step until it says done; a refusal of ours (too large) cancels the body so that the transfer stops. */
async function drain(reader: { cancel(): Promise<void> }, step: () => Promise<boolean>): Promise<void> {
  try {
    while (!(await step()));
  } catch (e) {
    if (e instanceof RerankError) await reader.cancel().catch(() => {});
    throw e;
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))), { once: true });
  });

/**
 * Downloads one file. A dropped connection is continued from the last byte with `Range: bytes=N-` when the first
 * answer gave a size and a validator (decideResume says when a range answer is spliced); otherwise, or when the
 * server ignores Range, the file starts again and onRetry says so with from = 0.
 */
export async function download(o: DownloadOptions): Promise<Downloaded> {
  let res = await request(o, 0);
  checkStatus(res, o);
  let facts = factsOf(res);
  let size = declaredSize(facts, o.kind);
  if (size !== null && o.limit && size > o.limit.bytes) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge(o, size, '');
  }
  const contentType = res.headers.get('content-type') ?? '';
  const sha = statedSha256(res.headers.get('x-linked-etag'), facts.etag);
  let validators: Validators | null = size !== null ? validatorsOf(facts, size) : null;
  const sink = new Sink(size);
  let fruitless = 0;
  let restarts = 0;
  let resumes = 0;
  let current: Response | null = res;
  for (;;) {
    const before = sink.loaded;
    try {
      if (!current) throw new Error('the request to continue failed');
      await pump(current, sink, () => size, o);
      current = null;
      // A body that ends short of its declared size (a server that closed cleanly) is a drop like any other.
      if (size === null || sink.loaded >= size) break;
      throw new Error(`the body ended after ${sink.loaded} of ${size} bytes`);
    } catch (e) {
      if (o.signal?.aborted) throw aborted(o);
      if (e instanceof RerankError) throw e;
      fruitless = sink.loaded > before ? 1 : fruitless + 1;
      const delay = retryDelay(fruitless);
      if (restarts >= RESTART_LIMIT) {
        throw new RerankError('MODEL_FETCH_FAILED', `${o.file}: download broke off after ${sink.loaded} bytes; it already started again ${restarts} times (${(e as Error).message})`, { file: o.file, url: o.url }, { cause: e });
      }
      if (delay === null) {
        throw new RerankError('MODEL_FETCH_FAILED', `${o.file}: download broke off after ${sink.loaded} bytes, ${fruitless - 1} tries in a row brought nothing (${(e as Error).message})`, { file: o.file, url: o.url }, { cause: e });
      }
      await sleep(delay, o.signal).catch(() => {
        throw aborted(o);
      });
      const from = validators && sink.loaded > 0 ? sink.loaded : 0;
      let next: Response;
      try {
        next = await request(o, from);
        checkStatus(next, o);
      } catch (err) {
        if (o.signal?.aborted) throw aborted(o);
        current = null;
        continue; // counts as a try without progress
      }
      const decision = from > 0 && validators ? decideResume(validators, from, factsOf(next)) : { action: 'restart' as const, reason: 'nothing to continue from' };
      if (decision.action === 'append') {
        resumes++;
        o.onRetry?.(from, `connection dropped (${(e as Error).message}); continuing from byte ${from}`, fruitless);
        current = next;
        continue;
      }
      if (next.status !== 200) {
        // A partial answer that cannot be spliced: ask for the whole file again.
        await next.body?.cancel().catch(() => {});
        try {
          next = await request(o, 0);
          checkStatus(next, o);
        } catch {
          current = null;
          continue;
        }
      }
      restarts++;
      facts = factsOf(next);
      size = declaredSize(facts, o.kind);
      validators = size !== null ? validatorsOf(facts, size) : null;
      sink.reset(size);
      o.onRetry?.(0, from > 0 ? decision.reason : `connection dropped (${(e as Error).message}) and the file cannot be continued: starting again`, fruitless);
      current = next;
    }
  }
  const bytes = sink.bytes();
  o.onProgress?.(bytes.byteLength, bytes.byteLength);
  return { bytes, contentType, statedSha256: sha, restarts, resumes };
}
