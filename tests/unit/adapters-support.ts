// Shared by the adapter tests: a small corpus whose lexical order (by 'cats') differs from its relevance order
// (by 'gentle'), and a mocked scorer whose score is a known function of the text, so each case can state its order.
import { RerankError } from '../../src/errors.ts';
import type { Reranker, Scorer } from '../../src/index.ts';

export interface Doc {
  id: string;
  title: string;
  text: string;
  meta: { author: string };
}

/** 'gentle' counts (title + text): a 0, b 1, c 4, d 2 ('gently' is another word), e 1, f 0. 'e' has no 'cats'. */
export const DOCS: Doc[] = [
  { id: 'a', title: 'Cats', text: 'Cats, cats and more cats: a page about cats.', meta: { author: 'Ann' } },
  { id: 'b', title: 'Living with cats', text: 'A gentle introduction to cats at home.', meta: { author: 'Bob' } },
  { id: 'c', title: 'Gentle cats', text: 'Gentle breeds: the gentle cats that are gentle with children.', meta: { author: 'Cy' } },
  { id: 'd', title: 'Cat food', text: 'What cats eat, gently and gentle: two gentle recipes.', meta: { author: 'Di' } },
  { id: 'e', title: 'Dogs', text: 'Dogs are gentle too.', meta: { author: 'Ed' } },
  { id: 'f', title: 'Cats in winter', text: 'Cats sleep more when it is cold.', meta: { author: 'Fi' } },
];

export function countWord(text: string, word: string): number {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w === word).length;
}

export interface Call {
  query: string;
  documents: string[];
  options: Parameters<Scorer['score']>[2];
}

/** score = n / (n + 1), n = whole-word count of `word` in the text: 0 for none, rising towards 1, like a calibrated score. */
export function keywordScorer(word = 'gentle'): Scorer & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async score(query, documents, options) {
      calls.push({ query, documents: [...documents], options });
      if (options?.signal?.aborted) throw new RerankError('ABORTED', 'the call was aborted');
      return documents.map((d) => {
        const n = countWord(d, word);
        return n / (n + 1);
      });
    },
  };
}

// Compile-time guard: the library's own Reranker is a Scorer, so `rerankX(reranker, ...)` type-checks in an app.
export const rerankerIsAScorer = (r: Reranker): Scorer => r;

/** The ids of an adapter's output, read through `pick` from each kept result object. */
export function ids<T>(entries: readonly { result: T }[], pick: (r: T) => string): string[] {
  return entries.map((e) => pick(e.result));
}
