// The page e2e/adapters.spec.ts drives: the public API (adapters included) and the real search libraries, as an app
// would bundle them. Pagefind is not bundled: like on a real site it is the pagefind.js that its indexer generated,
// served at /pagefind/ (the spec serves it), and imported at run time.
import * as orama from '@orama/orama';
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import * as rerankWeb from '../src/index.ts';

const adapters = {
  rerankWeb,
  MiniSearch,
  orama,
  Fuse,
  /** The site's own pagefind.js, as Pagefind's docs load it. */
  loadPagefind: (): Promise<unknown> => import(/* @vite-ignore */ new URL('/pagefind/pagefind.js', location.href).href),
};

declare global {
  interface Window {
    adapters: typeof adapters;
    adaptersReady: boolean;
  }
}

window.adapters = adapters;
window.adaptersReady = true;
