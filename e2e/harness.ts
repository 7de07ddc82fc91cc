// The page the browser tests drive: the public API only, exactly as an app would import it.
import * as rerankWeb from '../src/index.ts';

declare global {
  interface Window {
    rerankWeb: typeof rerankWeb;
    harnessReady: boolean;
  }
}

window.rerankWeb = rerankWeb;
window.harnessReady = true;
