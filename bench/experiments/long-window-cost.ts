// Cost of one pair by length on each long-window family, in onnxruntime-node (CPU, 1 intra-op thread, fp32), on a
// generated model of the real checkpoint's shape (seeded random weights: the cost does not depend on the values).
// Fits t(L) = a*L + b*L^2 and derives the cost-based default maxLength: the length L* at which one document costs as
// much as the other 49 of a top-50 at a typical pair length T (256 tokens: a query and an abstract-sized passage).
// Usage: tsx bench/experiments/long-window-cost.ts [--max 2048] [--only modernbert]
import * as ort from 'onnxruntime-node';
import { buildJinaBert, jinaWeights } from '../../tools/models/jinabert.ts';
import { buildModernBert, modernWeights } from '../../tools/models/modernbert.ts';
import type { BertShape } from '../../tools/models/bert.ts';

const a = process.argv.slice(2);
const MAX = Number(a.includes('--max') ? a[a.indexOf('--max') + 1] : 2048);
const T = 256;
const FAMILIES: { name: string; shape: BertShape; build: (s: BertShape) => Uint8Array }[] = [
  {
    name: 'JinaBERT (jina-reranker-v1-tiny-en shape: 4 layers, hidden 384, 12 heads, GLU 1536)',
    shape: { vocabSize: 1000, hidden: 384, layers: 4, heads: 12, intermediate: 1536, maxPositions: 8192, numLabels: 1 },
    build: (s) => buildJinaBert(s, jinaWeights(s, 1), 'fp32'),
  },
  {
    // Local layers here mask with the generator's 16-token window but still compute full attention (as the hub's
    // ONNX exports of ModernBERT do: a mask, not a banded kernel), so the cost is that of global attention.
    name: 'ModernBERT (gte-reranker-modernbert-base shape: 22 layers, hidden 768, 12 heads, GeGLU 1152)',
    shape: { vocabSize: 1000, hidden: 768, layers: 22, heads: 12, intermediate: 1152, maxPositions: 8192, numLabels: 1 },
    build: (s) => buildModernBert(s, modernWeights(s, 1), 'fp32'),
  },
];
const only = a.includes('--only') ? a[a.indexOf('--only') + 1]! : null;

async function timeAt(session: ort.InferenceSession, L: number, reps: number): Promise<number> {
  const ids = new BigInt64Array(L).map((_, i) => BigInt(5 + (i % 900)));
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', ids, [1, L]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(L).fill(1n), [1, L]),
  };
  if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(L), [1, L]);
  await session.run(feeds);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  return times.sort((x, y) => x - y)[Math.floor(times.length / 2)]!;
}

for (const f of FAMILIES) {
  if (only && !f.name.toLowerCase().includes(only.toLowerCase())) continue;
  const session = await ort.InferenceSession.create(f.build(f.shape), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const rows: [number, number][] = [];
  for (let L = 128; L <= MAX; L *= 2) rows.push([L, await timeAt(session, L, L >= 2048 ? 3 : 5)]);
  // Least squares for t = a*L + b*L^2 (no constant: per-run overhead is negligible at these lengths).
  let s11 = 0, s12 = 0, s22 = 0, y1 = 0, y2 = 0;
  for (const [L, t] of rows) { s11 += L * L; s12 += L ** 3; s22 += L ** 4; y1 += L * t; y2 += L * L * t; }
  const det = s11 * s22 - s12 * s12;
  const lin = (y1 * s22 - y2 * s12) / det;
  const quad = (s11 * y2 - s12 * y1) / det;
  const cost = (L: number) => lin * L + quad * L * L;
  const target = 49 * cost(T);
  const lStar = quad > 0 ? (-lin + Math.sqrt(lin * lin + 4 * quad * target)) / (2 * quad) : target / lin;
  console.log(`\n${f.name}`);
  console.log('| tokens | ms per pair | ms per 1,000 tokens |\n|---|---|---|');
  for (const [L, t] of rows) console.log(`| ${L} | ${t.toFixed(1)} | ${((t / L) * 1000).toFixed(1)} |`);
  console.log(`fit: t(L) = ${lin.toExponential(3)}*L + ${quad.toExponential(3)}*L^2 ms; 49 pairs of ${T} tokens = ${target.toFixed(0)} ms; one pair costs that at L* = ${Math.round(lStar)} tokens`);
  await session.release();
}
