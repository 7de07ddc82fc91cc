// What scripts/bench-decoder.ts sends to the decoder bench page and gets back.
export interface DecoderBenchSpec {
  model: string;
  hubUrl: string;
  device: 'wasm' | 'webgpu';
  dtype: string;
  rounds: number;
  /** Tokens per prompt (the generated tokenizer's small vocabulary splits SciFact's words into many pieces). */
  maxLength: number;
  queries: { text: string; docs: string[] }[];
}

export interface ContenderRound {
  /** Documents scored per second over all queries of the round (wall clock around rerank()). */
  docsPerSec: number;
  /** Tokens the model ran (padding included), summed over the round's queries. */
  paddedTokens: number;
}

export interface DecoderBenchResult {
  /** Per round: shared prefix and full prompts, in the order they ran that round. */
  rounds: { order: ('shared' | 'full')[]; shared: ContenderRound; full: ContenderRound }[];
  /** Max |score with the shared prefix - score with full prompts| over every query and document. */
  maxDiff: number;
  info: { device: string; dtype: string; numThreads: number; maxLength: number; batchSize: number };
}

/** One pass of the GPU-prefix bench: wall-clock docs/s, and the prefix cache's bytes read back into the worker. */
export interface GpuPrefixPass {
  docsPerSec: number;
  inferenceMs: number;
  prefixBytesToCpu: number;
}

export interface GpuPrefixResult {
  /** Per round: the cache kept in GPU buffers and copied through the worker, in the order they ran. */
  rounds: { order: ('gpu' | 'cpu')[]; gpu: GpuPrefixPass; cpu: GpuPrefixPass }[];
  /** Max |score, cache on the GPU - score, cache through the worker|. */
  maxDiff: number;
  info: { device: string; dtype: string; batchSize: number; adapter: string };
}
