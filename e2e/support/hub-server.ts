// A local stand-in for the Hugging Face hub: serves the generated models (.models/<org>/<name>/...) under the hub's
// URL layout, <org>/<name>/resolve/<revision>/<file>, with CORS (the page is cross-origin isolated), records the
// requests it gets, and serves broken models on purpose under faults/<kind>.
// Usage: tsx e2e/support/hub-server.ts [port]   GET /__requests lists requests since the last DELETE /__requests;
// GET /__sent the bytes sent per response likewise.
// Like the hub, files carry an ETag, Last-Modified and Accept-Ranges and answer `Range: bytes=N-` with 206; ONNX files
// (the hub's LFS files) also carry X-Linked-Size and X-Linked-Etag (their sha256). PUT /__mode?... sets how ONNX
// files are served until DELETE /__mode (see Mode); GET /__mode shows it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '../../.models');
const port = Number(process.argv[2] ?? process.env.HUB_PORT ?? 4180);
const requests: string[] = [];
/** Body bytes written per response (the bench's cold row weighs a visit by them): GET /__sent, DELETE /__sent. */
const sent: { url: string; status: number; bytes: number; encoding: string | null; range?: number | null }[] = [];

// faults/<kind> is tiny-bert with one thing broken.
const FAULT_BASE = 'rerank-web-test/tiny-bert';
type Fault = (file: string, bytes: Buffer) => { status: number; type?: string; body?: Buffer } | null;
const FAULTS: Record<string, Fault> = {
  'missing-onnx': (file) => (file.endsWith('.onnx') ? { status: 404 } : null),
  'html-onnx': (file) => (file.endsWith('.onnx') ? { status: 200, type: 'text/html', body: Buffer.from('<!doctype html><title>Sign in</title><p>Please sign in') } : null),
  'truncated-onnx': (file, bytes) => (file.endsWith('.onnx') ? { status: 200, body: bytes.subarray(0, Math.floor(bytes.length / 2)) } : null),
  'server-error': (file) => (file === 'tokenizer.json' ? { status: 500 } : null),
  // The real hub answers 401 for a repository that does not exist or is gated, on every file.
  gated: () => ({ status: 401 }),
  'slow-onnx': () => null, // served by trickle(): ONNX files arrive over ~10 s, so a test can abort mid-download
  'wrong-architecture': (file) =>
    file === 'config.json' ? { status: 200, type: 'application/json', body: Buffer.from(JSON.stringify({ architectures: ['GPT2LMHeadModel'], model_type: 'gpt2' })) } : null,
  'bad-json': (file) => (file === 'tokenizer.json' ? { status: 200, type: 'application/json', body: Buffer.from('{"model": ') } : null),
};

/** How ONNX files are served, for the download tests (e2e/downloads.spec.ts). */
interface Mode {
  /** Fractions of a file at which the connection is cut, each once (the first response that reaches it). */
  cuts: number[];
  /** Answer Range requests with the whole file (200), as a server without Range support does. */
  noRange: boolean;
  /** Declare this Content-Length (and X-Linked-Size), then send the file's bytes over and over until the client leaves. */
  declare: number | null;
  /** A different ETag from now on: the file "changed" on the server (its bytes stay the same). */
  etagSuffix: string;
}
const NO_MODE: Mode = { cuts: [], noRange: false, declare: null, etagSuffix: '' };
let mode: Mode = { ...NO_MODE };

function parseMode(q: URLSearchParams): Mode {
  return {
    cuts: (q.get('cuts') ?? '').split(',').filter(Boolean).map(Number).sort((a, b) => a - b),
    noRange: q.get('noRange') === '1',
    declare: q.get('declare') ? Number(q.get('declare')) : null,
    etagSuffix: q.get('etagSuffix') ?? '',
  };
}

const CORS = {
  'access-control-allow-origin': '*',
  // What the hub exposes to pages (its ETag, ranges and LFS headers; not Content-Encoding).
  'access-control-expose-headers': 'ETag, Accept-Ranges, Content-Range, X-Linked-Size, X-Linked-ETag',
  'cross-origin-resource-policy': 'cross-origin',
};

const shaOf = new Map<string, string>();
function sha256(full: string, bytes: Buffer): string {
  let v = shaOf.get(full);
  if (!v) shaOf.set(full, (v = crypto.createHash('sha256').update(bytes).digest('hex')));
  return v;
}

/**
 * An ONNX file as the hub's CDN serves an LFS file, with Range support and the faults of `mode`: writes with
 * back-pressure, records the bytes it wrote, and cuts the connection at the first pending cut point.
 */
