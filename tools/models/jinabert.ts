// JinaBERT cross-encoder (jinaai/jina-reranker-v1-tiny-en, -turbo-en) as ONNX: BERT embeddings without position
// embeddings (ALiBi biases in every attention layer instead, symmetric: -slope_h * |i - j|), post-LN layers with
// JinaBERT's GLU MLP (gated_layers without bias -> gelu(gate) * up -> wo with bias), tanh pooler, linear classifier.
// Inputs input_ids, attention_mask, token_type_ids and output 'logits', as in the hub's ONNX ports.
import { DT, Graph } from './onnx-graph.ts';
import { embeddingLookup, fanIn, gelu, matMulWeights, seededWeights, weightsIn, type Weights } from './layers.ts';
import type { BertShape, Quant } from './bert.ts';


/**
 * ALiBi slopes as JinaBERT computes them (_get_alibi_head_slopes): 2^(-8(h+1)/n) for n a power of two; otherwise
 * those of the nearest lower power of two followed by every other slope of twice that.
 */
export function alibiSlopes(n: number): number[] {
  const pow2 = (m: number) => Array.from({ length: m }, (_, h) => 2 ** ((-8 * (h + 1)) / m));
  if (Number.isInteger(Math.log2(n))) return pow2(n);
  const c = 2 ** Math.floor(Math.log2(n));
  return [...pow2(c), ...pow2(2 * c).filter((_, i) => i % 2 === 0).slice(0, n - c)];
}

export function jinaWeights(s: BertShape, seed: number): Weights {
  const { w, put } = seededWeights(seed);
  const H = s.hidden;
  const lin = fanIn;
  put('emb.word', [s.vocabSize, H], 1);
  put('emb.type', [2, H], 0.3);
  put('emb.ln.g', [H], 0, 1);
  put('emb.ln.b', [H], 0, 0);
  for (let l = 0; l < s.layers; l++) {
    for (const m of ['q', 'k', 'v', 'o']) {
      put(`l${l}.${m}.w`, [H, H], lin(H));
      put(`l${l}.${m}.b`, [H], 0.02);
    }
    put(`l${l}.ln1.g`, [H], 0, 1);
    put(`l${l}.ln1.b`, [H], 0, 0);
    put(`l${l}.gated.w`, [H, 2 * s.intermediate], lin(H));
    put(`l${l}.wo.w`, [s.intermediate, H], lin(s.intermediate));
    put(`l${l}.wo.b`, [H], 0.02);
    put(`l${l}.ln2.g`, [H], 0, 1);
    put(`l${l}.ln2.b`, [H], 0, 0);
  }
  put('pool.w', [H, H], lin(H));
  put('pool.b', [H], 0.02);
  put('cls.w', [H, s.numLabels], lin(H));
  put('cls.b', [s.numLabels], 0, 0);
  return w;
}

export function buildJinaBert(s: BertShape, weights: Weights, quant: Quant): Uint8Array {
  const g = new Graph();
  const { f32 } = weightsIn(g, weights);
  const H = s.hidden;
  const headDim = H / s.heads;
  const ids = g.input('input_ids', DT.INT64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', DT.INT64, ['batch_size', 'sequence_length']);
  const types = g.input('token_type_ids', DT.INT64, ['batch_size', 'sequence_length']);

  const linear = (x: string, name: string, bias = true): string => {
    const y = matMulWeights(g, weights, quant, name)(x);
    return bias ? g.one('Add', [y, f32(`${name}.b`)]) : y;
  };
  const layerNorm = (x: string, name: string) =>
    g.one('LayerNormalization', [x, f32(`${name}.g`), f32(`${name}.b`)], { axis: -1, epsilon: 1e-12 });

  const words = embeddingLookup(g, weights, quant, ids);
  let x = layerNorm(g.one('Add', [words, g.one('Gather', [f32('emb.type'), types], { axis: 0 })]), 'emb.ln');

  // ALiBi [1, heads, seq, seq] = -slope_h * |i - j|, plus the padding mask [batch, 1, 1, seq].
  const seqLen = g.one('Gather', [g.one('Shape', [ids]), g.i64('c.one_idx', [], [1])], { axis: 0 });
  const pos = g.one('Cast', [g.one('Range', [g.i64('c.zero', [], [0]), seqLen, g.i64('c.one', [], [1])])], { to: DT.FLOAT });
  const rel = g.one('Abs', [g.one('Sub', [g.one('Unsqueeze', [pos, g.i64('c.ax0', [1], [0])]), g.one('Unsqueeze', [pos, g.i64('c.ax1', [1], [1])])])]);
  const slopes = g.f32('c.alibi_slopes', [1, s.heads, 1, 1], alibiSlopes(s.heads).map((v) => -v));
  const alibi = g.one('Mul', [slopes, g.one('Unsqueeze', [rel, g.i64('c.ax01', [2], [0, 1])])]);
  const maskF = g.one('Cast', [mask], { to: DT.FLOAT });
  const pad = g.one('Unsqueeze', [g.one('Mul', [g.one('Sub', [g.f32('c.onef', [], [1]), maskF]), g.f32('c.neg', [], [-10000])]), g.i64('c.axes12', [2], [1, 2])]);
  const bias = g.one('Add', [alibi, pad]);
  const splitShape = g.i64('c.split', [4], [0, 0, s.heads, headDim]);
  const mergeShape = g.i64('c.merge', [3], [0, 0, H]);
  const invSqrt = g.f32('c.scale', [], [1 / Math.sqrt(headDim)]);
  const I = s.intermediate;

  for (let l = 0; l < s.layers; l++) {
    const heads = (t: string, perm: number[]) => g.one('Transpose', [g.one('Reshape', [t, splitShape])], { perm });
    const q = heads(linear(x, `l${l}.q`), [0, 2, 1, 3]);
    const k = heads(linear(x, `l${l}.k`), [0, 2, 3, 1]);
    const v = heads(linear(x, `l${l}.v`), [0, 2, 1, 3]);
    const scores = g.one('Add', [g.one('Mul', [g.one('MatMul', [q, k]), invSqrt]), bias]);
    const ctx = g.one('MatMul', [g.one('Softmax', [scores], { axis: -1 }), v]);
    const merged = g.one('Reshape', [g.one('Transpose', [ctx], { perm: [0, 2, 1, 3] }), mergeShape]);
    x = layerNorm(g.one('Add', [linear(merged, `l${l}.o`), x]), `l${l}.ln1`);
    // GLU MLP: the first I columns are the gate (through erf GELU), the next I the linear part.
    const gated = linear(x, `l${l}.gated`, false);
    const [gate, up] = g.op('Split', [gated, g.i64(`c.split_${l}`, [2], [I, I])], { axis: -1 }, 2) as [string, string];
    x = layerNorm(g.one('Add', [linear(g.one('Mul', [gelu(g, gate, String(l)), up]), `l${l}.wo`), x]), `l${l}.ln2`);
  }

  const cls = g.one('Gather', [x, g.i64('c.cls', [], [0])], { axis: 1 });
  const pooled = g.one('Tanh', [linear(cls, 'pool')]);
  const outName = s.outputName ?? 'logits';
  g.opTo('Add', [g.one('MatMul', [pooled, f32('cls.w')]), f32('cls.b')], [outName]);
  g.output(outName, DT.FLOAT, ['batch_size', s.numLabels]);
  return g.encode('jinabert_cross_encoder');
}
