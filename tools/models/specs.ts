// The generated test models. Shapes are those of the real checkpoints named; weights are seeded random.
import type { BertShape, Quant } from './bert.ts';
import { oracleVocab } from './lexical-oracle.ts';
import { tinyVocab } from './tiny-tokenizer.ts';
import { xlmrVocab } from './xlmr-tokenizer.ts';
import { debertaVocab } from './deberta-tokenizer.ts';
import { modernbertVocabSize } from './modernbert-tokenizer.ts';
import { bpeVocabSize } from './bpe-tokenizer.ts';
import type { Qwen3Shape } from './qwen3.ts';

export const TEST_MODEL_ORG = 'rerank-web-test';

export interface ModelSpec {
  name: string;
  /** 'bert': the architecture with seeded random weights; 'lexical-oracle': a known scoring function (see lexical-oracle.ts). */
  kind?: 'bert' | 'lexical-oracle' | 'jinabert' | 'modernbert' | 'deberta-v2';
  shape: BertShape;
  seed: number;
  tokenizer: 'tiny' | 'oracle' | 'bert-base-uncased' | 'xlmr-tiny' | 'deberta-tiny' | 'modernbert-bpe';
  quants: Quant[];
}

const ALL: Quant[] = ['fp32', 'q8', 'q4'];

export const MODEL_SPECS: ModelSpec[] = [
  {
    // Small enough that the browser tests run in seconds, with its own tokenizer so they need nothing from ../shared.
    name: 'tiny-bert',
    shape: { vocabSize: tinyVocab().length, hidden: 32, layers: 2, heads: 2, intermediate: 64, maxPositions: 512, numLabels: 1 },
    seed: 7,
    tokenizer: 'tiny',
    quants: ALL,
  },
  // Head variants of the tiny model: a two-label head (softmax of the positive class), an output not called
  // 'logits', and a three-label head that is not a reranker (a coded error).
  ...([['tiny-bert-2-labels', 2, 'logits'], ['tiny-bert-scores-output', 1, 'scores'], ['tiny-bert-3-labels', 3, 'logits']] as const).map(
    ([name, numLabels, outputName], i): ModelSpec => ({
      name,
      shape: { vocabSize: tinyVocab().length, hidden: 32, layers: 2, heads: 2, intermediate: 64, maxPositions: 512, numLabels, outputName },
      seed: 21 + i,
      tokenizer: 'tiny',
      quants: ['fp32'],
    }),
  ),
  {
    // The XLM-RoBERTa family (bge-reranker, jina multilingual): no token types, <s> q </s></s> d </s>, Unigram tokenizer.
    name: 'tiny-xlm-roberta',
    shape: { vocabSize: xlmrVocab().length, hidden: 32, layers: 2, heads: 2, intermediate: 64, maxPositions: 514, numLabels: 1, family: 'xlm-roberta' },
    seed: 31,
    tokenizer: 'xlmr-tiny',
    quants: ALL,
  },
  {
    // Relevance you can predict (query words found in the document), for ranking and long-document tests.
    name: 'lexical-oracle',
    kind: 'lexical-oracle',
    shape: { vocabSize: oracleVocab().length, hidden: 1, layers: 0, heads: 1, intermediate: 1, maxPositions: 512, numLabels: 1 },
    seed: 0,
    tokenizer: 'oracle',
    quants: ['fp32'],
  },
  {
    name: 'ms-marco-TinyBERT-L-2-v2',
    shape: { vocabSize: 30522, hidden: 128, layers: 2, heads: 2, intermediate: 512, maxPositions: 512, numLabels: 1 },
    seed: 11,
    tokenizer: 'bert-base-uncased',
    quants: ALL,
  },
  {
    name: 'ms-marco-MiniLM-L-6-v2',
    shape: { vocabSize: 30522, hidden: 384, layers: 6, heads: 12, intermediate: 1536, maxPositions: 512, numLabels: 1 },
    seed: 13,
    tokenizer: 'bert-base-uncased',
    quants: ALL,
  },
  {
    // JinaBERT (jina-reranker-v1-tiny-en's layout: ALiBi, GLU MLP, 8,192-token window), small hidden for fast tests.
    name: 'tiny-jinabert',
    kind: 'jinabert',
    shape: { vocabSize: tinyVocab().length, hidden: 32, layers: 2, heads: 4, intermediate: 64, maxPositions: 8192, numLabels: 1 },
    seed: 41,
    tokenizer: 'tiny',
    quants: ALL,
  },
  {
    // ModernBERT (gte-reranker-modernbert-base's layout: no token types, rotary, global every 3rd layer, sliding
    // window of 16 here so that short test pairs exceed it, GeGLU, mean pooling; byte-level BPE tokenizer), small hidden.
    name: 'tiny-modernbert',
    kind: 'modernbert',
    shape: { vocabSize: modernbertVocabSize(), hidden: 32, layers: 3, heads: 2, intermediate: 64, maxPositions: 8192, numLabels: 1 },
    seed: 51,
    tokenizer: 'modernbert-bpe',
    quants: ALL,
  },
  {
    // DeBERTa-v3 (mxbai-rerank-xsmall-v1's layout: disentangled attention over log-bucketed relative positions, no
    // absolute positions, no token_type_ids input, SentencePiece Unigram tokenizer that keeps case), small for fast tests.
    name: 'tiny-deberta-v2',
    kind: 'deberta-v2',
    shape: { vocabSize: debertaVocab().length, hidden: 32, layers: 2, heads: 2, intermediate: 64, maxPositions: 512, numLabels: 1 },
    seed: 61,
    tokenizer: 'deberta-tiny',
    quants: ALL,
  },
];

