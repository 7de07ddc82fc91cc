// A plain static host, as GitHub Pages is: files with their content type, 404 for anything else, and no other
// header (no COOP/COEP). With --headers it also applies the folder's _headers file the way Netlify and Cloudflare
// Pages do (a path pattern, `*` matching anything, then indented `Name: value` lines), to test the file the site
// ships. Usage: node e2e/support/static-host.mjs <dir> <port> [--headers]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [dir, port] = [path.resolve(process.argv[2]), Number(process.argv[3])];
const useHeaders = process.argv.includes('--headers');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.md': 'text/markdown; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** [pattern as a RegExp, headers] for each block of _headers. */
function readHeaderRules() {
  const file = path.join(dir, '_headers');
  if (!useHeaders || !fs.existsSync(file)) return [];
  const rules = [];
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const re = new RegExp(`^${line.trim().split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      rules.push([re, {}]);
    } else if (rules.length > 0) {
      const i = line.indexOf(':');
      rules.at(-1)[1][line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
  }
  return rules;
}
const rules = readHeaderRules();

http.createServer((req, res) => {
  const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = path.join(dir, pathname);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!file.startsWith(dir) || !fs.existsSync(file) || path.basename(file) === '_headers') {
    res.writeHead(404, { 'content-type': 'text/html' }).end('<!doctype html><title>404</title><p>Not found');
    return;
  }
  const extra = Object.assign({}, ...rules.filter(([re]) => re.test(pathname)).map(([, h]) => h));
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', ...extra });
  fs.createReadStream(file).pipe(res);
}).listen(port, '127.0.0.1', () => console.log(`static host: ${dir} on ${port}${useHeaders ? ' with _headers' : ''}`));
