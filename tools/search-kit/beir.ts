// BEIR folders served at /beir/<name>/ (see tools/vite-beir-plugin.ts): list, load, and evaluate nDCG@10 and the
// first stage's recall at K (what the reranker can reach at most).
import { meanOverQueries as mean, ndcgAtK, recallAtK } from '../../src/index.ts';
import { parseCorpus, parseQrels, parseQueries, type Doc, type Query } from './corpus.ts';

export interface BeirSet {
  name: string;
  docs: Doc[];
  /** Queries that have judgments, in file order. */
  queries: Query[];
  qrels: Map<string, Map<string, number>>;
}

export async function listBeir(): Promise<string[]> {
  try {
    const r = await fetch('/beir/index.json');
    return r.ok ? ((await r.json()) as string[]) : [];
  } catch {
    return [];
  }
}

async function text(url: string): Promise<string> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.text();
}

export async function loadBeir(name: string): Promise<BeirSet> {
  const base = `/beir/${encodeURIComponent(name)}`;
  const [corpus, queries, qrels] = await Promise.all([
    text(`${base}/corpus.jsonl`),
    text(`${base}/queries.test.jsonl`).catch(() => text(`${base}/queries.jsonl`)),
    text(`${base}/qrels/test.tsv`),
  ]);
  const judged = parseQrels(qrels);
  return { name, docs: parseCorpus('corpus.jsonl', corpus), queries: parseQueries(queries).filter((q) => judged.has(q.id)), qrels: judged };
}

export interface QueryEval {
  /** nDCG@10 of the first stage. */
  firstStage: number | null;
  /** nDCG@10 after reranking the first stage's top K. */
  reranked: number | null;
  /** Recall@K of the first stage, K being the number of results reranked. */
  recall: number | null;
}

/** `firstStageIds`: the first stage's top K, best first (K = what goes to the reranker). */
export function evaluate(set: BeirSet, queryId: string, firstStageIds: string[], rerankedIds: string[]): QueryEval {
  const q = set.qrels.get(queryId) ?? new Map<string, number>();
  return { firstStage: ndcgAtK(firstStageIds, q, 10), reranked: ndcgAtK(rerankedIds, q, 10), recall: recallAtK(firstStageIds, q, firstStageIds.length) };
}

export function summarize(evals: QueryEval[]): QueryEval {
  return { firstStage: mean(evals.map((e) => e.firstStage)), reranked: mean(evals.map((e) => e.reranked)), recall: mean(evals.map((e) => e.recall)) };
}
