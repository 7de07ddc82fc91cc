// The download path's decisions: what size a response declares, when a range answer may be spliced onto the bytes
// already received, the retry bound, the size limit and whether a file fits the storage quota.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  declaredSize, decideResume, fileSizeLimit, MAX_FILE_BYTES, parseContentRange, RETRY_LIMIT, retryDelay, statedSha256, storageFit, validatorsOf,
  type ResponseFacts,
} from '../../src/core/download-policy.ts';

const facts = (over: Partial<ResponseFacts> = {}): ResponseFacts => ({
  status: 200, contentLength: 1000, contentEncoding: null, cors: true, contentRange: null, etag: '"abc"', lastModified: 'Sun, 06 Dec 2026 10:00:00 GMT', linkedSize: null, ...over,
});
const first = validatorsOf(facts(), 1000);
const partial = (from: number, over: Partial<ResponseFacts> = {}) =>
  facts({ status: 206, contentLength: 1000 - from, contentRange: `bytes ${from}-999/1000`, ...over });

describe('declared size', () => {
  it('trusts Content-Length only where nothing on the wire can be compressed', () => {
    // Same-origin and uncompressed: Content-Length is the file's size.
    expect(declaredSize(facts({ cors: false }), 'json')).toBe(1000);
    // Compressed: the size on the wire is not the file's.
    expect(declaredSize(facts({ cors: false, contentEncoding: 'gzip' }), 'onnx')).toBeNull();
    // Cross-origin JSON may be gzipped behind a hidden Content-Encoding; an ONNX file (LFS, octet-stream) is not.
    expect(declaredSize(facts(), 'json')).toBeNull();
    expect(declaredSize(facts(), 'onnx')).toBe(1000);
    // The hub's X-Linked-Size wins: it is the LFS file's own size.
    expect(declaredSize(facts({ linkedSize: 5000, contentEncoding: 'gzip' }), 'json')).toBe(5000);
  });
});

describe('resume decision', () => {
  it('splices a 206 that starts where we stopped, of the same file', () => {
    expect(decideResume(first, 300, partial(300))).toEqual({ action: 'append' });
    // Content-Range hidden by CORS: the remaining length and the ETag still identify it.
    expect(decideResume(first, 300, partial(300, { contentRange: null }))).toEqual({ action: 'append' });
    // No ETag visible: Last-Modified identifies it.
    expect(decideResume(validatorsOf(facts({ etag: null }), 1000), 300, partial(300, { etag: null }))).toEqual({ action: 'append' });
  });

  it('never splices a changed or unidentifiable file', () => {
    // A server without Range support answers 200 with the whole file.
    expect(decideResume(first, 300, facts()).action).toBe('restart');
    expect(decideResume(first, 300, partial(300, { etag: '"other"' })).action).toBe('restart');
    expect(decideResume(first, 300, partial(300, { contentRange: 'bytes 300-1199/1200', contentLength: 900 })).action).toBe('restart');
    expect(decideResume(first, 300, partial(200, { contentLength: 700 })).action).toBe('restart');
    expect(decideResume(validatorsOf(facts({ lastModified: null }), 1000), 300, partial(300, { etag: '"abc"', lastModified: 'Mon, 07 Dec 2026 10:00:00 GMT' })).action).toBe('append');
    expect(decideResume(validatorsOf(facts({ etag: null }), 1000), 300, partial(300, { etag: null, lastModified: 'Mon, 07 Dec 2026 10:00:00 GMT' })).action).toBe('restart');
    // A weak ETag may name different bytes, and with nothing else the splice is refused.
    expect(decideResume(validatorsOf(facts({ etag: 'W/"abc"', lastModified: null }), 1000), 300, partial(300, { etag: 'W/"abc"', lastModified: null })).action).toBe('restart');
    expect(decideResume(first, 300, partial(300, { status: 416 })).action).toBe('restart');
  });

  it('appends only when the answer starts exactly at the offset and the ETag matches (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 999 }), fc.boolean(), (offset, start, sameTag) => {
      const d = decideResume(first, offset, partial(start, { etag: sameTag ? '"abc"' : '"xyz"' }));
      expect(d.action === 'append').toBe(start === offset && sameTag);
    }));
  });

  it('reads Content-Range', () => {
    expect(parseContentRange('bytes 10-99/100')).toEqual({ start: 10, end: 99, total: 100 });
    expect(parseContentRange('bytes 10-99/*')).toEqual({ start: 10, end: 99, total: null });
    expect(parseContentRange('items 1-2/3')).toBeNull();
  });
});

describe('retries', () => {
  it('back off, doubling, up to a stated bound', () => {
    const delays = Array.from({ length: RETRY_LIMIT }, (_, i) => retryDelay(i + 1)!);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBe(delays[i - 1]! * 2);
    expect(retryDelay(RETRY_LIMIT + 1)).toBeNull();
    expect(retryDelay(0)).toBeNull();
    // The documented worst case (docs/models.md): 7.75 s of waiting before MODEL_FETCH_FAILED.
    expect(delays.reduce((a, b) => a + b, 0)).toBe(7750);
  });
});

describe('limits and storage', () => {
  it('caps a file at what one ArrayBuffer and the 32-bit WASM heap can take', () => {
    expect(fileSizeLimit().bytes).toBe(MAX_FILE_BYTES);
    expect(MAX_FILE_BYTES).toBeLessThan(2 ** 31);
  });

  it('keeps a file only when it fits with a margin; no estimate means try', () => {
    const quota = 1000 * 2 ** 20;
    expect(storageFit(100 * 2 ** 20, { usage: 0, quota }).keep).toBe(true);
    const no = storageFit(100 * 2 ** 20, { usage: 900 * 2 ** 20, quota });
    expect(no.keep).toBe(false);
    expect(no.reason).toMatch(/quota/);
    expect(storageFit(1, null).keep).toBe(true);
  });

  it('reads an LFS sha256 from X-Linked-Etag or ETag', () => {
    const hex = 'a'.repeat(64);
    expect(statedSha256(`"${hex}"`, null)).toBe(hex);
    expect(statedSha256(null, `"${hex.toUpperCase()}"`)).toBe(hex);
    // A git blob's ETag (sha1, 40 digits) is not a sha256.
    expect(statedSha256(null, `"${'b'.repeat(40)}"`)).toBeNull();
  });
});
