// File sizes of the generated models in the real checkpoints' shapes (seeded weights; the sizes depend only on the
// shape and dtype), for the presets in src/presets.ts. Usage: tsx scripts/family-sizes.ts
import { buildJinaBert, jinaWeights } from './models/jinabert.ts';
import type { BertShape, Quant } from './models/bert.ts';

// jina-reranker-v1: BERT WordPiece vocabulary (30,528 rows in the checkpoint), 384 hidden, 12 heads, GLU 1536.
const SHAPES: { id: string; shape: BertShape; build: typeof buildJinaBert; weights: typeof jinaWeights }[] = [
  { id: 'jinaai/jina-reranker-v1-tiny-en', shape: { vocabSize: 30528, hidden: 384, layers: 4, heads: 12, intermediate: 1536, maxPositions: 8192, numLabels: 1 }, build: buildJinaBert, weights: jinaWeights },
  { id: 'jinaai/jina-reranker-v1-turbo-en', shape: { vocabSize: 30528, hidden: 384, layers: 6, heads: 12, intermediate: 1536, maxPositions: 8192, numLabels: 1 }, build: buildJinaBert, weights: jinaWeights },
];
const mb = (n: number) => (n / 1e6).toFixed(1);
console.log('| model | fp32 MB | q8 MB | q4 MB |\n|---|---|---|---|');
for (const s of SHAPES) {
  const w = s.weights(s.shape, 1);
  const sizes = (['fp32', 'q8', 'q4'] as Quant[]).map((q) => s.build(s.shape, w, q).byteLength);
  console.log(`| ${s.id} | ${sizes.map(mb).join(' | ')} |`);
}
