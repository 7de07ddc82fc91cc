// DeBERTa-v2/v3 cross-encoder (mixedbread-ai/mxbai-rerank-*-v1's layout) as ONNX: word embeddings only (no absolute
// positions: position_biased_input false; type_vocab_size 0, so no token_type_ids input, as the hub's ports export it),
// LayerNorm, then post-LN layers with disentangled attention: content-to-content plus content-to-position (c2p) and
// position-to-content (p2c) terms over shared, LayerNorm'd relative embeddings projected by the layer's own query and
// key weights (share_att_key), relative distances in log buckets, scores scaled by sqrt(3 * head_dim). Pooler: dense +
// GELU on [CLS], classifier. Mirrors transformers' DebertaV2 (make_log_bucket_position, disentangled_attention_bias).
import { DT, Graph } from './onnx-graph.ts';
import { embeddingLookup, fanIn, gelu, matMulWeights, seededWeights, weightsIn, type Weights } from './layers.ts';
import type { BertShape, Quant } from './bert.ts';

/** position_buckets (attention span) and max_relative_positions; small here so that test pairs reach the log buckets. */
export const DEBERTA = { positionBuckets: 8, maxRelativePositions: 64 };

export function debertaWeights(s: BertShape, seed: number): Weights {
  const { w, put } = seededWeights(seed);
  const H = s.hidden;
  const lin = fanIn;
  put('emb.word', [s.vocabSize, H], 1);
  put('emb.ln.g', [H], 0, 1);
  put('emb.ln.b', [H], 0, 0);
  put('rel.emb', [2 * DEBERTA.positionBuckets, H], 1);
  put('rel.ln.g', [H], 0, 1);
  put('rel.ln.b', [H], 0, 0);
  for (let l = 0; l < s.layers; l++) {
    for (const m of ['q', 'k', 'v', 'o']) {
      put(`l${l}.${m}.w`, [H, H], lin(H));
      put(`l${l}.${m}.b`, [H], 0.02);
    }
    for (const n of ['ln1', 'ln2']) {
      put(`l${l}.${n}.g`, [H], 0, 1);
      put(`l${l}.${n}.b`, [H], 0, 0);
    }
    put(`l${l}.ff1.w`, [H, s.intermediate], lin(H));
    put(`l${l}.ff1.b`, [s.intermediate], 0.02);
    put(`l${l}.ff2.w`, [s.intermediate, H], lin(s.intermediate));
    put(`l${l}.ff2.b`, [H], 0.02);
  }
  put('pool.w', [H, H], lin(H));
  put('pool.b', [H], 0.02);
  put('cls.w', [H, s.numLabels], lin(H));
  put('cls.b', [s.numLabels], 0, 0);
  return w;
}

