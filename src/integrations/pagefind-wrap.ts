// A stand-in for the `pagefind.js` module that Pagefind's UIs import: every export passes through to the real
// module, and search() answers at once with Pagefind's own result (its order stays on screen) while the top K are
// reranked behind it with rerankPagefind. When the reranked order is ready the UI is asked to search again
// (onReranked), and that one search of the same term and options is answered with Pagefind's result objects in
// the reranked order. Page code with no DOM: Node tests drive it with a mocked scorer and a fake module.
import { isRerankError, rerankPagefind, type PagefindAdapterOptions, type PagefindResultLike, type Scorer } from '../index.ts';

/** What the UIs use of pagefind.js (its other exports pass through too). */
export interface PagefindModule {
  search(term: string, options?: object): Promise<PagefindSearch | null>;
  [name: string]: unknown;
}

export interface PagefindSearch {
  results: PagefindResultLike<unknown>[];
  [key: string]: unknown;
}

/** 'loading': the model is loading; 'reranking': scoring; 'reranked': the order on screen is the reranker's;
 * 'failed': the model could not load or score, Pagefind's order stays; 'idle': no search yet. */
export type RerankState = 'idle' | 'loading' | 'reranking' | 'reranked' | 'failed';

export type PagefindRerankAdapterOptions = Omit<PagefindAdapterOptions<PagefindResultLike<unknown>>, 'signal' | 'rest'>;

export interface WrapOptions {
  /** The reranker, loaded once; called at the first search. */
  scorer: () => Promise<Scorer>;
  /** Passed to rerankPagefind (topK default 20 here: each reranked result loads its fragment). */
  adapter?: PagefindRerankAdapterOptions;
  /** Asks the UI to run the search again; the wrapper answers it with the reranked order. */
  onReranked: (term: string, options: object | undefined) => void;
  onState?: (state: RerankState, error?: unknown) => void;
}

export const DEFAULT_UI_TOP_K = 20;
const PASS_THROUGH = ['options', 'init', 'preload', 'filters', 'mergeIndex', 'destroy', 'debouncedSearch', 'createInstance'];

const keyOf = (term: string, options: object | undefined): string => JSON.stringify([term, options ?? {}]);

/** The wrapped module: `real` may be a promise (the import), so that the wrapper can be handed out before it loads. */
export function wrapPagefind(real: PagefindModule | Promise<PagefindModule>, o: WrapOptions): PagefindModule {
  const mod = Promise.resolve(real);
  let scorer: Promise<Scorer> | null = null;
  const state = { ready: false, failed: false };
  let job: AbortController | null = null;
  let pending: { key: string; result: PagefindSearch } | null = null;
  const setState = (s: RerankState, e?: unknown) => o.onState?.(s, e);

  const rerankBehind = async (term: string, options: object | undefined, result: PagefindSearch, signal: AbortSignal) => {
    if (!scorer) scorer = o.scorer().then((x) => { state.ready = true; return x; }, (e: unknown) => { state.failed = true; throw e; });
    if (state.failed) throw new Error('the reranker could not load');
    if (!state.ready) setState('loading');
    const ready = await scorer;
    if (signal.aborted) return;
    setState('reranking');
    const ranked = await rerankPagefind(ready, term, result, { topK: DEFAULT_UI_TOP_K, ...o.adapter, rest: 'keep', signal });
    if (signal.aborted) return;
    const results = ranked.map((e) => e.result);
    if (results.every((r, i) => r === result.results[i])) return setState('reranked'); // same order: nothing to redraw
    pending = { key: keyOf(term, options), result: { ...result, results } };
    setState('reranked');
    o.onReranked(term, options);
  };

  const wrapped: PagefindModule = {
    async search(term: string, options?: object) {
      const key = keyOf(term, options);
      if (pending && pending.key === key) {
        const { result } = pending;
        pending = null;
        return result;
      }
      pending = null;
      job?.abort();
      const controller = new AbortController();
      job = controller;
      const result = await (await mod).search(term, options);
      if (!result || !Array.isArray(result.results) || controller.signal.aborted) return result;
      if (result.results.length < 2) {
        setState('reranked');
        return result;
      }
      rerankBehind(term, options, result, controller.signal).catch((e: unknown) => {
        if (controller.signal.aborted || (isRerankError(e) && e.code === 'ABORTED')) return;
        setState('failed', e);
      });
      return result;
    },
  };
  for (const name of PASS_THROUGH) {
    wrapped[name] = async (...args: unknown[]) => {
      const m = await mod;
      const f = m[name];
      return typeof f === 'function' ? (f as (...a: unknown[]) => unknown).apply(m, args) : undefined;
    };
  }
  return wrapped;
}
