import { defineConfig } from 'vite';
import { beirFolders } from './scripts/vite-beir-plugin.ts';

// Cross-origin isolation gives WASM its threads (SharedArrayBuffer). RERANK_NO_COI=1 serves without it, for the
// test that checks the single-thread fallback.
const isolation = process.env.RERANK_NO_COI
  ? {}
  : { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  plugins: [beirFolders()],
  server: { headers: isolation },
  preview: { headers: isolation },
  // Pre-bundling these rewrote ORT's import.meta.url-relative .wasm paths and re-optimised on first visit.
  optimizeDeps: { exclude: ['onnxruntime-web', '@huggingface/transformers'] },
  // transformers.js pins its own onnxruntime-web; we use it only for tokenizers, so one ORT copy is enough.
  resolve: { dedupe: ['onnxruntime-web', 'onnxruntime-common'] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    rollupOptions: { input: { main: 'index.html', harness: 'e2e/harness.html' } },
  },
});
