// The AI SDK reranking model (RerankingModelV4 of @ai-sdk/provider 4, the interface `rerank()` of `ai` 7 calls),
// over any loader of a rerank-web Reranker. Pure mapping and the shared load live here so that Node tests can hand
// it a mocked loader; index.ts wires it to createReranker. Only types come from @ai-sdk/provider: at run time
// this file needs neither `ai` nor `@ai-sdk/provider`.
import type { JSONObject, RerankingModelV4, RerankingModelV4CallOptions, RerankingModelV4Result } from '@ai-sdk/provider';
import { isRerankError, RerankError, type Reranker, type RerankerOptions } from '../index.ts';

export const PROVIDER = 'rerank-web';

export interface RerankWebModelOptions extends Omit<RerankerOptions, 'model' | 'signal'> {
  /**
   * The text of an object document (when `rerank()` gets objects instead of strings).
   * @defaultValue the object's `text` field (a string); any other object is an INVALID_ARGUMENT error
   * @example getText: (doc) => `${doc.title}\n${doc.body}`
   */
  getText?: (document: JSONObject) => string;
}

/** A RerankingModelV4 with the loaded reranker within reach (for `info`, or to dispose of it). */
export interface RerankWebModel extends RerankingModelV4 {
  /** Loads the model now (the first `rerank()` does otherwise); every model of the same id and options shares it. */
  load(): Promise<Reranker>;
}

export type Loader = (options: RerankerOptions) => Promise<Reranker>;

/** The texts of the documents `rerank()` sends: strings as they are, objects through getText (default: `text`). */
export function documentTexts(documents: RerankingModelV4CallOptions['documents'], getText?: (d: JSONObject) => string): string[] {
  if (documents.type === 'text') return documents.values;
  return documents.values.map((doc, i) => {
    const text = getText ? getText(doc) : doc?.text;
    if (typeof text !== 'string') {
      throw new RerankError('INVALID_ARGUMENT', `document ${i} has no text: pass strings, objects with a string 'text' field, or rerankWeb(id, { getText })`);
    }
    return text;
  });
}

/** topN as rerank-web's topK: undefined keeps every document; anything else must be a positive integer. */
export function topKOf(topN: number | undefined): number | undefined {
  if (topN === undefined) return undefined;
  if (typeof topN !== 'number' || !Number.isInteger(topN) || topN < 1) {
    throw new RerankError('INVALID_ARGUMENT', `topN must be a positive integer, got ${String(topN)}`);
  }
  return topN;
}

/** Options that decide what is loaded, as a key: functions (onProgress, createWorker, getText) do not count. */
export function cacheKey(modelId: string, options: RerankWebModelOptions): string {
  const plain = Object.entries(options)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([modelId, plain]);
}

function aborted(): RerankError {
  return new RerankError('ABORTED', 'the call was aborted');
}

/** Waits for `work` unless the signal fires first; the work itself goes on (a shared load serves other calls). */
async function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) throw aborted();
  let onAbort = () => {};
  const stop = new Promise<never>((_, reject) => {
    onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, stop]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A factory of models that share their loads: one load per model id and options, kept while it succeeds (a failed
 * load is forgotten, so the next call tries again).
 */
export function modelFactory(loader: Loader): (modelId: string, options?: RerankWebModelOptions) => RerankWebModel {
  const loads = new Map<string, Promise<Reranker>>();
  return (modelId, options = {}) => {
    if (typeof modelId !== 'string' || modelId === '') throw new RerankError('INVALID_ARGUMENT', 'rerankWeb: modelId must be a non-empty string');
    const { getText, ...rerankerOptions } = options;
    const key = cacheKey(modelId, rerankerOptions);
    const load = (): Promise<Reranker> => {
      let p = loads.get(key);
      if (!p) {
        p = loader({ ...rerankerOptions, model: modelId });
        loads.set(key, p);
        p.catch(() => { if (loads.get(key) === p) loads.delete(key); });
      }
      return p;
    };
    const forget = async (r: Reranker): Promise<void> => {
      const p = loads.get(key);
      if (p && (await p.catch(() => null)) === r && loads.get(key) === p) loads.delete(key);
    };
    return {
      specificationVersion: 'v4',
      provider: PROVIDER,
      modelId,
      load,
      async doRerank(call: RerankingModelV4CallOptions): Promise<RerankingModelV4Result> {
        const texts = documentTexts(call.documents, getText);
        const topK = topKOf(call.topN);
        let reranker = await unlessAborted(load(), call.abortSignal);
        let ranked;
        try {
          ranked = await reranker.rerank(call.query, texts, { topK, signal: call.abortSignal });
        } catch (e) {
          // The app disposed of the shared reranker (model.load() hands it out): load a fresh one, once.
          if (!isRerankError(e, 'DISPOSED')) throw e;
          await forget(reranker);
          reranker = await unlessAborted(load(), call.abortSignal);
          ranked = await reranker.rerank(call.query, texts, { topK, signal: call.abortSignal });
        }
        return {
          ranking: ranked.map((r) => ({ index: r.index, relevanceScore: r.score })),
          warnings: [],
          response: { modelId, timestamp: new Date() },
          providerMetadata: { [PROVIDER]: { device: reranker.info.device, dtype: reranker.info.dtype } },
        };
      },
    };
  };
}
