// A local stand-in for the Hugging Face hub: serves the generated models (.models/<org>/<name>/...) under the hub's
// URL layout, <org>/<name>/resolve/<revision>/<file>, with CORS (the page is cross-origin isolated), records the
// requests it gets, and serves broken models on purpose under faults/<kind>.
// Usage: tsx e2e/support/hub-server.ts [port]   GET /__requests lists requests since the last DELETE /__requests;
// GET /__sent the bytes sent per response likewise.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '../../.models');
const port = Number(process.argv[2] ?? process.env.HUB_PORT ?? 4180);
const requests: string[] = [];
/** Body bytes written per response (the bench's cold row weighs a visit by them): GET /__sent, DELETE /__sent. */
const sent: { url: string; status: number; bytes: number; encoding: string | null }[] = [];

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

function send(res: http.ServerResponse, status: number, body: Buffer | string, type = 'application/octet-stream'): void {
  res.writeHead(status, {
    'access-control-allow-origin': '*',
    'cross-origin-resource-policy': 'cross-origin',
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
  send(res, 200, bytes, file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
});

server.listen(port, '127.0.0.1', () => console.log(`[hub] serving ${ROOT} on http://127.0.0.1:${port}`));
