// Ranking quality: nDCG@k with graded judgments, as BEIR and TREC compute it (gain = relevance, log2 discount).

/** DCG of a ranked list of relevance grades, over its first k entries. */
export function dcg(grades: readonly number[], k: number): number {
  let sum = 0;
  for (let i = 0; i < Math.min(k, grades.length); i++) sum += grades[i]! / Math.log2(i + 2);
  return sum;
}

/**
 * nDCG@k of `ranked` (document ids, best first) against `qrels` (id -> grade). The ideal ranking is built from all
 * judged documents, not only the retrieved ones, so a first stage that misses relevant documents is penalised.
 * Returns null when the query has no relevant document (it is left out of averages).
 */
export function ndcgAtK(ranked: readonly string[], qrels: ReadonlyMap<string, number>, k = 10): number | null {
  const ideal = [...qrels.values()].filter((g) => g > 0).sort((a, b) => b - a);
  const idcg = dcg(ideal, k);
  if (idcg === 0) return null;
  return dcg(ranked.map((id) => qrels.get(id) ?? 0), k) / idcg;
}

export function mean(values: readonly (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

function relevantIds(qrels: ReadonlyMap<string, number>): string[] {
  return [...qrels].filter(([, g]) => g > 0).map(([id]) => id);
}

/**
 * Recall@k: the share of the query's relevant documents found in the first k of `ranked`. This is what bounds a
 * reranker fed the first stage's top k. Null when the query has no relevant document.
 */
export function recallAtK(ranked: readonly string[], qrels: ReadonlyMap<string, number>, k: number): number | null {
  const relevant = relevantIds(qrels);
  if (relevant.length === 0) return null;
  const head = new Set(ranked.slice(0, k));
  return relevant.filter((id) => head.has(id)).length / relevant.length;
}

/** MRR@k: 1 / rank of the first relevant document within the first k, 0 if none. Null without relevant documents. */
export function mrrAtK(ranked: readonly string[], qrels: ReadonlyMap<string, number>, k = 10): number | null {
  if (relevantIds(qrels).length === 0) return null;
  const i = ranked.slice(0, k).findIndex((id) => (qrels.get(id) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}
