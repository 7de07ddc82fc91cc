// Builds the benchmark page (bench/web) into dist-bench/ and serves it cross-origin isolated, so that WASM gets
// its threads. Unlike vite.config.ts, onnxruntime-web is NOT deduplicated: transformers.js keeps the ORT it pins,
// as it would in a user's install.
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { sentBytesLog, wasmCompression } from './bench/run/compress.ts';
import { beirFolders } from './tools/vite-beir-plugin.ts';

const root = import.meta.dirname;
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** transformers.js's pinned ORT WASM files under /ort-tjs/, where its worker points env.wasm.wasmPaths (no CDN). */
function transformersOrtFiles(): Plugin {
  const pkg = path.join(root, 'node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist');
  const from = fs.existsSync(pkg) ? pkg : path.join(root, 'node_modules/onnxruntime-web/dist');
  return {
    name: 'bench-transformers-ort-files',
    apply: 'build',
    writeBundle(options) {
      const out = path.join(options.dir ?? path.join(root, 'dist-bench'), 'ort-tjs');
      fs.mkdirSync(out, { recursive: true });
      for (const f of ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm']) {
        fs.copyFileSync(path.join(from, f), path.join(out, f));
      }
    },
  };
}

export default defineConfig({
  root: path.join(root, 'bench/web'),
  base: '/',
  publicDir: false,
  server: { headers: isolation },
  preview: { headers: isolation },
  optimizeDeps: { exclude: ['onnxruntime-web', '@huggingface/transformers'] },
  worker: { format: 'es' },
  // BEIR folders under /beir/ for the eval page (scripts/eval.ts), as the demo has them. The preview gzips JS, JSON
  // and HTML by itself; wasmCompression() adds .wasm, as a CDN serves it; sentBytesLog() (first: it must see what
  // every later middleware writes) lets the cold row check the bytes the browser counted against the bytes sent.
  plugins: [sentBytesLog(), transformersOrtFiles(), beirFolders(), wasmCompression()],
  logLevel: 'warn',
  build: {
    target: 'es2022',
    outDir: path.join(root, 'dist-bench'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 100_000,
    // ab.html: raw-ORT run-plan A/B behind the batching proposals (bench/run/ab-plans.ts).
    // eval.html: first stage and reranker quality on BEIR sets (scripts/eval.ts).
    // decoder.html: decoder rerankers, shared prefix against full prompts (scripts/bench-decoder.ts).
    // size.html: real-size model loads, memory and cache (scripts/bench-size.ts).
    // decoder-size.html: a real-size decoder against transformers.js, pruned vs full head (scripts/bench-decoder-size.ts).
    rollupOptions: {
      input: {
        bench: path.join(root, 'bench/web/index.html'), ab: path.join(root, 'bench/web/ab.html'), eval: path.join(root, 'bench/web/eval.html'),
        decoder: path.join(root, 'bench/web/decoder.html'), size: path.join(root, 'bench/web/size.html'),
        'decoder-size': path.join(root, 'bench/web/decoder-size.html'),
      },
    },
  },
});
