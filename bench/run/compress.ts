// HTTP compression of .wasm for the bench site's `vite preview`, as static hosts and CDNs commonly serve it. Vite's
// preview already gzips text types (its @polka/compression: JS, JSON, HTML; level 6) but not application/wasm, which
// would leave the biggest file of a cold visit uncompressed. Same level (zlib's default, 6), gzip only: Chromium does
// not offer br to plain http:// hosts. Each file is compressed once and kept in memory; ETag revalidation as for
// the other assets, and the preview's own headers (COOP/COEP).
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

interface Compressed { body: Buffer; etag: string; lastModified: string }

export function wasmCompression(): Plugin {
  const cache = new Map<string, Compressed>();
  const compressed = (file: string): Compressed => {
    const st = fs.statSync(file);
    const key = `${file}:${st.mtimeMs}:${st.size}`;
    let c = cache.get(key);
    if (!c) {
      c = { body: zlib.gzipSync(fs.readFileSync(file), { level: 6 }), etag: `W/"${st.size}-${Math.round(st.mtimeMs)}-gzip"`, lastModified: st.mtime.toUTCString() };
      cache.set(key, c);
    }
    return c;
  };
  return {
    name: 'bench-wasm-compression',
    configurePreviewServer(server) {
      const dir = path.resolve(server.config.root, server.config.build.outDir);
      const headers = server.config.preview.headers ?? {};
      // Added here (not in a returned hook), so that it runs before the preview's static file server.
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        const url = new URL(req.url ?? '/', 'http://x');
        if ((req.method !== 'GET' && req.method !== 'HEAD') || !url.pathname.endsWith('.wasm') || !/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return next();
        const file = path.join(dir, decodeURIComponent(url.pathname));
        if (!file.startsWith(dir + path.sep) || !fs.existsSync(file)) return next();
        const c = compressed(file);
        for (const [k, v] of Object.entries(headers)) if (v !== undefined) res.setHeader(k, v);
        res.setHeader('Vary', 'Accept-Encoding');
        res.setHeader('ETag', c.etag);
        res.setHeader('Last-Modified', c.lastModified);
        if (req.headers['if-none-match'] === c.etag) {
          res.statusCode = 304;
          return res.end();
        }
        res.setHeader('Content-Type', 'application/wasm');
        res.setHeader('Content-Encoding', 'gzip');
        res.setHeader('Content-Length', c.body.byteLength);
        res.end(req.method === 'HEAD' ? undefined : c.body);
      });
    },
  };
}

/**
 * What the preview sent, per response: body bytes as written to the socket (after compression, which wraps res.write
 * after this does). GET /__sent lists them since the last DELETE /__sent: the cold row weighs a visit by them.
 */
export function sentBytesLog(): Plugin {
  const sent: { url: string; status: number; bytes: number; encoding: string | null }[] = [];
  return {
    name: 'bench-sent-bytes',
    configurePreviewServer(server) {
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        if (req.url === '/__sent') {
          if (req.method === 'DELETE') sent.length = 0;
          res.setHeader('content-type', 'application/json');
          return res.end(JSON.stringify(sent));
        }
        let bytes = 0;
        const count = (chunk: unknown) => {
          if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk);
          else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
        };
        const { write, end } = res;
        res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
          count(chunk);
          return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
        } as ServerResponse['write'];
        res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
          if (typeof chunk !== 'function') count(chunk);
          return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
        } as ServerResponse['end'];
        res.on('finish', () => sent.push({ url: req.url ?? '', status: res.statusCode, bytes, encoding: (res.getHeader('content-encoding') as string | undefined) ?? null }));
        next();
      });
    },
  };
}