export function buildDeberta(s: BertShape, weights: Weights, quant: Quant): Uint8Array {
  const g = new Graph();
  const { f32 } = weightsIn(g, weights);
  const H = s.hidden;
  const d = H / s.heads;
  const ids = g.input('input_ids', DT.INT64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', DT.INT64, ['batch_size', 'sequence_length']);

  // The layer's projections are used twice (tokens and relative embeddings): one set of initializers each.
  const made = new Map<string, (x: string) => string>();
  const linear = (x: string, name: string): string => {
    let f = made.get(name);
    if (!f) {
      const b = f32(`${name}.b`);
      const mm = matMulWeights(g, weights, quant, name);
      f = (v) => g.one('Add', [mm(v), b]);
      made.set(name, f);
    }
    return f(x);
  };
  const norm = (x: string, name: string) => g.one('LayerNormalization', [x, f32(`${name}.g`), f32(`${name}.b`)], { axis: -1, epsilon: 1e-7 });

  const words = embeddingLookup(g, weights, quant, ids);
  const maskF = g.one('Cast', [mask], { to: DT.FLOAT });
  const mask3 = g.one('Unsqueeze', [maskF, g.i64('c.ax2', [1], [2])]);
  // DebertaV2Embeddings multiplies the normalised embeddings by the mask.
  let x = g.one('Mul', [norm(words, 'emb.ln'), mask3]);

  // Relative positions i - j in log buckets (make_log_bucket_position), then the c2p and p2c gather indices.
  const span = DEBERTA.positionBuckets;
  const mid = span / 2;
  const seqLen = g.one('Gather', [g.one('Shape', [ids]), g.i64('c.one_idx', [], [1])], { axis: 0 });
  const pos = g.one('Cast', [g.one('Range', [g.i64('c.zero', [], [0]), seqLen, g.i64('c.one', [], [1])])], { to: DT.FLOAT });
  const rel = g.one('Sub', [g.one('Unsqueeze', [pos, g.i64('c.ax1', [1], [1])]), g.one('Unsqueeze', [pos, g.i64('c.ax0', [1], [0])])]);
  const sign = g.one('Sign', [rel]);
  const absRel = g.one('Abs', [rel]);
  const near = g.one('Less', [absRel, g.f32('c.mid', [], [mid])]);
  const absPos = g.one('Where', [near, g.f32('c.mid1', [], [mid - 1]), absRel]);
  const logPos = g.one('Add', [g.one('Ceil', [g.one('Mul', [g.one('Div', [g.one('Log', [g.one('Div', [absPos, g.f32('c.midf', [], [mid])])]), g.f32('c.logmax', [], [Math.fround(Math.log((DEBERTA.maxRelativePositions - 1) / mid))])]), g.f32('c.midm1', [], [mid - 1])])]), g.f32('c.midp', [], [mid])]);
  const bucket = g.one('Where', [g.one('LessOrEqual', [absPos, g.f32('c.mid2', [], [mid])]), rel, g.one('Mul', [logPos, sign])]);
  const clip = (t: string) => g.one('Cast', [g.one('Clip', [g.one('Add', [t, g.f32(`c.span_${t}`, [], [span])]), g.f32(`c.lo_${t}`, [], [0]), g.f32(`c.hi_${t}`, [], [2 * span - 1])])], { to: DT.INT64 });
  const c2pPos = clip(bucket);
  const p2cPos = clip(g.one('Neg', [bucket]));
  const relEmb = g.one('Unsqueeze', [norm(f32('rel.emb'), 'rel.ln'), g.i64('c.ax0r', [1], [0])]);

  const pad = g.one('Unsqueeze', [g.one('Mul', [g.one('Sub', [g.f32('c.onef', [], [1]), maskF]), g.f32('c.neg', [], [-10000])]), g.i64('c.axes12', [2], [1, 2])]);
  const splitShape = g.i64('c.split', [4], [0, 0, s.heads, d]);
  const mergeShape = g.i64('c.merge', [3], [0, 0, H]);
  const invScale = g.f32('c.scale', [], [1 / Math.sqrt(d * 3)]);
  const heads = (t: string) => g.one('Transpose', [g.one('Reshape', [t, splitShape])], { perm: [0, 2, 1, 3] });
  const T = (t: string) => g.one('Transpose', [t], { perm: [0, 1, 3, 2] });

  for (let l = 0; l < s.layers; l++) {
    const q = heads(linear(x, `l${l}.q`));
    const k = heads(linear(x, `l${l}.k`));
    const v = heads(linear(x, `l${l}.v`));
    const posQ = heads(linear(relEmb, `l${l}.q`)); // [1, heads, 2span, d]
    const posK = heads(linear(relEmb, `l${l}.k`));
    const c2c = g.one('MatMul', [q, T(k)]); // [B, heads, S, S]
    const full = g.one('Shape', [c2c]);
    const gather = (t: string, idx: string) => g.one('GatherElements', [t, g.one('Expand', [idx, full])], { axis: -1 });
    const c2p = gather(g.one('MatMul', [q, T(posK)]), c2pPos); // [B, heads, S, 2span] -> [B, heads, S, S]
    const p2c = T(gather(g.one('MatMul', [k, T(posQ)]), p2cPos));
    const scores = g.one('Add', [g.one('Mul', [g.one('Add', [g.one('Add', [c2c, c2p]), p2c]), invScale]), pad]);
    const ctx = g.one('MatMul', [g.one('Softmax', [scores], { axis: -1 }), v]);
    const merged = g.one('Reshape', [g.one('Transpose', [ctx], { perm: [0, 2, 1, 3] }), mergeShape]);
    x = norm(g.one('Add', [linear(merged, `l${l}.o`), x]), `l${l}.ln1`);
    x = norm(g.one('Add', [linear(gelu(g, linear(x, `l${l}.ff1`), `f${l}`), `l${l}.ff2`), x]), `l${l}.ln2`);
  }

  // ContextPooler: dense on [CLS], GELU (pooler_hidden_act), then the classifier (fp32 in every variant).
  const pooled = gelu(g, linear(g.one('Gather', [x, g.i64('c.cls', [], [0])], { axis: 1 }), 'pool'), 'pool');
  const outName = s.outputName ?? 'logits';
  g.opTo('Add', [g.one('MatMul', [pooled, f32('cls.w')]), f32('cls.b')], [outName]);
  g.output(outName, DT.FLOAT, ['batch_size', s.numLabels]);
  return g.encode('deberta_v2_cross_encoder');
}
