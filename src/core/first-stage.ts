// A first stage that reaches standard BM25 with MiniSearch: the term processing of Lucene's EnglishAnalyzer
// (lower case, English possessive removed, Lucene's English stop words, Porter stemming) and Lucene's BM25
// parameters as BEIR ran them. Pure: the stemmer is passed in, so the library itself depends on none.

/** Lucene's English stop words (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET), the set BEIR's BM25 baseline used. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of',
  'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with',
]);

/**
 * BM25 as Lucene scores it, in MiniSearch's terms (its `bm25` search option): k1 0.9 and b 0.4 (BEIR's and
 * Anserini's setting), and no BM25+ lower bound (`d: 0`; MiniSearch's default 0.5 is not in Lucene's formula).
 */
// Not frozen: Orama writes its defaults into the relevance object it is given (pass it a copy: `{ ...STANDARD_BM25 }`).
export const STANDARD_BM25: Readonly<{ k: number; b: number; d: number }> = { k: 0.9, b: 0.4, d: 0 };

/** A stemmer: one lower-case word in, its stem out (e.g. the `stemmer` package's Porter stemmer). */
export type Stemmer = (word: string) => string;

/**
 * MiniSearch's `processTerm` for English: lower-cases, drops a trailing possessive ('s), drops stop words, stems.
 * Use it for indexing and searching alike (MiniSearch searches with the index's processTerm by default).
 *
 * @example new MiniSearch({ fields: ['title', 'text'], processTerm: englishProcessTerm(stemmer),
 *   searchOptions: { bm25: STANDARD_BM25 } })
 */
export function englishProcessTerm(stem: Stemmer, stopWords: ReadonlySet<string> = ENGLISH_STOP_WORDS): (term: string) => string | null {
  return (term) => {
    const word = term.toLowerCase().replace(/['’]s$/u, '');
    if (word.length === 0 || stopWords.has(word)) return null;
    return stem(word);
  };
}
