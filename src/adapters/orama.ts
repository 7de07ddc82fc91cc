// Orama: `search()` returns `{ count, hits, elapsed }`; each hit is `{ id, score, document }`.
import type { Reranked } from './blend.ts';
import { checkedText, listOf, numberOrNull, rerankItems, textFromFields, type AdapterOptions, type FieldPath, type Scorer } from './shared.ts';

/** What the adapter reads of an Orama hit (`Result<Document>`). */
export interface OramaHitLike<D = unknown> {
  id: string;
  score: number;
  document: D;
}

export interface OramaAdapterOptions<H> extends AdapterOptions {
  /** Paths into the hit's `document` that form the text ('title', 'meta.author'). Default: its string fields but id. */
  fields?: readonly FieldPath[];
  /** The text of a hit, instead of `fields`. */
  getText?: (hit: H) => string;
}

const SKIP: ReadonlySet<string> = new Set(['id']);
const HINT = "the hit's document has none of the fields: pass fields (paths into hit.document) or getText";

/** Reranks Orama's results (the `{ hits }` object `search()` returns, or the hits array). Entries hold the same hits. */
export async function rerankOrama<H extends OramaHitLike>(
  reranker: Scorer,
  query: string,
  results: { readonly hits: readonly H[] } | readonly H[],
  options: OramaAdapterOptions<H> = {},
): Promise<Reranked<H>[]> {
  const items = listOf<H>(results, 'rerankOrama', 'hits').map((h) => ({ result: h, score: numberOrNull(h.score), relevance: numberOrNull(h.score) }));
  return rerankItems(reranker, query, items, (head) => head.map((h, i) => checkedText(
    options.getText ? options.getText(h.result) : textFromFields(h.result.document, options.fields, SKIP), i, HINT,
  )), options);
}
