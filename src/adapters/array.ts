// Any result list: the JSON of a search API, a hand-made array. Strings are their own text; objects give theirs
// through fields or getText, and their first-stage score through getScore.
import type { Reranked } from './blend.ts';
import { checkedText, listOf, numberOrNull, rerankItems, textFromFields, valueAt, type AdapterOptions, type FieldPath, type Scorer } from './shared.ts';

export interface ArrayAdapterOptions<R> extends AdapterOptions {
  /** Paths that form the text ('title', 'highlight.body'). Default: the item if it is a string, else its string fields but id. */
  fields?: readonly FieldPath[];
  /** The text of a result, instead of `fields`. */
  getText?: (result: R) => string;
  /** The first stage's score of a result. Default: its numeric `score` field, if any; else blending uses the rank. */
  getScore?: (result: R) => number | null | undefined;
  /** The first stage's score is a distance (lower is better). Default false. */
  lowerIsBetter?: boolean;
}

const SKIP: ReadonlySet<string> = new Set(['id']);
const HINT = 'pass strings, objects with string fields, or the fields or getText option';

/** Reranks any array of results, keeping its objects; the array's order is the first stage's order. */
export async function rerankArray<R>(
  reranker: Scorer,
  query: string,
  results: readonly R[],
  options: ArrayAdapterOptions<R> = {},
): Promise<Reranked<R>[]> {
  const getScore = options.getScore ?? ((r: R) => valueAt(r, 'score'));
  const items = listOf<R>(results, 'rerankArray').map((r) => {
    const score = numberOrNull(getScore(r));
    return { result: r, score, relevance: score === null ? null : options.lowerIsBetter ? -score : score };
  });
  return rerankItems(reranker, query, items, (head) => head.map((h, i) => checkedText(
    options.getText ? options.getText(h.result) : textFromFields(h.result, options.fields, SKIP), i, HINT,
  )), options);
}
