// What scripts/eval.ts asks of the eval page (bench/web/eval.ts) and what it gets back, per query.
import type { FirstStageMode } from '../../tools/search-kit/search.ts';

export interface EvalSpec {
  /** A BEIR folder served at /beir/<set>/ (tools/vite-beir-plugin.ts). */
  set: string;
  /** How many judged queries, from the top of the file; 0 for all. */
  queries: number;
  /** First-stage set-ups to measure; the first one feeds the reranker. */
  firstStages: FirstStageMode[];
  /** Results reranked per query. */
  k: number;
  /** No model: first stage only. */
  model: string | null;
  hubUrl?: string;
  device: 'auto' | 'webgpu' | 'wasm';
  dtype: string;
}

/** nDCG@10, MRR@10 and recall at 10/50/100 of one ranked list. */
export interface ListMetrics {
  ndcg10: number | null;
  mrr10: number | null;
  recall10: number | null;
  recall50: number | null;
  recall100: number | null;
}

export interface QueryRecord {
  id: string;
  /** Per first-stage set-up: its metrics and the time its search took in the page. */
  firstStage: Record<string, ListMetrics & { searchMs: number }>;
  /** The first set-up's top K reranked, its results past K after them. */
  reranked: (ListMetrics & { rerankMs: number }) | null;
}

export interface EvalPageResult {
  documents: number;
  indexMs: Record<string, number>;
  records: QueryRecord[];
  model: { id: string; device: string; dtype: string; loadMs: number } | null;
}
