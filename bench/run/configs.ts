// What a run measures: the default set (the targets and the side-by-side table) and the quick set for CI.
import type { BenchDtype, Impl } from '../types.ts';

export interface ModelShape {
  /** Short label used in the table. */
  label: string;
  /** Folder name of the generated model (rerank-web-test/<name>, or rerank-web-bench/<name> when generated here). */
  name: string;
  hidden: number;
  layers: number;
  intermediate: number;
}

export const MINILM: ModelShape = { label: 'MiniLM-L6', name: 'ms-marco-MiniLM-L-6-v2', hidden: 384, layers: 6, intermediate: 1536 };
export const TINYBERT: ModelShape = { label: 'TinyBERT-L2', name: 'ms-marco-TinyBERT-L-2-v2', hidden: 128, layers: 2, intermediate: 512 };

export const ONNX_FILE: Record<BenchDtype, string> = { fp32: 'onnx/model.onnx', q8: 'onnx/model_quantized.onnx', q4: 'onnx/model_q4.onnx' };

export interface RowConfig {
  model: ModelShape;
  dtype: BenchDtype;
  topK: number;
  threads: number;
  impls: Impl[];
  queries: number;
  /** Overrides the set's cacheLoad (top-100 rows load the very files their top-50 rows did). */
  cacheLoad?: boolean;
}

export interface SmokeConfig {
  model: ModelShape;
  dtype: BenchDtype;
  docs: number;
}

export type SetName = 'default' | 'quick' | 'experiments';

export interface BenchSet {
  name: SetName;
  rows: RowConfig[];
  smoke: SmokeConfig[];
  /** Also time a second load in a new page (files from the Cache API). */
  cacheLoad: boolean;
  maxLength: number;
  /** Interleaved rounds per row: every implementation runs the row's queries once a round, the first rotating. */
  rounds: number;
  /** The cold row (bench/run/cold.ts): a first visit per path and round, in a fresh browser profile; null: none. */
  cold: ColdConfig | null;
}

const ALL: Impl[] = ['rerank-web', 'transformers.js', 'transformers.js-chunked', 'onnxruntime-node'];

export function benchSet(name: SetName, queriesOverride: number | null, roundsOverride: number | null = null): BenchSet {
  const q = (n: number) => queriesOverride ?? n;
  const rounds = (n: number) => roundsOverride ?? n;
  if (name === 'experiments') {
    // Library choices, measured through public options next to the library's defaults (the report's experiments
    // table): one WASM session with intra-op threads against sessions side by side, and fp32 runs of 16 documents
    // (the default before) against 4.
    const q8: Impl[] = ['rerank-web', 'rerank-web-1s', 'transformers.js', 'transformers.js-chunked', 'onnxruntime-node'];
    const batched: Impl[] = ['rerank-web', 'rerank-web-2s', 'rerank-web-b16', 'transformers.js', 'transformers.js-chunked', 'onnxruntime-node'];
    return {
      name, cacheLoad: false, maxLength: 512, smoke: [], rounds: rounds(3), cold: null,
      rows: [
        { model: TINYBERT, dtype: 'q8', topK: 50, threads: 2, impls: q8, queries: q(8) },
        { model: TINYBERT, dtype: 'fp32', topK: 50, threads: 2, impls: batched, queries: q(8) },
        { model: MINILM, dtype: 'q8', topK: 50, threads: 2, impls: q8, queries: q(3) },
        { model: MINILM, dtype: 'fp32', topK: 50, threads: 2, impls: batched, queries: q(3) },
        { model: MINILM, dtype: 'q4', topK: 50, threads: 2, impls: ['rerank-web', 'rerank-web-2s', 'onnxruntime-node'], queries: q(3) },
      ],
    };
  }
  if (name === 'quick') {
    // CI: the same shape as the default set with fewer rounds and queries (about 3 minutes on 2 quiet cores; a round
    // of MiniLM-L6 is one query through each of the four).
    return {
      name,
      cacheLoad: false,
      maxLength: 512,
      rounds: rounds(3),
      // One cold visit per path (two fresh browsers, about 1-2 minutes here).
      cold: { model: MINILM, dtype: 'q8', topK: 50, threads: 2, rounds: 1 },
      rows: [
        { model: TINYBERT, dtype: 'q8', topK: 50, threads: 2, impls: ALL, queries: q(2) },
        { model: MINILM, dtype: 'q8', topK: 50, threads: 2, impls: ALL, queries: q(1) },
      ],
      smoke: [],
    };
  }
  // Five interleaved rounds of few queries each: the ratios within a round, and their spread over rounds, count more
  // than the absolute figures. Each round holds rerank-web and both transformers.js paths, so a row costs about
  // rounds x queries x (sum of the three latencies): 40-60 minutes for the whole set on 2 quiet cores.
  const mq = q(2);
  const lq = q(1);
  const tq = q(4);
  return {
    name,
    cacheLoad: true,
    maxLength: 512,
    rounds: rounds(5),
    // Three first visits per path, alternating: the same model and list as the first row, from a cold browser.
    cold: { model: MINILM, dtype: 'q8', topK: 50, threads: 2, rounds: 3 },
    rows: [
      { model: MINILM, dtype: 'q8', topK: 50, threads: 2, impls: ALL, queries: mq },
      { model: MINILM, dtype: 'q8', topK: 100, threads: 2, impls: ALL, queries: lq, cacheLoad: false },
      { model: MINILM, dtype: 'fp32', topK: 50, threads: 2, impls: ALL, queries: mq },
      { model: MINILM, dtype: 'fp32', topK: 100, threads: 2, impls: ALL, queries: lq, cacheLoad: false },
      { model: MINILM, dtype: 'q4', topK: 50, threads: 2, impls: ALL, queries: mq },
      { model: MINILM, dtype: 'q8', topK: 50, threads: 1, impls: ALL, queries: q(1) },
      { model: TINYBERT, dtype: 'q8', topK: 50, threads: 2, impls: ALL, queries: tq },
      { model: TINYBERT, dtype: 'fp32', topK: 50, threads: 2, impls: ALL, queries: tq },
      { model: TINYBERT, dtype: 'q4', topK: 50, threads: 2, impls: ALL, queries: tq },
    ],
    // WebGPU runs on SwiftShader (a CPU Vulkan) here: a correctness check, never a speed figure.
    smoke: [{ model: TINYBERT, dtype: 'fp32', docs: 4 }, { model: TINYBERT, dtype: 'q4', docs: 4 }],
  };
}

/**
 * Analytic FLOPs (multiply-adds count 2) of a BERT cross-encoder forward on one pair of `len` tokens, without padding:
 * per layer Q, K, V, output projections 4·2·L·H², feed-forward 2·2·L·H·I, attention scores and weighted sum
 * 2·2·L²·H; plus pooler and classifier on [CLS]. Embedding lookups, LayerNorm, softmax and GELU are left out.
 */
export function pairFlops(m: ModelShape, len: number): number {
  const { hidden: H, layers, intermediate: I } = m;
  return layers * (8 * len * H * H + 4 * len * H * I + 4 * len * len * H) + 2 * H * H + 2 * H;
}

export function rowKey(r: Pick<RowConfig, 'model' | 'dtype' | 'topK' | 'threads'>): string {
  return `${r.model.label} ${r.dtype} top-${r.topK} ${r.threads}T`;
}

/** The cold row's settings (bench/run/cold.ts runs it); here, beside the rows' configs, so that no import runs back. */
export interface ColdConfig {
  model: { label: string; name: string };
  dtype: 'q8' | 'fp32' | 'q4';
  topK: number;
  threads: number;
  rounds: number;
}
