import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { beirFolders } from './tools/vite-beir-plugin.ts';

// Cross-origin isolation gives WASM its threads (SharedArrayBuffer). RERANK_NO_COI=1 serves without it, for the
// test that checks the single-thread fallback.
const isolation = process.env.RERANK_NO_COI
  ? {}
  : { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

// RERANK_CSP=<hub origin> adds the strict Content-Security-Policy the README documents, for the test that checks
// that the library and the demo need nothing more ('wasm-unsafe-eval' is the one allowance WASM needs).
const csp = process.env.RERANK_CSP
  ? {
      'Content-Security-Policy': [
        "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'",
        `connect-src 'self' ${process.env.RERANK_CSP}`, "style-src 'self'", "img-src 'self' data:", "object-src 'none'", "base-uri 'none'",
      ].join('; '),
    }
  : {};

/** The test build's preview also serves the library's standalone build (dist/standalone), which the no-bundler example imports. */
const standaloneBuild: Plugin = {
  name: 'rerank-web-standalone-for-tests',
  configurePreviewServer: (server) => void server.middlewares.use('/standalone', (req, res, next) => {
    const root = path.resolve('dist/standalone');
    const file = path.resolve(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1)));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return next();
    const type = file.endsWith('.wasm') ? 'application/wasm' : file.endsWith('.js') || file.endsWith('.mjs') ? 'text/javascript' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, ...isolation, ...csp });
    res.end(fs.readFileSync(file));
  }),
};

/** The test build's extra static pages (e2e/public: the no-bundler example), beside the site's own public/. */
const testPages: Plugin = {
  name: 'rerank-web-test-pages',
  apply: 'build',
  generateBundle() {
    const root = path.resolve('e2e/public');
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const f of walk(root)) this.emitFile({ type: 'asset', fileName: path.relative(root, f), source: fs.readFileSync(f) });
  },
};

/** The offline recipe the demo links to when a model cannot be fetched: served at docs/demo.md in dev and build alike. */
const offlineRecipe: Plugin = {
  name: 'rerank-web-offline-recipe',
  apply: 'build',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'docs/demo.md', source: fs.readFileSync('docs/demo.md', 'utf8') });
  },
};

/**
 * Two builds of the site. `vite build` (npm run build): the deployable demo in dist/, the demo page alone, relative
 * URLs (it works under any path, e.g. a GitHub Pages project site). `vite
 * build --mode test`: the same demo plus the pages the browser tests drive (e2e/*.html, e2e/public/examples) in
 * dist-test/, which `vite preview --mode test` serves.
 * public/ (the hosts' header files, the cross-origin isolation service worker) goes into both. Both leave out ORT's asyncify WebGPU build (session.ts).
 */
export function siteConfig(mode: string): UserConfig {
  const test = mode === 'test';
  return {
    base: './',
    plugins: test ? [beirFolders(), offlineRecipe, testPages, standaloneBuild] : [beirFolders(), offlineRecipe],
    define: { __RERANK_ASYNCIFY__: 'false' },
    server: { headers: { ...isolation, ...csp } },
    preview: { headers: { ...isolation, ...csp } },
    // Pre-bundling ORT rewrote its import.meta.url-relative .wasm paths and re-optimised on first visit.
    optimizeDeps: { exclude: ['onnxruntime-web'] },
    worker: { format: 'es' },
    build: {
      target: 'es2022',
      outDir: test ? 'dist-test' : 'dist',
      rollupOptions: { input: test ? { main: 'index.html', harness: 'e2e/harness.html', adapters: 'e2e/adapters.html', integrations: 'e2e/integrations.html', bareOrt: 'e2e/bare-ort.html' } : { main: 'index.html' } },
    },
  };
}

export default defineConfig(({ mode }) => siteConfig(mode));
