// rerank-web's public entry. Everything a page needs; nothing of the worker's.
export { createReranker } from './client.ts';
export type { Reranker, RankedResult, CallOptions } from './client.ts';
export { RerankError, isRerankError, ERROR_CODES } from './errors.ts';
export { clearCachedModels, listCachedModels, storageEstimate } from './cache.ts';
export type { CachedFile, CachedModel } from './cache.ts';
export type { ErrorCode, RerankErrorDetails } from './errors.ts';
export { DEFAULT_MODEL, DEVICES, DTYPES } from './options.ts';
export type { Device, Dtype, RerankerOptions, RerankOptions } from './options.ts';
export type { AdapterInfo, BatchEvent, FileProgressEvent, ProgressEvent, RerankerInfo, ScoreTimings } from './protocol.ts';
