// Cross-origin isolation on a static host that cannot send headers (GitHub Pages): this service worker answers the
// site's own requests with Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy added, so that after one
// reload the page is crossOriginIsolated and WASM gets its threads. Requests to other origins (the model's host) are
// left alone: they are CORS requests, which require-corp accepts. src/demo/coi.ts registers it.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  // A request the browser only allows from its cache cannot be re-issued by a worker.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.status === 0 || response.type === 'opaqueredirect') return response;
      const headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      headers.set('Cross-Origin-Resource-Policy', 'same-origin');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
