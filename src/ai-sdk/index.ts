// rerank-web/ai-sdk: a reranking model for the AI SDK's `rerank()` that runs in the visitor's browser.
//   import { rerank } from 'ai';
//   import { rerankWeb } from 'rerank-web/ai-sdk';
//   const { ranking } = await rerank({ model: rerankWeb('Xenova/ms-marco-MiniLM-L-6-v2'), query, documents, topN: 5 });
// `ai` and `@ai-sdk/provider` are optional peer dependencies: this entry imports only types from the latter.
import { createReranker } from '../index.ts';
import { modelFactory } from './model.ts';

export type { RerankWebModel, RerankWebModelOptions } from './model.ts';

/**
 * A RerankingModelV4 (what `rerank()` of `ai` takes as `model`). The model loads on the first call, once per model
 * id and options however many models are made. Documents may be strings, or objects whose `text` field is read
 * (or pass `getText`).
 */
export const rerankWeb = modelFactory(createReranker);
