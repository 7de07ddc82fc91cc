// The native reference: onnxruntime-node on the same ONNX file, with the pairs and batches rerank-web makes (its own
// pure pair-encoding and batching modules), intraOpNumThreads equal to the browser's WASM threads.
import fs from 'node:fs';
import path from 'node:path';
import { BertTokenizer } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { packBatch, planBatches } from '../../src/core/batching.ts';
import { encodePair, pairTemplateFromTokenizerJson, tokenizeBounded, type EncodedPair } from '../../src/core/pair.ts';
import { logitsToScores } from '../../src/core/scoring.ts';
import type { QueryResult } from '../types.ts';

/** Mirrors workers/backend/cross-encoder-engine.ts: padded tokens per run are bounded by max(8192, maxLength). */
const TOKEN_BUDGET = 8192;

export interface NativeRunner {
  /** Scores in input order, with the timings of one query. */
  run(query: string, docs: string[]): Promise<QueryResult>;
  loadMs: number;
  release(): Promise<void>;
}

export interface NativeOptions {
  modelDir: string;
  onnxFile: string;
  threads: number;
  /** Documents per run: 1 for dynamic int8 (as rerank-web), else its default 16. */
  batchSize: number;
  maxLength: number;
}

export async function createNative(o: NativeOptions): Promise<NativeRunner> {
  const t0 = performance.now();
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(o.modelDir, f), 'utf8')) as Record<string, unknown>;
  const tokenizerJson = read('tokenizer.json');
  const tok = new BertTokenizer(tokenizerJson, read('tokenizer_config.json'));
  const t = tok as unknown as Record<string, number>;
  const template = pairTemplateFromTokenizerJson(tokenizerJson, { cls: t.cls_token_id!, sep: t.sep_token_id! });
  const padId = t.pad_token_id ?? 0;
  const ids = (s: string) => tok.encode(s, { add_special_tokens: false });
  const session = await ort.InferenceSession.create(path.join(o.modelDir, o.onnxFile), {
    intraOpNumThreads: o.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const hasTypes = session.inputNames.includes('token_type_ids');
  const loadMs = performance.now() - t0;

  async function run(query: string, docs: string[]): Promise<QueryResult> {
    const start = performance.now();
    const q = tokenizeBounded(query, o.maxLength, ids).ids;
    const pairs: EncodedPair[] = docs.map((d) => encodePair(template, q, tokenizeBounded(d, o.maxLength, ids).ids, o.maxLength));
    const tokenizeMs = performance.now() - start;
    const batches = planBatches(pairs.map((p) => p.ids.length), o.batchSize, Math.max(TOKEN_BUDGET, o.maxLength));
    const scores = new Array<number>(docs.length).fill(NaN);
    let firstBatchMs = 0;
    let paddedTokens = 0;
    let realTokens = 0;
    let inferenceMs = 0;
    for (const indices of batches) {
      const b = packBatch(indices.map((i) => pairs[i]!), padId);
      const dims = [b.batch, b.seqLen];
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', b.inputIds, dims),
        attention_mask: new ort.Tensor('int64', b.attentionMask, dims),
      };
      if (hasTypes) feeds.token_type_ids = new ort.Tensor('int64', b.tokenTypeIds, dims);
      const t1 = performance.now();
      const out = await session.run(feeds);
      inferenceMs += performance.now() - t1;
      const logits = (out.logits ?? Object.values(out)[0]!).data as Float32Array;
      const s = logitsToScores(logits, b.batch, logits.length / b.batch);
      indices.forEach((i, k) => (scores[i] = s[k]!));
      paddedTokens += b.batch * b.seqLen;
      realTokens += b.realTokens;
      if (firstBatchMs === 0) firstBatchMs = performance.now() - start;
    }
    return {
      scores, latencyMs: performance.now() - start, firstBatchMs, tokenizeMs, inferenceMs, paddedTokens, realTokens,
      runs: batches.length, pairLengths: pairs.map((p) => p.ids.length),
    };
  }

  return { run, loadMs, release: () => session.release() };
}
