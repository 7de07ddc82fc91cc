// MiniSearch: its results are flat objects, the document's stored fields (`storeFields`) next to id, score, terms,
// queryTerms and match. Only stored fields can form the text.
import type { Reranked } from './blend.ts';
import { checkedText, listOf, numberOrNull, rerankItems, textFromFields, type AdapterOptions, type FieldPath, type Scorer } from './shared.ts';

/** What the adapter reads of a MiniSearch `SearchResult`: its score and its stored fields. */
export interface MiniSearchResultLike {
  id: unknown;
  score: number;
  [field: string]: unknown;
}

export interface MiniSearchAdapterOptions<R> extends AdapterOptions {
  /** Stored fields that form the text, joined by newlines. Default: every string field but MiniSearch's own. */
  fields?: readonly FieldPath[];
  /** The text of a result, instead of `fields`. */
  getText?: (result: R) => string;
}

/** MiniSearch's own keys on a result: never document text. */
const OWN_KEYS: ReadonlySet<string> = new Set(['id', 'score', 'terms', 'queryTerms', 'match']);
const HINT = "MiniSearch results carry stored fields only: add the text fields to 'storeFields', or pass fields or getText";

/**
 * Reranks `miniSearch.search(query)` results. Each entry holds the same result object; MiniSearch's BM25 score is
 * `firstStageScore`.
 */
export async function rerankMiniSearch<R extends MiniSearchResultLike>(
  reranker: Scorer,
  query: string,
  results: readonly R[],
  options: MiniSearchAdapterOptions<R> = {},
): Promise<Reranked<R>[]> {
  const items = listOf<R>(results, 'rerankMiniSearch').map((r) => ({ result: r, score: numberOrNull(r.score), relevance: numberOrNull(r.score) }));
  return rerankItems(reranker, query, items, (head) => head.map((h, i) => checkedText(
    options.getText ? options.getText(h.result) : textFromFields(h.result, options.fields, OWN_KEYS), i, HINT,
  )), options);
}

