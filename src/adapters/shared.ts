// What every adapter shares: the reranker it needs (only `score`), its options and their validation, the text of
// a result from its fields, and the run itself (score the top K, then arrange). Page-side code: it never imports
// the worker, onnxruntime or any search library, so Node tests can hand it a mocked scorer.
import { checkQuery, type RerankCallOptions } from '../call-options.ts';
import { RerankError } from '../errors.ts';
import { arrange, NORMALIZATIONS, type FirstStageItem, type Normalization, type Reranked, type ResolvedBlend } from './blend.ts';

/**
 * The one thing an adapter asks of a reranker: scores in input order. A `Reranker` from `createReranker` is one;
 * so is any object with this method (a mock, or a remote scoring API).
 */
export interface Scorer {
  score(query: string, documents: readonly string[], options?: RerankCallOptions<string>): Promise<number[]>;
}

/** Options of `Reranker.score` an adapter passes through (e.g. `longDocuments`, `onBatch`). */
export type ScoreCallOptions = Omit<RerankCallOptions<string>, 'signal' | 'topK' | 'getText'>;

export interface BlendOptions {
  /** Weight of the reranker's score, 0..1: 0 keeps the first stage's order, 1 is the reranker's. Default 0.5. */
  weight?: number;
  /**
   * How both scores are brought to 0..1 over the reranked results: 'minmax' (default), (s - min) / (max - min);
   * 'rank', 1 - rank / (n - 1), which ignores how far apart the scores are.
   */
  normalize?: Normalization;
}

export interface AdapterOptions {
  /** How many results from the top of the first stage's list are reranked. Default 50. */
  topK?: number;
  /** Results past topK: 'keep' them after the reranked ones, in their first-stage order (default), or 'drop' them. */
  rest?: 'keep' | 'drop';
  /** Order by a blend of the first stage's and the reranker's normalised scores instead of the reranker's alone. */
  blend?: BlendOptions | boolean;
  /** Drop every reranked result whose reranker score (calibrated 0..1, not the blended one) is below this. */
  threshold?: number;
  /** Cancels the call: it rejects with a RerankError whose code is ABORTED. */
  signal?: AbortSignal;
  /** Passed to `reranker.score` as they are; `onBatch` indices are first-stage ranks. */
  scoreOptions?: ScoreCallOptions;
}

export const DEFAULT_TOP_K = 50;
export const DEFAULT_BLEND_WEIGHT = 0.5;

/** A field of a result: 'title', a dotted path 'meta.title', or the path as an array (['meta', 'title']). */
export type FieldPath = string | readonly string[];

export interface ResolvedAdapterOptions {
  topK: number;
  rest: 'keep' | 'drop';
  blend: ResolvedBlend | null;
  threshold: number | null;
}

function invalid(message: string): RerankError {
  return new RerankError('INVALID_ARGUMENT', message);
}

/** Checks every option before any work is done, so a typo fails the same way whatever the result list holds. */
export function resolveAdapterOptions(o: AdapterOptions): ResolvedAdapterOptions {
  if (o === null || typeof o !== 'object') throw invalid('options must be an object');
  const topK = o.topK ?? DEFAULT_TOP_K;
  if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1) throw invalid(`topK must be a positive integer, got ${String(o.topK)}`);
  const rest = o.rest ?? 'keep';
  if (rest !== 'keep' && rest !== 'drop') throw invalid(`rest must be 'keep' or 'drop', got ${String(rest)}`);
  const threshold = o.threshold ?? null;
  if (threshold !== null && (typeof threshold !== 'number' || !Number.isFinite(threshold))) {
    throw invalid(`threshold must be a finite number, got ${String(threshold)}`);
  }
  return { topK, rest, blend: resolveBlend(o.blend), threshold };
}

