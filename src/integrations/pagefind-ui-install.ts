// The one script for a page that uses Pagefind's UI without a bundler (the standalone build's pagefind-ui.js):
//   <script type="module" src="/rerank-web/pagefind-ui.js"></script>
// before the page's `new PagefindUI({ element: '#search', rerank: { ... } })` (in DOMContentLoaded, as Pagefind's docs do).
import { installPagefindUI } from './pagefind-ui.ts';

installPagefindUI();
