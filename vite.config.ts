import { defineConfig } from 'vite';
import { beirFolders } from './scripts/vite-beir-plugin.ts';

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

export default defineConfig({
  plugins: [beirFolders()],
  server: { headers: { ...isolation, ...csp } },
  preview: { headers: { ...isolation, ...csp } },
  // Pre-bundling ORT rewrote its import.meta.url-relative .wasm paths and re-optimised on first visit.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    rollupOptions: { input: { main: 'index.html', harness: 'e2e/harness.html', adapters: 'e2e/adapters.html', bareOrt: 'e2e/bare-ort.html' } },
  },
});
