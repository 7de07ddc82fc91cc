// When the model cannot be loaded: say which host was tried and what failed, and offer the project's local test
// model in one click (served by `npm run models && npm run hub`), with the offline recipe linked. Also the note the
// page shows while that test model runs, so that its order is never mistaken for a neural reranker's.
import { isRerankError } from '../index.ts';
import { el } from './view.ts';

/** The generated model whose scores mean something: the share of the query's words that a document contains. */
export const ORACLE_MODEL = 'rerank-web-test/lexical-oracle';
/** docs/demo.md, next to the page in the dev server and in the build (vite.config.ts emits it). */
const RECIPE_URL = './docs/demo.md#offline';
/** Where `npm run hub` serves the generated models. */
export const DEFAULT_LOCAL_HUB = 'http://127.0.0.1:4180';

export const ORACLE_NOTE =
  'Offline test model (lexical oracle, not a neural reranker): it scores each document by the share of the query\'s ' +
  'words, stop words aside, that the document contains, so documents that cover more of the query move above ' +
  'those BM25 preferred for a repeated word.';

function hostTried(e: unknown, hubUrl: string | undefined): string {
  const url = isRerankError(e) ? e.details?.url : undefined;
  try {
    return new URL(url ?? hubUrl ?? 'https://huggingface.co').host;
  } catch {
    return url ?? hubUrl ?? 'huggingface.co';
  }
}

export function renderLoadFailure(box: HTMLElement, e: unknown, o: { model: string; hubUrl: string | undefined; localHub: string; onUseLocal: () => void }): void {
  const host = hostTried(e, o.hubUrl);
  const what = isRerankError(e) ? `${e.code}: ${e.message}` : String(e);
  const unreachable = isRerankError(e, 'MODEL_FETCH_FAILED') && e.details?.status === undefined;
  const button = el('button', { text: 'Use the local test model' });
  button.type = 'button';
  button.id = 'use-local-model';
  button.addEventListener('click', o.onUseLocal);
  const link = Object.assign(el('a', { text: 'offline recipe (docs/demo.md)' }), { href: RECIPE_URL });
  box.replaceChildren(
    el('p', { text: unreachable ? `${o.model} could not be fetched from ${host}: this browser could not reach it (offline, or blocked).` : `${o.model} could not be loaded from ${host}.` }),
    el('p', { className: 'detail', text: what }),
    el('p', {}, button, document.createTextNode(` loads ${ORACLE_MODEL} from ${o.localHub} (start it with npm run models && npm run hub). See the `), link, document.createTextNode('.')),
  );
  box.hidden = false;
}
