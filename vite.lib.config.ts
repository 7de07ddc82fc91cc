// The library build: dist/lib/rerank-web.js (ESM) and the worker as a file beside it, found through
// new URL(..., import.meta.url) so that the consumer's bundler emits it. Dependencies stay bare imports: the
// consumer's bundler resolves them, and emits ORT's .wasm the same way. Types come from tsc (tsconfig.lib.json).
import { defineConfig, mergeConfig } from 'vite';
import site from './vite.config.ts';

const { build: _siteBuild, ...shared } = site as Record<string, unknown>;
const DEPS = [/^onnxruntime-web/, /^@huggingface\/transformers/, /^comlink/];

export default mergeConfig(shared, defineConfig({
  publicDir: false,
  base: './',
  worker: { format: 'es', rollupOptions: { external: DEPS } },
  build: {
    outDir: 'dist/lib',
    emptyOutDir: true,
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: 'rerank-web' },
    target: 'es2022',
    rollupOptions: { external: DEPS },
  },
}));
