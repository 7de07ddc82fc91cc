// Pagefind: `pagefind.search(query)` resolves to `{ results }`, each `{ id, score, words, data }` where `data()`
// fetches the page's fragment (`{ url, content, excerpt, meta: { title }, ... }`). The adapter loads data() for the
// top K only, since each call is a request; the loaded data comes back with each entry, so the page can render
// it without fetching again.
import type { Reranked } from './blend.ts';
import { checkedText, listOf, numberOrNull, rerankItems, textFromFields, type AdapterOptions, type FieldPath, type Scorer } from './shared.ts';

/** A page's fragment as Pagefind's `result.data()` resolves it (the fields the adapter may read, and the rest). */
export interface PagefindData {
  url: string;
  /** The page's text. */
  content: string;
  /** HTML with `<mark>` around the matched words. */
  excerpt: string;
  meta: { title?: string; [key: string]: string | undefined };
  [key: string]: unknown;
}

/** What the adapter reads of a Pagefind result. */
export interface PagefindResultLike<D = PagefindData> {
  id: string;
  score: number;
  data(): Promise<D>;
}

/** The data type a result's data() resolves to; Pagefind's own shape when the result is untyped (pagefind.js has no types). */
export type PagefindDataOf<R> = R extends { data(): Promise<infer D> } ? (unknown extends D ? PagefindData : D) : PagefindData;

export interface RerankedPagefind<R, D = PagefindDataOf<R>> extends Reranked<R> {
  /** What `result.data()` resolved to, for the results that were reranked; null past topK (never loaded). */
  data: D | null;
}

export interface PagefindAdapterOptions<R, D = PagefindDataOf<R>> extends AdapterOptions {
  /** Paths into the loaded data that form the text. Default ['meta.title', 'content']. */
  fields?: readonly FieldPath[];
  /** The text of a result from its loaded data, instead of `fields`. */
  getText?: (data: D, result: R) => string;
}

export const PAGEFIND_DEFAULT_FIELDS: readonly FieldPath[] = ['meta.title', 'content'];
const HINT = "its data() has none of the fields: pass fields (paths into data(), default ['meta.title', 'content']) or getText";

/**
 * Reranks Pagefind's results (the object `pagefind.search()` resolves to, or its `results` array). Loads data()
 * for the first topK results, all at once; entries hold the same result objects and the loaded data.
 */
export async function rerankPagefind<R extends PagefindResultLike<unknown>>(
  reranker: Scorer,
  query: string,
  results: { readonly results: readonly R[] } | readonly R[],
  options: PagefindAdapterOptions<R> = {},
): Promise<RerankedPagefind<R>[]> {
  type D = PagefindDataOf<R>;
  const items = listOf<R>(results, 'rerankPagefind', 'results').map((r) => ({ result: r, score: numberOrNull(r.score), relevance: numberOrNull(r.score) }));
  const loaded: D[] = [];
  const ranked = await rerankItems(reranker, query, items, async (head) => {
    loaded.push(...((await Promise.all(head.map((h) => h.result.data()))) as D[]));
    return head.map((h, i) => checkedText(
      options.getText ? options.getText(loaded[i]!, h.result) : textFromFields(loaded[i], options.fields ?? PAGEFIND_DEFAULT_FIELDS),
      i, HINT,
    ));
  }, options);
  return ranked.map((e) => ({ ...e, data: e.firstStageRank < loaded.length ? loaded[e.firstStageRank]! : null }));
}
