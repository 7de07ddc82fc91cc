// The page e2e/ai-sdk.spec.ts and e2e/pagefind-ui.spec.ts drive: the real `ai` package with rerank-web/ai-sdk (in
// the page, and in a worker of its own), and the Pagefind UI integration installed before Pagefind's own
// pagefind-ui.js arrives (the spec adds that script, served from the index it built, as a site would).
import { rerank } from 'ai';
import * as rerankWeb from '../src/index.ts';
import { rerankWeb as aiModel } from '../src/ai-sdk/index.ts';
import { installPagefindUI } from '../src/integrations/pagefind-ui.ts';
import aiWorkerUrl from './ai-sdk-worker.ts?worker&url';

installPagefindUI();

const integrations = {
  rerank,
  rerankWeb,
  aiModel,
  /** A worker that runs `rerank()` of `ai` with rerank-web/ai-sdk inside it. */
  aiWorker: (): Worker => new Worker(new URL(aiWorkerUrl, location.href), { type: 'module' }),
  /** The site's own pagefind.js (the same module the UI's wrapper imports). */
  loadPagefind: (): Promise<unknown> => import(/* @vite-ignore */ new URL('/pagefind/pagefind.js', location.href).href),
};

declare global {
  interface Window {
    integrations: typeof integrations;
    integrationsReady: boolean;
  }
}

window.integrations = integrations;
window.integrationsReady = true;
