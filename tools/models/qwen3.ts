// Qwen3 causal LM (Qwen3ForCausalLM; Qwen3-Reranker-0.6B's architecture) as ONNX in the layout of the hub's
// optimum/transformers.js exports: inputs input_ids [batch_size, sequence_length], attention_mask
// [batch_size, total_sequence_length], position_ids [batch_size, sequence_length], past_key_values.{i}.key/.value
// [batch_size, num_key_value_heads, past_sequence_length, head_dim]; outputs logits [batch_size, sequence_length,
// vocab_size] and present.{i}.key/.value [batch_size, num_key_value_heads, total_sequence_length, head_dim].
// Per layer: RMSNorm -> q/k/v (no bias) -> per-head q_norm/k_norm RMSNorm -> rotary (rotate_half, theta 1e6) at
// position_ids -> keys/values appended to the past -> grouped-query attention (each KV head serves heads/kvHeads
// query heads) with a causal mask over past + current (query i sits at cache index past + i) and attention_mask ->
// o_proj -> residual -> RMSNorm -> SwiGLU (down(silu(gate) * up)) -> residual. Final RMSNorm, lm_head (tied to the
// embedding or not). Masked keys get -1e9 before the softmax, so they weigh exactly 0 in fp32: padding changes nothing.
import { DT, Graph } from './onnx-graph.ts';
import { mulberry32, normal } from './rng.ts';
import { embeddingLookup, matMulWeights, weightsIn, type Weights } from './layers.ts';
import type { Quant } from './bert.ts';

export interface Qwen3Shape {
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  maxPositions: number;
  ropeTheta: number;
  /** lm_head shares the embedding matrix (tie_word_embeddings), as Qwen3-0.6B does. */
  tied: boolean;
}

export const RMS_EPS = 1e-6;

/**
 * The weights of a Qwen3 shape in draw order, as put(name, dims, std, mean) calls: normal(mean, std) noise. A tied
 * lm_head is not listed (it is the embedding transposed; see qwen3Weights).
 */
export function qwen3WeightTable(s: Qwen3Shape, put: (name: string, dims: number[], std: number, mean?: number) => void): void {
  const H = s.hidden;
  const lin = (fanIn: number) => 1 / Math.sqrt(fanIn);
  put('emb', [s.vocabSize, H], 1);
  for (let l = 0; l < s.layers; l++) {
    put(`l${l}.ln1.g`, [H], 0.1, 1);
    put(`l${l}.q.w`, [H, s.heads * s.headDim], lin(H));
    put(`l${l}.k.w`, [H, s.kvHeads * s.headDim], lin(H));
    put(`l${l}.v.w`, [H, s.kvHeads * s.headDim], lin(H));
    // q/k norm gains above 1 make attention sharper than uniform, so that positions and the mask matter in tests.
    // (Gains of 3 doubled the spread of the yes-no margin over 8 documents, std 1.1 -> 2.1, but raised the q8/q4
    // margin error from 0.25/0.22 to 0.86/2.9; 1.5 kept.)
    put(`l${l}.q_norm.g`, [s.headDim], 0.3, 1.5);
    put(`l${l}.k_norm.g`, [s.headDim], 0.3, 1.5);
    put(`l${l}.o.w`, [s.heads * s.headDim, H], lin(s.heads * s.headDim));
    put(`l${l}.ln2.g`, [H], 0.1, 1);
    put(`l${l}.gate.w`, [H, s.intermediate], lin(H));
    put(`l${l}.up.w`, [H, s.intermediate], lin(H));
    put(`l${l}.down.w`, [s.intermediate, H], lin(s.intermediate));
  }
  // Final norm gain 1/4: logits of std about sqrt(H)/4 (2 at H = 64) rather than 8, a next-token distribution that is
  // neither flat nor one-hot.
  put('norm.g', [H], 0.02, 0.25);
  if (!s.tied) put('lm_head.w', [H, s.vocabSize], 1);
}

/** [V, H] -> [H, V]: a tied lm_head's weight from the embedding table. */
export function transposeEmbedding(e: Float32Array, vocabSize: number, hidden: number): Float32Array {
  const t = new Float32Array(hidden * vocabSize);
  for (let v = 0; v < vocabSize; v++) for (let h = 0; h < hidden; h++) t[h * vocabSize + v] = e[v * hidden + h]!;
  return t;
}

