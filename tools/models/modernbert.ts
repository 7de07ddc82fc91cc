// ModernBERT cross-encoder (Alibaba-NLP/gte-reranker-modernbert-base's layout) as ONNX: token embeddings + LayerNorm
// (no bias anywhere: linear layers nor norms), pre-norm layers (layer 0 without attention norm), fused Wqkv, rotary
// positions (theta 160,000 on global layers, 10,000 on local ones), global attention every 3rd layer and a sliding
// window of `localWindow` tokens (|i - j| <= localWindow / 2) on the others, GeGLU MLP (Wi -> gelu(input) * gate -> Wo),
// final norm, mean pooling over the mask (classifier_pooling 'mean'), head dense -> GELU -> norm, classifier.
// Inputs input_ids and attention_mask only (no token_type_ids), output 'logits', as in the hub's ONNX ports.
import { DT, Graph } from './onnx-graph.ts';
import { embeddingLookup, fanIn, gelu, matMulWeights, seededWeights, weightsIn, type Weights } from './layers.ts';
import type { BertShape, Quant } from './bert.ts';

export const MODERNBERT = { localWindow: 16, globalEvery: 3, globalTheta: 160000, localTheta: 10000 };

export function modernWeights(s: BertShape, seed: number): Weights {
  const { w, put } = seededWeights(seed);
  const H = s.hidden;
  const lin = fanIn;
  put('emb.word', [s.vocabSize, H], 1);
  put('emb.ln.g', [H], 0, 1);
  for (let l = 0; l < s.layers; l++) {
    if (l > 0) put(`l${l}.attn_ln.g`, [H], 0, 1);
    put(`l${l}.qkv.w`, [H, 3 * H], lin(H));
    put(`l${l}.o.w`, [H, H], lin(H));
    put(`l${l}.mlp_ln.g`, [H], 0, 1);
    put(`l${l}.wi.w`, [H, 2 * s.intermediate], lin(H));
    put(`l${l}.wo.w`, [s.intermediate, H], lin(s.intermediate));
  }
  put('final_ln.g', [H], 0, 1);
  put('head.w', [H, H], lin(H));
  put('head_ln.g', [H], 0, 1);
  put('cls.w', [H, s.numLabels], lin(H));
  put('cls.b', [s.numLabels], 0, 0);
  return w;
}