function serveFile(req: http.IncomingMessage, res: http.ServerResponse, full: string, bytes: Buffer): void {
  const sha = sha256(full, bytes);
  const size = mode.declare ?? bytes.length;
  const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
  const start = range && !mode.noRange ? Number(range[1]) : 0;
  if (start >= size && start > 0) return send(res, 416, '', 'text/plain');
  const headers: http.OutgoingHttpHeaders = {
    ...CORS,
    'content-type': 'application/octet-stream',
    'content-length': size - start,
    'cache-control': 'no-store',
    'accept-ranges': mode.noRange ? 'none' : 'bytes',
    etag: `"${sha}${mode.etagSuffix}"`,
    'x-linked-etag': `"${sha}${mode.etagSuffix}"`,
    'x-linked-size': size,
    'last-modified': fs.statSync(full).mtime.toUTCString(),
  };
  if (start > 0) headers['content-range'] = `bytes ${start}-${size - 1}/${size}`;
  res.writeHead(start > 0 ? 206 : 200, headers);
  if (req.method === 'HEAD') return void res.end();
  const cutAt = mode.cuts.map((f) => Math.floor(f * size)).find((c) => c > start);
  const end = cutAt ?? size;
  const record = { url: res.req.url ?? '', status: res.statusCode, bytes: 0, encoding: null, range: start > 0 ? start : null };
  sent.push(record);
  let at = start;
  const pump = () => {
    while (at < end && !res.destroyed) {
      const from = at % bytes.length;
      const n = Math.min(256 * 1024, end - at, bytes.length - from);
      const chunk = bytes.subarray(from, from + n);
      at += n;
      record.bytes += n;
      if (at >= end && cutAt !== undefined) {
        mode.cuts = mode.cuts.filter((f) => Math.floor(f * size) !== cutAt);
        requests.push(`cut at ${cutAt}: ${res.req.url}`);
        return res.write(chunk, () => res.destroy());
      }
      if (!res.write(chunk)) return res.once('drain', pump);
    }
    if (at >= end) res.end();
  };
  res.on('close', () => {
    if (at < end) requests.push(`closed early at ${at}: ${res.req.url}`);
  });
  pump();
}

function send(res: http.ServerResponse, status: number, body: Buffer | string, type = 'application/octet-stream'): void {
  res.writeHead(status, {
    ...CORS,
    'access-control-allow-headers': 'range',
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
  if (!res.req.url?.startsWith('/__')) sent.push({ url: res.req.url ?? '', status, bytes: Buffer.byteLength(body), encoding: (res.getHeader('content-encoding') as string | undefined) ?? null });
}

/** Sends a file in 20 slices, 500 ms apart; stops when the client goes away. */
function trickle(res: http.ServerResponse, bytes: Buffer): void {
  res.writeHead(200, {
    'access-control-allow-origin': '*',
    'cross-origin-resource-policy': 'cross-origin',
    'content-type': 'application/octet-stream',
    'content-length': bytes.length,
    'cache-control': 'no-store',
  });
  const slice = Math.ceil(bytes.length / 20);
  let at = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(bytes.subarray(at, at + slice));
    at += slice;
    if (at >= bytes.length) {
      clearInterval(timer);
      res.end();
    }
  }, 500);
  res.on('close', () => {
    clearInterval(timer);
    if (at < bytes.length) requests.push(`closed early: ${res.req.url}`);
  });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/__sent') {
    if (req.method === 'DELETE') sent.length = 0;
    return send(res, 200, JSON.stringify(sent), 'application/json');
  }
  if (url.pathname === '/__requests') {
    if (req.method === 'DELETE') requests.length = 0;
    return send(res, 200, JSON.stringify(requests), 'application/json');
  }
  if (url.pathname === '/__mode') {
    if (req.method === 'PUT') mode = parseMode(url.searchParams);
    if (req.method === 'DELETE') mode = { ...NO_MODE };
    return send(res, 200, JSON.stringify(mode), 'application/json');
  }
  if (req.method === 'OPTIONS') return send(res, 204, '');
  requests.push(url.pathname);
  const m = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
  if (!m) return send(res, 404, 'not a hub path', 'text/plain');
  const [, org, name, , file] = m as unknown as [string, string, string, string, string];
  const fault = org === 'faults' ? FAULTS[name] : undefined;
  if (org === 'faults' && !fault) return send(res, 404, 'no such fault', 'text/plain');
  const modelDir = path.join(ROOT, fault ? FAULT_BASE : path.join(org, name));
  const full = path.resolve(modelDir, file);
  if (!full.startsWith(modelDir + path.sep)) return send(res, 400, 'bad path', 'text/plain');
  const bytes = fs.existsSync(full) ? fs.readFileSync(full) : null;
  const broken = fault?.(file, bytes ?? Buffer.alloc(0));
  if (broken) return send(res, broken.status, broken.body ?? '', broken.type);
  if (!bytes) return send(res, 404, 'Entry not found', 'text/plain');
  if (org === 'faults' && name === 'slow-onnx' && file.endsWith('.onnx')) return trickle(res, bytes);
  // HUB_GZIP=1 (the bench's cold row): JSON gzipped when the client accepts it, ONNX files as they are, as the real
  // hub sends them (its LFS files come uncompressed from the CDN; small git files are compressed).
  if (process.env.HUB_GZIP === '1' && file.endsWith('.json') && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.setHeader('content-encoding', 'gzip');
    res.setHeader('vary', 'Accept-Encoding');
    return send(res, 200, zlib.gzipSync(bytes, { level: 6 }), 'application/json');
  }
  if (file.endsWith('.onnx') && !fault) return serveFile(req, res, full, bytes);
  send(res, 200, bytes, file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
});

server.listen(port, '127.0.0.1', () => console.log(`[hub] serving ${ROOT} on http://127.0.0.1:${port}`));