function resolveBlend(b: AdapterOptions['blend']): ResolvedBlend | null {
  if (b === undefined || b === false) return null;
  const o: BlendOptions = b === true ? {} : b;
  if (o === null || typeof o !== 'object') throw invalid('blend must be an object or a boolean');
  const weight = o.weight ?? DEFAULT_BLEND_WEIGHT;
  if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) throw invalid(`blend.weight must be a number in 0..1, got ${String(o.weight)}`);
  const normalize = o.normalize ?? 'minmax';
  if (!(NORMALIZATIONS as readonly string[]).includes(normalize)) {
    throw invalid(`blend.normalize must be one of ${NORMALIZATIONS.join(', ')}, got ${String(normalize)}`);
  }
  return { weight, normalize };
}

/** The value at a path, or undefined when any step is missing. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  const steps = typeof path === 'string' ? path.split('.') : path;
  let v: unknown = obj;
  for (const step of steps) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[step];
  }
  return v;
}

/** Strings, numbers and arrays of them (tags, authors) as text; anything else has none. */
function asText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) {
    const parts = v.map(asText).filter((s): s is string => s !== null);
    return parts.length > 0 ? parts.join(' ') : null;
  }
  return null;
}

/**
 * The text of a result: its `fields` joined by newlines, or, without fields, the value itself when it is a string,
 * else every top-level string field whose key is not in `skip`. Null when none of them is there, which the adapter
 * reports with a hint (a field that is present but empty is an empty text, not an error).
 */
export function textFromFields(value: unknown, fields: readonly FieldPath[] | undefined, skip: ReadonlySet<string> = new Set()): string | null {
  if (fields) {
    const parts = fields.map((f) => asText(valueAt(value, f))).filter((s): s is string => s !== null);
    return parts.length > 0 ? parts.join('\n') : null;
  }
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return null;
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value)) if (!skip.has(key) && typeof v === 'string') parts.push(v);
  return parts.length > 0 ? parts.join('\n') : null;
}

/** A text from getText must be a string: anything else is the caller's bug, named with the result's position. */
export function checkedText(text: unknown, rank: number, hint: string): string {
  if (typeof text !== 'string') throw invalid(`result ${rank} has no text: ${hint}`);
  return text;
}

export function abortError(): RerankError {
  return new RerankError('ABORTED', 'the call was aborted');
}

/**
 * The result list: an array, or (with `key`) the object a library wraps it in (Orama's `{ hits }`, Pagefind's
 * `{ results }`).
 */
export function listOf<R>(results: unknown, adapter: string, key?: string): readonly R[] {
  const list = Array.isArray(results) || !key ? results : (results as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) throw invalid(`${adapter}: results must be an array${key ? ` or an object with a '${key}' array` : ''}`);
  return list as readonly R[];
}

/** A finite number, or null (a missing score, or one a library left undefined). */
export function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Scores the texts of the first topK items and arranges the list. `texts` gets the head (it may load data, as
 * Pagefind must) and returns one string per item.
 */
export async function rerankItems<R>(
  scorer: Scorer,
  query: string,
  items: readonly FirstStageItem<R>[],
  texts: (head: readonly FirstStageItem<R>[]) => string[] | Promise<string[]>,
  options: AdapterOptions,
): Promise<Reranked<R>[]> {
  const o = resolveAdapterOptions(options);
  checkQuery(query);
  if (!scorer || typeof scorer.score !== 'function') throw invalid('the first argument must be a reranker (an object with a score method)');
  const signal = options.signal;
  if (signal?.aborted) throw abortError();
  const head = items.slice(0, o.topK);
  if (head.length === 0) return arrange(items, [], o);
  const docs = await texts(head);
  if (signal?.aborted) throw abortError(); // loading texts (Pagefind's data()) may have taken a while
  const scores = await scorer.score(query, docs, { ...options.scoreOptions, signal });
  if (!Array.isArray(scores) || scores.length !== head.length || !scores.every((s) => typeof s === 'number' && Number.isFinite(s))) {
    throw new RerankError('INFERENCE_FAILED', `the reranker returned ${Array.isArray(scores) ? scores.length : 'no'} scores for ${head.length} documents, or a score that is not a finite number`);
  }
  return arrange(items, scores, o);
}
