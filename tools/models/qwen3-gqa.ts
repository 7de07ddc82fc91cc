// Qwen3 causal LM with attention fused as ONNX Runtime's com.microsoft.GroupQueryAttention, the way the ONNX Runtime
// GenAI builder and optimum export the hub's Qwen3 ports (onnx-community/Qwen3-Reranker-0.6B-ONNX): same inputs and
// outputs as qwen3.ts (input_ids, attention_mask, position_ids, past_key_values.N.key/value -> logits,
// present.N.key/value), but per layer q/k/v go through q_norm/k_norm and then into GroupQueryAttention with
// do_rotary=1 and cos/sin caches: the op applies rotary positions itself and appends keys/values to the past.
// seqlens_k (per row: real tokens - 1) and total_sequence_length are derived from attention_mask inside the graph
// (ReduceSum - 1, Cast int32; Shape/Gather), so position_ids is an input the graph does not read, as in those ports.
// Weights come from qwen3Weights (the plain-op twin's, same seed), so the two graphs' scores can be compared.
import { DT, Graph } from './onnx-graph.ts';
import { embeddingLookup, matMulWeights, weightsIn, type Weights } from './layers.ts';
import { decoderInputs, RMS_EPS, type Qwen3Shape } from './qwen3.ts';
import type { Quant } from './bert.ts';

/** Rows of the rotary caches (positions the graph can take); the GenAI builder sizes them to the context length. */
export const GQA_ROTARY_POSITIONS = 8192;

/**
 * `rotary: 'outside'` (a diagnostic variant, not a hub layout): rotary applied by plain ops at position_ids before the
 * op, which then runs with do_rotary 0; it tells the op's own position arithmetic apart from its attention.
 */
