// Serves BEIR-format folders (corpus.jsonl, queries*.jsonl, qrels/*.tsv) to the demo under /beir/<name>/, from
// ../shared/data when it exists (development machines and CI), for `vite` and `vite preview` alike. Users' own
// deployments serve their folders however they like; the demo only needs the same URL layout.
import fs from 'node:fs';
import path from 'node:path';
import type { Connect, Plugin } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '../../shared/data');

function isBeir(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'corpus.jsonl')) && fs.existsSync(path.join(dir, 'qrels'));
}

const middleware: Connect.NextHandleFunction = (req, res, next) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (!url.pathname.startsWith('/beir/')) return next();
  const send = (status: number, body: string | Buffer, type: string) => {
    res.writeHead(status, { 'content-type': type, 'cross-origin-resource-policy': 'same-origin' });
    res.end(body);
  };
  if (url.pathname === '/beir/index.json') {
    const names = fs.existsSync(ROOT) ? fs.readdirSync(ROOT).filter((n) => isBeir(path.join(ROOT, n))) : [];
    return send(200, JSON.stringify(names), 'application/json');
  }
  const file = path.resolve(ROOT, decodeURIComponent(url.pathname.slice('/beir/'.length)));
  if (!file.startsWith(ROOT + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return send(404, 'not found', 'text/plain');
  send(200, fs.readFileSync(file), file.endsWith('.tsv') ? 'text/tab-separated-values' : 'application/x-ndjson');
};

export function beirFolders(): Plugin {
  return {
    name: 'rerank-web-beir-folders',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}