/** Causal-LM rerankers (issue 10): Qwen3-shaped decoders with a KV cache, and the overlap oracle (decoder-oracle.ts). */
export interface DecoderSpec {
  name: string;
  /** 'qwen3-gqa': attention fused as com.microsoft.GroupQueryAttention, as the hub's Qwen3 ports are (qwen3-gqa.ts). */
  kind: 'qwen3' | 'qwen3-gqa' | 'decoder-oracle';
  shape: Qwen3Shape;
  seed: number;
  quants: Quant[];
  /** Written only when named in `--only` (not by the default `npm run models`). */
  onDemand?: boolean;
}

// Qwen3-Reranker-0.6B's layout (GQA 16/8 heads, head_dim 128, tied lm_head) shrunk to 4/2 heads of 16 on 64 wide.
const TINY_QWEN3: Qwen3Shape = {
  vocabSize: bpeVocabSize(), hidden: 64, layers: 2, heads: 4, kvHeads: 2, headDim: 16, intermediate: 128,
  maxPositions: 40960, ropeTheta: 1_000_000, tied: true,
};

export const DECODER_SPECS: DecoderSpec[] = [
  { name: 'tiny-qwen3', kind: 'qwen3', shape: TINY_QWEN3, seed: 61, quants: ALL },
  // For npm run bench:decoder: wide enough that run time follows tokens (not per-run overhead), still seconds to build.
  {
    name: 'bench-qwen3', kind: 'qwen3', seed: 63, quants: ALL,
    shape: { ...TINY_QWEN3, hidden: 256, layers: 4, heads: 8, kvHeads: 4, headDim: 32, intermediate: 768 },
  },
  // An lm_head of its own (tie_word_embeddings false, as the larger Qwen3 checkpoints have).
  { name: 'tiny-qwen3-untied', kind: 'qwen3', shape: { ...TINY_QWEN3, tied: false }, seed: 62, quants: ['fp32'] },
  // The same two models (same seeds, so the same weights) exported as the hub's ports are: fused attention.
  { name: 'tiny-qwen3-gqa', kind: 'qwen3-gqa', shape: TINY_QWEN3, seed: 61, quants: ALL },
  { name: 'tiny-qwen3-gqa-untied', kind: 'qwen3-gqa', shape: { ...TINY_QWEN3, tied: false }, seed: 62, quants: ['fp32'] },
  // Qwen3's real vocabulary (151,669; ids past the test tokenizer's are never fed), on demand: a 39 MB embedding.
  { name: 'tiny-qwen3-gqa-151k', kind: 'qwen3-gqa', shape: { ...TINY_QWEN3, vocabSize: 151_669 }, seed: 64, quants: ['fp32', 'q4'], onDemand: true },
  {
    // Yes-logit and identifier logits you can predict from word overlap (decoder-oracle.ts states the function).
    name: 'decoder-oracle', kind: 'decoder-oracle', seed: 0, quants: ['fp32'],
    shape: { ...TINY_QWEN3, hidden: 1, layers: 1, heads: 1, kvHeads: 1, headDim: 1, intermediate: 1, tied: false },
  },
];

/**
 * External-data twins (issue 21): a generated model's fp32 graph rewritten so that its weights live in
 * `onnx/model.onnx_data` (split into `parts` files named as transformers.js names them). Same weights, same scores.
 */
export interface ExternalSpec {
  name: string;
  twin: string;
  parts: number;
}

export const EXTERNAL_SPECS: ExternalSpec[] = [
  { name: 'tiny-bert-external', twin: 'tiny-bert', parts: 1 },
  { name: 'tiny-qwen3-external', twin: 'tiny-qwen3', parts: 2 },
];
