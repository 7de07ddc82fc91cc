// BERT cross-encoder (BertForSequenceClassification) as ONNX: embeddings, post-LN encoder layers with erf GELU,
// tanh pooler over [CLS], linear classifier. Inputs and outputs are named as in the hub's ONNX ports.
import { DT, Graph } from './onnx-graph.ts';
import { embeddingLookup, fanIn, gelu, matMulWeights, seededWeights, weightsIn, type Weights } from './layers.ts';
import type { Quant } from './quant.ts';

export interface BertShape {
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
  numLabels: number;
  /** Name of the graph output; 'logits' in the hub ports (issue 5 tests other names). */
  outputName?: string;
  /**
   * 'xlm-roberta': no token_type_ids input, positions start at padding_idx + 1 = 2 (as RoBERTa computes them for
   * right-padded input), classification head on <s>. Default 'bert'.
   */
  family?: 'bert' | 'xlm-roberta';
}

export type { Quant } from './quant.ts';


/** Seeded normal weights; LayerNorm gamma 1, beta 0. */
export function randomWeights(s: BertShape, seed: number): Weights {
  const { w, put } = seededWeights(seed);
  bertWeightTable(s, put);
  return w;
}

/** The weights of a BERT shape in order, as put(name, dims, std, fill?) calls (fill: a constant instead of noise). */
export function bertWeightTable(s: BertShape, put: (name: string, dims: number[], std: number, fill?: number) => void): void {
  const H = s.hidden;
  // Fan-in scaled weights (std 1/sqrt(fan_in)) rather than BERT's 0.02: attention then is sharp enough and the
  // [CLS] state varies enough with the text that calibrated scores spread and quantisation noise stays small.
  const lin = fanIn;
  put('emb.word', [s.vocabSize, H], 1);
  put('emb.pos', [s.maxPositions, H], 0.3);
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
    put(`l${l}.ff1.w`, [H, s.intermediate], lin(H));
    put(`l${l}.ff1.b`, [s.intermediate], 0.02);
    put(`l${l}.ff2.w`, [s.intermediate, H], lin(s.intermediate));
    put(`l${l}.ff2.b`, [H], 0.02);
    put(`l${l}.ln2.g`, [H], 0, 1);
    put(`l${l}.ln2.b`, [H], 0, 0);
  }
  put('pool.w', [H, H], lin(H));
  put('pool.b', [H], 0.02);
  put('cls.w', [H, s.numLabels], lin(H));
  put('cls.b', [s.numLabels], 0, 0);
}

export function buildBert(s: BertShape, weights: Weights, quant: Quant): Uint8Array {
  const g = new Graph();
  const { f32 } = weightsIn(g, weights);
  const H = s.hidden;
  const headDim = H / s.heads;

  const ids = g.input('input_ids', DT.INT64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', DT.INT64, ['batch_size', 'sequence_length']);
  const xlmr = s.family === 'xlm-roberta';
  const types = xlmr ? null : g.input('token_type_ids', DT.INT64, ['batch_size', 'sequence_length']);

  const linear = (x: string, name: string): string => g.one('Add', [matMulWeights(g, weights, quant, name)(x), f32(`${name}.b`)]);
  const layerNorm = (x: string, name: string) =>
    g.one('LayerNormalization', [x, f32(`${name}.g`), f32(`${name}.b`)], { axis: -1, epsilon: 1e-12 });

  // Embeddings. The word table is the largest tensor: the int8 ports store it quantised too.
  const wordTable = embeddingLookup(g, weights, quant, ids);
  const seqLen = g.one('Gather', [g.one('Shape', [ids]), g.i64('c.one_idx', [], [1])], { axis: 0 });
  const first = xlmr ? 2 : 0;
  const positions = g.one('Range', [g.i64('c.first', [], [first]), g.one('Add', [seqLen, g.i64('c.first2', [], [first])]), g.i64('c.one', [], [1])]);
  const posEmb = g.one('Gather', [f32('emb.pos'), positions], { axis: 0 });
  // XLM-R has a single token type: its embedding is added to every position.
  const typeEmb = types ? g.one('Gather', [f32('emb.type'), types], { axis: 0 }) : g.one('Gather', [f32('emb.type'), g.i64('c.type0', [], [0])], { axis: 0 });
  let x = layerNorm(g.one('Add', [g.one('Add', [wordTable, posEmb]), typeEmb]), 'emb.ln');

  // Additive mask [batch, 1, 1, seq]: 0 where attended, -10000 on padding.
  const maskF = g.one('Cast', [mask], { to: DT.FLOAT });
  const inv = g.one('Sub', [g.f32('c.onef', [], [1]), maskF]);
  const bias = g.one('Unsqueeze', [g.one('Mul', [inv, g.f32('c.neg', [], [-10000])]), g.i64('c.axes12', [2], [1, 2])]);
  const splitShape = g.i64('c.split', [4], [0, 0, s.heads, headDim]);
  const mergeShape = g.i64('c.merge', [3], [0, 0, H]);
  const invSqrt = g.f32('c.scale', [], [1 / Math.sqrt(headDim)]);

  for (let l = 0; l < s.layers; l++) {
    const heads = (t: string, perm: number[]) => g.one('Transpose', [g.one('Reshape', [t, splitShape])], { perm });
    const q = heads(linear(x, `l${l}.q`), [0, 2, 1, 3]);
    const k = heads(linear(x, `l${l}.k`), [0, 2, 3, 1]);
    const v = heads(linear(x, `l${l}.v`), [0, 2, 1, 3]);
    const scores = g.one('Add', [g.one('Mul', [g.one('MatMul', [q, k]), invSqrt]), bias]);
    const ctx = g.one('MatMul', [g.one('Softmax', [scores], { axis: -1 }), v]);
    const merged = g.one('Reshape', [g.one('Transpose', [ctx], { perm: [0, 2, 1, 3] }), mergeShape]);
    x = layerNorm(g.one('Add', [linear(merged, `l${l}.o`), x]), `l${l}.ln1`);
    const h = linear(x, `l${l}.ff1`);
    x = layerNorm(g.one('Add', [linear(gelu(g, h, String(l)), `l${l}.ff2`), x]), `l${l}.ln2`);
  }

  const cls = g.one('Gather', [x, g.i64('c.cls', [], [0])], { axis: 1 });
  const pooled = g.one('Tanh', [linear(cls, 'pool')]);
  // The classifier stays fp32 in every variant: it is tiny and it sets the calibrated scale of the scores.
  const logitsRaw = g.one('MatMul', [pooled, f32('cls.w')]);
  const outName = s.outputName ?? 'logits';
  g.opTo('Add', [logitsRaw, f32('cls.b')], [outName]);
  g.output(outName, DT.FLOAT, ['batch_size', s.numLabels]);
  return g.encode('bert_cross_encoder');
}