export function buildQwen3Gqa(s: Qwen3Shape, weights: Weights, quant: Quant, rotaryPositions = GQA_ROTARY_POSITIONS, rotary: 'fused' | 'outside' = 'fused'): Uint8Array {
  const g = new Graph();
  const { f32 } = weightsIn(g, weights);
  let embF32: string | null = null;
  const embTable = () => (embF32 ??= f32('emb'));
  const { ids, mask, pos, past, present } = decoderInputs(g, s.layers, s.kvHeads, s.headDim);
  const hd = s.headDim;
  const linear = (x: string, name: string): string => {
    if (quant === 'fp32' && name === 'lm_head' && s.tied) return g.one('MatMul', [x, g.one('Transpose', [embTable()], { perm: [1, 0] })]);
    return matMulWeights(g, weights, quant, name)(x);
  };
  const eps = g.f32('c.eps', [], [RMS_EPS]);
  const rms = (x: string, gain: string) => {
    const ms = g.one('ReduceMean', [g.one('Mul', [x, x])], { axes: [-1], keepdims: 1 });
    return g.one('Mul', [g.one('Div', [x, g.one('Sqrt', [g.one('Add', [ms, eps])])]), f32(gain)]);
  };
  const i64 = (name: string, v: number[]) => g.i64(name, [v.length], v);

  let x = embeddingLookup(g, weights, quant, ids, 'emb', embTable);

  // seqlens_k = sum(attention_mask) - 1 per row and total_sequence_length = attention_mask's width, both int32.
  const sum = g.one('ReduceSum', [mask, i64('c.ax1', [1])], { keepdims: 0 });
  const seqlensK = g.one('Cast', [g.one('Sub', [sum, g.i64('c.one', [], [1])])], { to: DT.INT32 });
  const totalLen = g.one('Cast', [g.one('Gather', [g.one('Shape', [mask]), g.i64('c.idx1', [], [1])], { axis: 0 })], { to: DT.INT32 });
  // cos/sin caches [positions, hd/2] (rotate_half layout: rotary_interleaved 0), theta as the config's rope_theta.
  const cos = new Float32Array(rotaryPositions * (hd / 2));
  const sin = new Float32Array(rotaryPositions * (hd / 2));
  for (let p = 0; p < rotaryPositions; p++) {
    for (let i = 0; i < hd / 2; i++) {
      const a = p * s.ropeTheta ** ((-2 * i) / hd);
      cos[p * (hd / 2) + i] = Math.cos(a);
      sin[p * (hd / 2) + i] = Math.sin(a);
    }
  }
  const cosCache = g.f32('cos_cache', [rotaryPositions, hd / 2], cos);
  const sinCache = g.f32('sin_cache', [rotaryPositions, hd / 2], sin);

  // The 'outside' variant's tables at position_ids: [B, S, 1, hd] (rotate_half layout).
  let rope: ((t: string) => string) | null = null;
  if (rotary === 'outside') {
    const inv = Float32Array.from({ length: hd / 2 }, (_, i) => s.ropeTheta ** ((-2 * i) / hd));
    const freqs = g.one('Mul', [g.one('Unsqueeze', [g.one('Cast', [pos], { to: DT.FLOAT }), i64('c.ax2', [2])]), g.f32('c.inv_freq', [hd / 2], inv)]);
    const emb = g.one('Unsqueeze', [g.one('Concat', [freqs, freqs], { axis: -1 }), i64('c.ax2b', [2])]);
    const c = g.one('Cos', [emb]);
    const sn = g.one('Sin', [emb]);
    const halves = i64('c.halves', [hd / 2, hd / 2]);
    rope = (t) => {
      const [a, b] = g.op('Split', [t, halves], { axis: -1 }, 2) as [string, string];
      return g.one('Add', [g.one('Mul', [t, c]), g.one('Mul', [g.one('Concat', [g.one('Neg', [b]), a], { axis: -1 }), sn])]);
    };
  }
  for (let l = 0; l < s.layers; l++) {
    const h = rms(x, `l${l}.ln1.g`);
    // Per-head q/k norms: [B, S, n*hd] -> [B, S, n, hd] -> RMSNorm -> back, as the builder writes them.
    const headNorm = (t: string, n: number, gain: string) => {
      const normed = rms(g.one('Reshape', [t, i64(g.fresh(`c.h${l}`), [0, 0, n, hd])]), gain);
      const r = rope ? rope(normed) : normed;
      return g.one('Reshape', [r, i64(g.fresh(`c.m${l}`), [0, 0, n * hd])]);
    };
    const q = headNorm(linear(h, `l${l}.q`), s.heads, `l${l}.q_norm.g`);
    const k = headNorm(linear(h, `l${l}.k`), s.kvHeads, `l${l}.k_norm.g`);
    const v = linear(h, `l${l}.v`);
    const attn = g.fresh('attn');
    g.opTo('GroupQueryAttention', [q, k, v, past[l]!.key, past[l]!.value, seqlensK, totalLen, ...(rope ? [] : [cosCache, sinCache])], [attn, present(l, 'key'), present(l, 'value')],
      { num_heads: s.heads, kv_num_heads: s.kvHeads, do_rotary: rope ? 0 : 1, rotary_interleaved: 0, scale: 1 / Math.sqrt(hd) }, 'com.microsoft');
    x = g.one('Add', [x, linear(attn, `l${l}.o`)]);
    const h2 = rms(x, `l${l}.ln2.g`);
    const gate = linear(h2, `l${l}.gate`);
    const act = g.one('Mul', [g.one('Mul', [gate, g.one('Sigmoid', [gate])]), linear(h2, `l${l}.up`)]);
    x = g.one('Add', [x, linear(act, `l${l}.down`)]);
  }
  g.opTo('Identity', [linear(rms(x, 'norm.g'), 'lm_head')], ['logits']);
  g.output('logits', DT.FLOAT, ['batch_size', 'sequence_length', s.vocabSize]);
  return g.encode('qwen3_causal_lm_gqa');
}
