// The Vite consumer's whole configuration: nothing rerank-web-specific but the isolation headers for threads.
export default {
  preview: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
  worker: { format: 'es' },
};
