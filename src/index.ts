// rerank-web's public entry. Everything a page needs; nothing of the worker's.
export { createReranker } from './client.ts';
export type { Reranker, RankedResult } from './client.ts';
export { RerankError, isRerankError, ERROR_CODES } from './errors.ts';
export { clearCachedModels, listCachedModels, storageEstimate } from './cache.ts';
export type { CachedFile, CachedModel } from './cache.ts';
export type { ErrorCode, RerankErrorDetails } from './errors.ts';
export { DEFAULT_MODEL, DEVICES, DTYPES } from './options.ts';
export { PRESETS } from './presets.ts';
export type { RerankerPreset } from './presets.ts';
export type { RerankCallOptions } from './call-options.ts';
// Deprecated names of RerankCallOptions, kept for one release.
export type { CallOptions, RerankOptions } from './call-options.ts';
export { RECIPES } from './core/decoder-recipes.ts';
export type { DecoderRecipe, DecoderRecipeOptions, RecipeName, RecipeScore } from './core/decoder-recipes.ts';
export type { DecoderMode, Device, Dtype, RerankerOptions } from './options.ts';
export type { AdapterInfo, BatchEvent, FileProgressEvent, ProgressEvent, RerankerInfo, ScoreTimings, StorageInfo } from './protocol.ts';
// Adapters: rerank the results of the search a page already has (MiniSearch, Orama, Pagefind, Fuse.js, any array).
export { rerankMiniSearch } from './adapters/minisearch.ts';
export { rerankOrama } from './adapters/orama.ts';
export { rerankPagefind } from './adapters/pagefind.ts';
export { rerankFuse } from './adapters/fuse.ts';
export { rerankArray } from './adapters/array.ts';
export type { Reranked } from './adapters/blend.ts';
export type { AdapterOptions, BlendOptions, FieldPath, Scorer, ScoreCallOptions } from './adapters/shared.ts';
export type { MiniSearchAdapterOptions, MiniSearchResultLike } from './adapters/minisearch.ts';
export type { OramaAdapterOptions, OramaHitLike } from './adapters/orama.ts';
export type { PagefindAdapterOptions, PagefindData, PagefindDataOf, PagefindResultLike, RerankedPagefind } from './adapters/pagefind.ts';
export type { FuseAdapterOptions, FuseKey, FuseResultLike } from './adapters/fuse.ts';
export type { ArrayAdapterOptions } from './adapters/array.ts';
// The first stage that feeds them: standard BM25 term processing and parameters for MiniSearch (docs/first-stage.md).
export { englishProcessTerm, ENGLISH_STOP_WORDS, STANDARD_BM25 } from './core/first-stage.ts';
export type { Stemmer } from './core/first-stage.ts';
// Measuring a reranking against relevance judgments (nDCG@k, MRR@k, recall@k as BEIR computes them; docs/api.md).
export { mean as meanOverQueries, mrrAtK, ndcgAtK, recallAtK } from './core/metrics.ts';