export function buildModernBert(s: BertShape, weights: Weights, quant: Quant): Uint8Array {
  const g = new Graph();
  const { f32 } = weightsIn(g, weights);
  const H = s.hidden;
  const d = H / s.heads;
  const ids = g.input('input_ids', DT.INT64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', DT.INT64, ['batch_size', 'sequence_length']);

  const linear = (x: string, name: string): string => matMulWeights(g, weights, quant, name)(x);
  const norm = (x: string, name: string) => g.one('LayerNormalization', [x, f32(`${name}.g`)], { axis: -1, epsilon: 1e-5 });

  const words = embeddingLookup(g, weights, quant, ids);
  let x = norm(words, 'emb.ln');

  const seqLen = g.one('Gather', [g.one('Shape', [ids]), g.i64('c.one_idx', [], [1])], { axis: 0 });
  const pos = g.one('Cast', [g.one('Range', [g.i64('c.zero', [], [0]), seqLen, g.i64('c.one', [], [1])])], { to: DT.FLOAT });
  const posCol = g.one('Unsqueeze', [pos, g.i64('c.ax1', [1], [1])]);
  // cos/sin [seq, d] for each theta: freqs = pos * theta^(-2i/d), duplicated (rotate_half layout).
  const rope = (theta: number, tag: string) => {
    const inv = Float32Array.from({ length: d / 2 }, (_, i) => theta ** ((-2 * i) / d));
    const f = g.one('Mul', [posCol, g.f32(`c.inv_${tag}`, [1, d / 2], inv)]);
    const emb = g.one('Concat', [f, f], { axis: -1 });
    return { cos: g.one('Cos', [emb]), sin: g.one('Sin', [emb]) };
  };
  const ropes = { global: rope(MODERNBERT.globalTheta, 'g'), local: rope(MODERNBERT.localTheta, 'l') };
  const halves = g.i64('c.halves', [2], [d / 2, d / 2]);
  const rotate = (t: string, r: { cos: string; sin: string }) => {
    const [a, b] = g.op('Split', [t, halves], { axis: -1 }, 2) as [string, string];
    const rot = g.one('Concat', [g.one('Neg', [b]), a], { axis: -1 });
    return g.one('Add', [g.one('Mul', [t, r.cos]), g.one('Mul', [rot, r.sin])]);
  };

  const maskF = g.one('Cast', [mask], { to: DT.FLOAT });
  const pad = g.one('Unsqueeze', [g.one('Mul', [g.one('Sub', [g.f32('c.onef', [], [1]), maskF]), g.f32('c.neg', [], [-10000])]), g.i64('c.axes12', [2], [1, 2])]);
  // Sliding window: keys further than localWindow / 2 from the query are masked on local layers.
  const rel = g.one('Abs', [g.one('Sub', [g.one('Unsqueeze', [pos, g.i64('c.ax0', [1], [0])]), posCol])]);
  const far = g.one('Cast', [g.one('Greater', [rel, g.f32('c.half_window', [], [MODERNBERT.localWindow / 2])])], { to: DT.FLOAT });
  const localBias = g.one('Add', [pad, g.one('Mul', [far, g.f32('c.neg2', [], [-10000])])]);
  const qkvShape = g.i64('c.qkv', [5], [0, 0, 3, s.heads, d]);
  const mergeShape = g.i64('c.merge', [3], [0, 0, H]);
  const invSqrt = g.f32('c.scale', [], [1 / Math.sqrt(d)]);
  const I = s.intermediate;

  for (let l = 0; l < s.layers; l++) {
    const global = l % MODERNBERT.globalEvery === 0;
    const r = global ? ropes.global : ropes.local;
    const h = l === 0 ? x : norm(x, `l${l}.attn_ln`);
    // [B, S, 3, heads, d] -> [3, B, heads, S, d]
    const qkv = g.one('Transpose', [g.one('Reshape', [linear(h, `l${l}.qkv`), qkvShape])], { perm: [2, 0, 3, 1, 4] });
    const [q, k, v] = (g.op('Split', [qkv, g.i64(`c.s3_${l}`, [3], [1, 1, 1])], { axis: 0 }, 3) as string[])
      .map((t) => g.one('Squeeze', [t, g.i64(`c.sq_${l}_${t}`, [1], [0])])) as [string, string, string];
    const kT = g.one('Transpose', [rotate(k, r)], { perm: [0, 1, 3, 2] });
    const scores = g.one('Add', [g.one('Mul', [g.one('MatMul', [rotate(q, r), kT]), invSqrt]), global ? pad : localBias]);
    const ctx = g.one('MatMul', [g.one('Softmax', [scores], { axis: -1 }), v]);
    const merged = g.one('Reshape', [g.one('Transpose', [ctx], { perm: [0, 2, 1, 3] }), mergeShape]);
    x = g.one('Add', [x, linear(merged, `l${l}.o`)]);
    const [inp, gate] = g.op('Split', [linear(norm(x, `l${l}.mlp_ln`), `l${l}.wi`), g.i64(`c.glu_${l}`, [2], [I, I])], { axis: -1 }, 2) as [string, string];
    x = g.one('Add', [x, linear(g.one('Mul', [gelu(g, inp, `m${l}`), gate]), `l${l}.wo`)]);
  }
  x = norm(x, 'final_ln');

  // Mean over attended tokens: sum(x * mask) / sum(mask).
  const m3 = g.one('Unsqueeze', [maskF, g.i64('c.ax2', [1], [2])]);
  const summed = g.one('ReduceSum', [g.one('Mul', [x, m3]), g.i64('c.ax1r', [1], [1])], { keepdims: 0 });
  const pooled = g.one('Div', [summed, g.one('ReduceSum', [m3, g.i64('c.ax1s', [1], [1])], { keepdims: 0 })]);
  const head = norm(gelu(g, linear(pooled, 'head'), 'head'), 'head_ln');
  const outName = s.outputName ?? 'logits';
  g.opTo('Add', [g.one('MatMul', [head, f32('cls.w')]), f32('cls.b')], [outName]);
  g.output(outName, DT.FLOAT, ['batch_size', s.numLabels]);
  return g.encode('modernbert_cross_encoder');
}
