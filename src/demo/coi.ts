// Cross-origin isolation where the host sends no headers: register public/coi-sw.js, which adds them to the site's
// own responses, and reload once so that the page itself comes through it. Without isolation WASM runs one thread;
// see docs/demo.md for the measured difference. `?coi=0` turns it off (for that comparison).
const TRIED = 'rerank-web-coi-reload';

/** True when the page is about to reload to become isolated: the caller should start nothing. */
export async function isolateThroughServiceWorker(): Promise<boolean> {
  if (globalThis.crossOriginIsolated || !window.isSecureContext || !('serviceWorker' in navigator)) return false;
  if (new URLSearchParams(location.search).get('coi') === '0') return false;
  // Once per tab: where the worker cannot isolate the page (a browser that ignores it, a private mode without
  // service workers), the demo runs on one thread instead of reloading for ever.
  if (sessionStorage.getItem(TRIED)) return false;
  try {
    await navigator.serviceWorker.register(new URL('./coi-sw.js', location.href), { scope: './' });
    await navigator.serviceWorker.ready;
  } catch {
    return false;
  }
  sessionStorage.setItem(TRIED, '1');
  location.reload();
  return true;
}
