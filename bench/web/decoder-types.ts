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
