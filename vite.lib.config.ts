// Library builds (npm run build:lib):
// - dist/lib: for bundlers. rerank-web.js (the public entry) and reranker.worker.js (the worker entry) with
//   comlink, onnxruntime-web and @huggingface/tokenizers left as bare imports for the consumer's bundler. The entry
//   keeps the literal `new Worker(new URL('./reranker.worker.js', import.meta.url))`, the pattern Vite and webpack
//   look for to bundle a worker, and ORT's own `new URL('*.wasm', import.meta.url)` lets them emit the .wasm.
//   ai-sdk.js (rerank-web/ai-sdk) and pagefind-ui.js (rerank-web/pagefind-ui) import the public entry as
//   './rerank-web.js', so that a page holds one copy of the library (and of its worker's URL).
// - dist/standalone (RERANK_STANDALONE=1): for a page with no bundler. Everything bundled, worker, ORT chunk and
//   .wasm as files beside the entry, all found relative to it. pagefind-ui.js there is the one script a Pagefind
//   site adds (it installs the reranking PagefindUI).
import { defineConfig, type Plugin } from 'vite';
import { siteConfig } from './vite.config.ts';

const site = siteConfig('lib');

const standalone = process.env.RERANK_STANDALONE === '1';
const DEPS = [/^onnxruntime-web/, /^@huggingface\/tokenizers/, /^comlink/];
const PLACEHOLDER = '__RERANK_WEB_WORKER_URL__';

// Vite would bundle the worker into the library and point at it through a URL bundlers no longer recognise. Hide the
// pattern from Vite while building, and write it back, literal, into the output.
const keepWorkerPattern: Plugin = {
  name: 'rerank-web-keep-worker-pattern',
  enforce: 'pre',
  transform(code, id) {
    if (!id.endsWith('src/worker-handle.ts')) return null;
    return code.replace("new URL('../workers/reranker.worker.ts', import.meta.url)", PLACEHOLDER);
  },
  renderChunk(code) {
    return code.includes(PLACEHOLDER) ? code.replace(PLACEHOLDER, "new URL('./reranker.worker.js', import.meta.url)") : null;
  },
};

// The integrations reach the library through its public entry, a file of its own in both builds.
const publicEntry: Plugin = {
  name: 'rerank-web-public-entry',
  enforce: 'pre',
  resolveId(source, importer) {
    if (!importer || !/\/src\/(ai-sdk|integrations)\//.test(importer)) return null;
    return source === '../index.ts' ? { id: './rerank-web.js', external: true } : null;
  },
};

export default defineConfig({
  ...site,
  plugins: standalone ? [publicEntry] : [keepWorkerPattern, publicEntry],
  publicDir: false,
  base: './',
  // The library keeps all three ORT builds (the site leaves out asyncify): an app decides what it ships (docs/install.md).
  define: { __RERANK_ASYNCIFY__: 'true' },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: standalone ? 'dist/standalone' : 'dist/lib',
    emptyOutDir: true,
    minify: standalone,
    // Library mode for the bundler build: no preload helper (whose import.meta.url expression webpack warns about).
    // Not for the standalone build: library mode would inline ORT's 26 MB .wasm as base64.
    lib: standalone ? false : {
      entry: { 'rerank-web': 'src/index.ts', 'reranker.worker': 'workers/reranker.worker.ts', 'ai-sdk': 'src/ai-sdk/index.ts', 'pagefind-ui': 'src/integrations/pagefind-ui.ts' },
      formats: ['es'],
    },
    rollupOptions: {
      input: standalone ? { 'rerank-web': 'src/index.ts', 'pagefind-ui': 'src/integrations/pagefind-ui-install.ts' } : undefined,
      preserveEntrySignatures: 'strict',
      external: standalone ? [] : DEPS,
      output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' },
    },
  },
});
