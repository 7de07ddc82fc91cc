// Fuse.js: `fuse.search()` returns `{ item, refIndex, score?, matches? }`; the score is there only with
// `includeScore`, and it is a distance: 0 is a perfect match, 1 a complete mismatch.
import type { Reranked } from './blend.ts';
import { checkedText, listOf, numberOrNull, rerankItems, textFromFields, type AdapterOptions, type FieldPath, type Scorer } from './shared.ts';

/** What the adapter reads of a `FuseResult<T>`. */
export interface FuseResultLike<T = unknown> {
  item: T;
  refIndex: number;
  score?: number;
}

/** A Fuse key: a path, or `{ name, weight }` as in Fuse's own `keys` option (so the same array can be passed). */
export type FuseKey = FieldPath | { readonly name: FieldPath };

export interface FuseAdapterOptions<F> extends AdapterOptions {
  /** Paths into `item` that form the text; Fuse's `keys` work as they are. Default: the item if it is a string, else its string fields but id. */
  fields?: readonly FuseKey[];
  /** The text of a result, instead of `fields`. */
  getText?: (result: F) => string;
}

const SKIP: ReadonlySet<string> = new Set(['id']);
const HINT = 'the item has none of the fields: pass fields (paths into result.item, or your Fuse keys) or getText';

/**
 * Reranks `fuse.search(query)` results; entries hold the same result objects. `firstStageScore` is Fuse's score
 * as Fuse gives it (lower is better; null without includeScore); blending uses 1 - score, or the rank without it.
 */
export async function rerankFuse<F extends FuseResultLike>(
  reranker: Scorer,
  query: string,
  results: readonly F[],
  options: FuseAdapterOptions<F> = {},
): Promise<Reranked<F>[]> {
  const fields = options.fields?.map((k) => (typeof k === 'object' && 'name' in k ? k.name : k));
  const items = listOf<F>(results, 'rerankFuse').map((r) => {
    const score = numberOrNull(r.score);
    return { result: r, score, relevance: score === null ? null : 1 - score };
  });
  return rerankItems(reranker, query, items, (head) => head.map((h, i) => checkedText(
    options.getText ? options.getText(h.result) : textFromFields(h.result.item, fields, SKIP), i, HINT,
  )), options);
}
