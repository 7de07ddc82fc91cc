// `rerank()` of `ai` inside a dedicated worker, with rerank-web/ai-sdk (which starts its own worker from here).
import { rerank } from 'ai';
import { rerankWeb } from '../src/ai-sdk/index.ts';
import type { RerankWebModelOptions } from '../src/ai-sdk/index.ts';

interface Request { model: string; options: RerankWebModelOptions; query: string; documents: string[]; topN?: number }

self.onmessage = async (e: MessageEvent<Request>) => {
  const { model, options, query, documents, topN } = e.data;
  try {
    const { ranking } = await rerank({ model: rerankWeb(model, options), query, documents, topN });
    self.postMessage({ ok: true, ranking: ranking.map((r) => ({ index: r.originalIndex, score: r.score, document: r.document })) });
  } catch (err) {
    self.postMessage({ ok: false, code: (err as { code?: string }).code ?? 'NO_CODE', message: String(err) });
  }
};
