// File sizes of the generated models in the real checkpoints' shapes (seeded weights; the sizes depend only on the
// shape and dtype), for the presets in src/presets.ts. Usage: tsx bench/experiments/family-sizes.ts [--only jina,mxbai,gte]
import { buildJinaBert, jinaWeights } from '../../tools/models/jinabert.ts';
import { buildModernBert, modernWeights } from '../../tools/models/modernbert.ts';
import { buildDeberta, debertaWeights } from '../../tools/models/deberta.ts';
import type { BertShape, Quant } from '../../tools/models/bert.ts';

type Builder = (s: BertShape, seed: number, q: Quant) => Uint8Array;
const jina: Builder = (s, seed, q) => buildJinaBert(s, jinaWeights(s, seed), q);
const modern: Builder = (s, seed, q) => buildModernBert(s, modernWeights(s, seed), q);
const deberta: Builder = (s, seed, q) => buildDeberta(s, debertaWeights(s, seed), q);
// Shapes from the checkpoints' config.json as published (not re-read here: no network). jina-reranker-v1: BERT
// WordPiece vocabulary (30,528 rows), 384 hidden, 12 heads, GLU 1536. mxbai-rerank-*-v1: DeBERTa-v3 xsmall / base
// (128,100-token SentencePiece vocabulary). gte-reranker-modernbert-base: ModernBERT-base (50,368 tokens, 22 layers,
// hidden 768, GeGLU 1,152).
const SHAPES: { id: string; shape: BertShape; build: Builder }[] = [
  { id: 'jinaai/jina-reranker-v1-tiny-en', shape: { vocabSize: 30528, hidden: 384, layers: 4, heads: 12, intermediate: 1536, maxPositions: 8192, numLabels: 1 }, build: jina },
  { id: 'jinaai/jina-reranker-v1-turbo-en', shape: { vocabSize: 30528, hidden: 384, layers: 6, heads: 12, intermediate: 1536, maxPositions: 8192, numLabels: 1 }, build: jina },
  { id: 'mixedbread-ai/mxbai-rerank-xsmall-v1', shape: { vocabSize: 128100, hidden: 384, layers: 12, heads: 6, intermediate: 1536, maxPositions: 512, numLabels: 1 }, build: deberta },
  { id: 'mixedbread-ai/mxbai-rerank-base-v1', shape: { vocabSize: 128100, hidden: 768, layers: 12, heads: 12, intermediate: 3072, maxPositions: 512, numLabels: 1 }, build: deberta },
  { id: 'Alibaba-NLP/gte-reranker-modernbert-base', shape: { vocabSize: 50368, hidden: 768, layers: 22, heads: 12, intermediate: 1152, maxPositions: 8192, numLabels: 1 }, build: modern },
];
const a = process.argv.slice(2);
const only = a.includes('--only') ? a[a.indexOf('--only') + 1]!.split(',') : null;
const mb = (n: number) => (n / 1e6).toFixed(1);
console.log('| model | fp32 MB | q8 MB | q4 MB |\n|---|---|---|---|');
for (const s of SHAPES) {
  if (only && !only.some((o) => s.id.includes(o))) continue;
  const sizes = (['fp32', 'q8', 'q4'] as Quant[]).map((q) => s.build(s.shape, 1, q).byteLength);
  console.log(`| ${s.id} | ${sizes.map(mb).join(' | ')} |`);
}