export function qwen3Weights(s: Qwen3Shape, seed: number): Weights {
  const rand = mulberry32(seed);
  const w: Weights = new Map();
  qwen3WeightTable(s, (name, dims, std, mean = 0) => {
    const n = dims.reduce((a, b) => a * b, 1);
    const data = normal(rand, n, std);
    for (let i = 0; i < n; i++) data[i] = data[i]! + mean;
    w.set(name, { dims, data });
  });
  if (s.tied) w.set('lm_head.w', { dims: [s.hidden, s.vocabSize], data: transposeEmbedding(w.get('emb')!.data, s.vocabSize, s.hidden) });
  return w;
}

/** Declares the decoder inputs and outputs' KV names (shared with the oracle decoder). */
export function decoderInputs(g: Graph, layers: number, kvHeads: number, headDim: number) {
  const ids = g.input('input_ids', DT.INT64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', DT.INT64, ['batch_size', 'total_sequence_length']);
  const pos = g.input('position_ids', DT.INT64, ['batch_size', 'sequence_length']);
  const past = Array.from({ length: layers }, (_, l) => ({
    key: g.input(`past_key_values.${l}.key`, DT.FLOAT, ['batch_size', kvHeads, 'past_sequence_length', headDim]),
    value: g.input(`past_key_values.${l}.value`, DT.FLOAT, ['batch_size', kvHeads, 'past_sequence_length', headDim]),
  }));
  const present = (l: number, kind: 'key' | 'value') => {
    g.output(`present.${l}.${kind}`, DT.FLOAT, ['batch_size', kvHeads, 'total_sequence_length', headDim]);
    return `present.${l}.${kind}`;
  };
  return { ids, mask, pos, past, present };
}

export function buildQwen3(s: Qwen3Shape, weights: Weights, quant: Quant): Uint8Array {
  const g = new Graph();
  const { f32 } = weightsIn(g, weights);
  let embF32: string | null = null;
  const embTable = () => (embF32 ??= f32('emb')); // one initializer, shared by the lookup and a tied lm_head
  const { ids, mask, pos, past, present } = decoderInputs(g, s.layers, s.kvHeads, s.headDim);
  const hd = s.headDim;
  const groups = s.heads / s.kvHeads;

  const linear = (x: string, name: string): string => {
    // A tied fp32 head reads the embedding table itself (one initializer); quantised heads have their own copy.
    if (quant === 'fp32' && name === 'lm_head' && s.tied) return g.one('MatMul', [x, g.one('Transpose', [embTable()], { perm: [1, 0] })]);
    return matMulWeights(g, weights, quant, name)(x);
  };
  const eps = g.f32('c.eps', [], [RMS_EPS]);
  const rms = (x: string, gain: string) => {
    const ms = g.one('ReduceMean', [g.one('Mul', [x, x])], { axes: [-1], keepdims: 1 });
    return g.one('Mul', [g.one('Div', [x, g.one('Sqrt', [g.one('Add', [ms, eps])])]), f32(gain)]);
  };
  const i64 = (name: string, v: number[]) => g.i64(name, [v.length], v);

  // Embedding; the int8 file stores the table quantised too, as the hub's q8 ports do. q4 ports keep it fp32.
  let x = embeddingLookup(g, weights, quant, ids, 'emb', embTable);

  // Rotary tables at position_ids: cos/sin [B, 1, S, hd], frequencies duplicated (rotate_half layout).
  const inv = Float32Array.from({ length: hd / 2 }, (_, i) => s.ropeTheta ** ((-2 * i) / hd));
  const freqs = g.one('Mul', [g.one('Unsqueeze', [g.one('Cast', [pos], { to: DT.FLOAT }), i64('c.ax2', [2])]), g.f32('c.inv_freq', [hd / 2], inv)]);
  const emb = g.one('Unsqueeze', [g.one('Concat', [freqs, freqs], { axis: -1 }), i64('c.ax1', [1])]);
  const cos = g.one('Cos', [emb]);
  const sin = g.one('Sin', [emb]);
  const halves = i64('c.halves', [hd / 2, hd / 2]);
  const rope = (t: string) => {
    const [a, b] = g.op('Split', [t, halves], { axis: -1 }, 2) as [string, string];
    return g.one('Add', [g.one('Mul', [t, cos]), g.one('Mul', [g.one('Concat', [g.one('Neg', [b]), a], { axis: -1 }), sin])]);
  };

  // Additive mask [B, 1, 1, S, T]: key j is visible to query i when j <= past + i and attention_mask[j] = 1.
  const dim = (t: string, axis: number) => g.one('Gather', [g.one('Shape', [t]), g.i64(g.fresh('c.axis'), [], [axis])], { axis: 0 });
  const S = dim(ids, 1);
  const T = dim(mask, 1);
  const zero = g.i64('c.zero', [], [0]);
  const one = g.i64('c.one', [], [1]);
  const keyIdx = g.one('Unsqueeze', [g.one('Range', [zero, T, one]), i64('c.ax0', [0])]); // [1, T]
  const qIdx = g.one('Unsqueeze', [g.one('Range', [g.one('Sub', [T, S]), T, one]), i64('c.ax1b', [1])]); // [S, 1]
  const causal = g.one('Cast', [g.one('LessOrEqual', [keyIdx, qIdx])], { to: DT.FLOAT }); // [S, T]
  const visible = g.one('Mul', [g.one('Unsqueeze', [g.one('Cast', [mask], { to: DT.FLOAT }), i64('c.ax1c', [1])]), causal]); // [B, S, T]
  const bias = g.one('Unsqueeze', [g.one('Mul', [g.one('Sub', [g.f32('c.onef', [], [1]), visible]), g.f32('c.neg', [], [-1e9])]), i64('c.ax12', [1, 2])]);

  const scale = g.f32('c.scale', [], [1 / Math.sqrt(hd)]);
  for (let l = 0; l < s.layers; l++) {
    const h = rms(x, `l${l}.ln1.g`);
    const heads = (t: string, n: number) => g.one('Reshape', [t, i64(`c.heads_${l}_${n}_${g.fresh('r')}`, [0, 0, n, hd])]);
    const toBHSD = (t: string) => g.one('Transpose', [t], { perm: [0, 2, 1, 3] });
    const q = rope(toBHSD(rms(heads(linear(h, `l${l}.q`), s.heads), `l${l}.q_norm.g`)));
    const k = rope(toBHSD(rms(heads(linear(h, `l${l}.k`), s.kvHeads), `l${l}.k_norm.g`)));
    const v = toBHSD(heads(linear(h, `l${l}.v`), s.kvHeads));
    const pk = present(l, 'key');
    const pv = present(l, 'value');
    g.opTo('Concat', [past[l]!.key, k], [pk], { axis: 2 });
    g.opTo('Concat', [past[l]!.value, v], [pv], { axis: 2 });
    // Grouped-query attention without copying KV: queries as [B, kvH, groups, S, hd] against keys [B, kvH, 1, T, hd].
    const q5 = g.one('Reshape', [q, i64(`c.q5_${l}`, [0, s.kvHeads, groups, -1, hd])]);
    const kT = g.one('Transpose', [g.one('Unsqueeze', [pk, i64(`c.ax2k_${l}`, [2])])], { perm: [0, 1, 2, 4, 3] });
    const scores = g.one('Add', [g.one('Mul', [g.one('MatMul', [q5, kT]), scale]), bias]);
    const ctx = g.one('MatMul', [g.one('Softmax', [scores], { axis: -1 }), g.one('Unsqueeze', [pv, i64(`c.ax2v_${l}`, [2])])]);
    const merged = g.one('Reshape', [
      g.one('Transpose', [g.one('Reshape', [ctx, i64(`c.ctx_${l}`, [0, s.heads, -1, hd])])], { perm: [0, 2, 1, 3] }),
      i64(`c.merge_${l}`, [0, 0, s.heads * hd]),
    ]);
    x = g.one('Add', [x, linear(merged, `l${l}.o`)]);
    const h2 = rms(x, `l${l}.ln2.g`);
    const gate = linear(h2, `l${l}.gate`);
    const act = g.one('Mul', [g.one('Mul', [gate, g.one('Sigmoid', [gate])]), linear(h2, `l${l}.up`)]);
    x = g.one('Add', [x, linear(act, `l${l}.down`)]);
  }
  g.opTo('Identity', [linear(rms(x, 'norm.g'), 'lm_head')], ['logits']);
  g.output('logits', DT.FLOAT, ['batch_size', 'sequence_length', s.vocabSize]);
  return g.encode('qwen3_causal_lm');
}
