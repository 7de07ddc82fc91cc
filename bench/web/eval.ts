// The eval page: a BEIR set's judged queries through the demo's first stage (MiniSearch in the page) and, with a
// model, the public reranker API, with metrics per query. Driven by scripts/eval.ts through window.evalRun.
import { createReranker, mrrAtK, ndcgAtK, recallAtK } from '../../src/index.ts';
import { loadBeir } from '../../tools/search-kit/beir.ts';
import { docText } from '../../tools/search-kit/corpus.ts';
import { FirstStage } from '../../tools/search-kit/search.ts';
import type { EvalPageResult, EvalSpec, ListMetrics, QueryRecord } from './eval-types.ts';

/** The depth every list is judged to: recall@100 needs the first stage's top 100. */
const DEPTH = 100;

function metrics(ids: string[], qrels: ReadonlyMap<string, number>): ListMetrics {
  return {
    ndcg10: ndcgAtK(ids, qrels, 10), mrr10: mrrAtK(ids, qrels, 10),
    recall10: recallAtK(ids, qrels, 10), recall50: recallAtK(ids, qrels, 50), recall100: recallAtK(ids, qrels, 100),
  };
}

async function evalRun(spec: EvalSpec): Promise<EvalPageResult> {
  const set = await loadBeir(spec.set);
  const queries = spec.queries > 0 ? set.queries.slice(0, spec.queries) : set.queries;
  const stages = spec.firstStages.map((mode) => {
    const t0 = performance.now();
    const stage = new FirstStage(set.docs, mode);
    return { mode, stage, indexMs: performance.now() - t0 };
  });
  let model: EvalPageResult['model'] = null;
  const t0 = performance.now();
  const reranker = spec.model
    ? await createReranker({ model: spec.model, hubUrl: spec.hubUrl, device: spec.device, dtype: spec.dtype as 'auto' })
    : null;
  if (reranker) model = { id: spec.model!, device: reranker.info.device, dtype: reranker.info.dtype, loadMs: performance.now() - t0 };
  const records: QueryRecord[] = [];
  try {
    for (const q of queries) {
      const qrels = set.qrels.get(q.id)!;
      const record: QueryRecord = { id: q.id, firstStage: {}, reranked: null };
      let feed: string[] = [];
      for (const { mode, stage } of stages) {
        const t = performance.now();
        const hits = stage.search(q.text, DEPTH);
        const searchMs = performance.now() - t;
        const ids = hits.map((h) => h.doc.id);
        record.firstStage[mode] = { ...metrics(ids, qrels), searchMs };
        if (mode === spec.firstStages[0]) feed = ids;
      }
      if (reranker && feed.length > 0) {
        const head = feed.slice(0, spec.k);
        const byId = new Map(set.docs.map((d) => [d.id, d] as const));
        const t = performance.now();
        const ranked = await reranker.rerank(q.text, head, { getText: (id: string) => docText(byId.get(id)!) });
        record.reranked = { ...metrics([...ranked.map((r) => r.document), ...feed.slice(spec.k)], qrels), rerankMs: performance.now() - t };
      }
      records.push(record);
      (window as { evalProgress?: (done: number, total: number) => void }).evalProgress?.(records.length, queries.length);
    }
  } finally {
    await reranker?.dispose();
  }
  return { documents: set.docs.length, indexMs: Object.fromEntries(stages.map((s) => [s.mode, s.indexMs])), records, model };
}

Object.assign(window, { evalRun });
