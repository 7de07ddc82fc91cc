// A decoder whose next-token logits are a known function of query/document word overlap, with a causal LM's exact
// inputs and outputs (see qwen3.ts: input_ids, attention_mask, position_ids, past_key_values.0.key/.value, logits,
// present.0.key/.value; one layer, one KV head, head_dim 1). Not a neural network: the KV cache stores the token ids
// (key = value = id as float), so every run sees the whole sequence (past + current) and a shared prefix works.
//
// What it computes, over the tokens of the sequence that attention_mask keeps (cache order = prompt order):
// - Segments. Markers: `<Query` (Q), `<Document` (D), `[` (P, a listwise passage: the token after `[` is its
//   identifier) and E: every added token (<|im_start|>, <|im_end|>, <think>, ...) and `<Instruct`. A token belongs to
//   the segment of the latest marker at or before it. `<Query>: q` puts q in Q; `<Document>: d` puts d in D;
//   `[3] text` puts text in passage "3"; `<|im_end|>` or `<Instruct>: ...` ends any of them.
// - Words. A token is a word if its text, without the leading space, is two or more ASCII letters; two words match if
//   they are equal after lower-casing (in this vocabulary every lower-case corpus word, bare or after a space, is one token).
// - A document-side word (in D or in a passage) is a hit if it matches some word of Q that comes before it.
// - logits[b, i, yes] = number of hits in D segments at cache indices <= the index of position i (every D segment so
//   far; a pointwise prompt has one). logits[b, i, no] = 0.
// - logits[b, i, X] = number of hits in the passages whose identifier token is X, at indices <= that of position i
//   (Qwen2's regex splits `[12]` into `[`, `1`, `2`, `]`: single-token identifiers are the digits 1-9 or letters A-Z).
// - Every other logit is 0. position_ids are read but do not matter (positions are cache indices).
// Example (Qwen3-Reranker prompt): query "cats fish water", document "fish and cats in water" -> yes logit 3 (fish,
// cats, water), P(yes) = sigmoid(3 - 0). Listwise "<Query>: cats fish water\n[1] dogs\n[2] cats in water\n[3] fish
// <|im_end|>" -> logits of "1", "2", "3" at the last position are 0, 2, 1: order [2], [3], [1].
// Cost: O(T^2) per sequence and a [B, T, vocab] one-hot; fine for tests, not for long prompts.
import { DT, Graph } from './onnx-graph.ts';
import { bpeVocab, QWEN_ADDED } from './bpe-tokenizer.ts';
import { decoderInputs } from './qwen3.ts';

/** Lookup tables over the vocabulary (base + added tokens). */
export function oracleTables() {
  const { vocab } = bpeVocab();
  const V = vocab.length + QWEN_ADDED.length;
  const id = (t: string) => {
    const i = vocab.indexOf(t);
    if (i < 0) throw new Error(`decoder oracle: ${t} is not a token`);
    return i;
  };
  const onehot = (...ids: number[]) => Float32Array.from({ length: V }, (_, i) => (ids.includes(i) ? 1 : 0));
  const canonOf = new Map<string, number>();
  const content = new Float32Array(V);
  const canon = new Float32Array(V);
  vocab.forEach((t, i) => {
    const word = t.replace(/^Ġ/, '');
    canon[i] = -1 - i;
    if (/^[A-Za-z]{2,}$/.test(word)) {
      content[i] = 1;
      const key = word.toLowerCase();
      if (!canonOf.has(key)) canonOf.set(key, canonOf.size);
      canon[i] = canonOf.get(key)!;
    }
  });
  const added = Array.from({ length: QWEN_ADDED.length }, (_, i) => vocab.length + i);
  return {
    V, content, canon, yes: id('yes'), isQ: onehot(id('<Query')), isD: onehot(id('<Document')), isP: onehot(id('[')),
    isE: onehot(...added, id('<Instruct')),
  };
}

export function buildDecoderOracle(): Uint8Array {
  const t = oracleTables();
  const g = new Graph();
  const { ids, mask, pos, past, present } = decoderInputs(g, 1, 1, 1);
  const i64 = (name: string, v: number[]) => g.i64(name, [v.length], v);
  const cast = (x: string, to: number) => g.one('Cast', [x], { to });
  const pk = present(0, 'key');
  const pv = present(0, 'value');
  const cur = g.one('Unsqueeze', [cast(ids, DT.FLOAT), i64('c.ax13', [1, 3])]); // [B, 1, S, 1]
  g.opTo('Concat', [past[0]!.key, cur], [pk], { axis: 2 });
  g.opTo('Concat', [past[0]!.value, cur], [pv], { axis: 2 });
  const full = cast(g.one('Reshape', [pk, i64('c.bt', [0, -1])]), DT.INT64); // [B, T] token ids of past + current
  const maskF = cast(mask, DT.FLOAT);
  const table = (name: string, data: Float32Array) => g.one('Gather', [g.f32(name, [t.V], data), full], { axis: 0 });
  const kept = (name: string, data: Float32Array) => g.one('Mul', [table(name, data), maskF]);

  const dim = (x: string, axis: number) => g.one('Gather', [g.one('Shape', [x]), g.i64(g.fresh('c.axis'), [], [axis])], { axis: 0 });
  const S = dim(ids, 1);
  const T = dim(mask, 1);
  const one = g.i64('c.one', [], [1]);
  const idx = g.one('Range', [g.i64('c.zero', [], [0]), T, one]); // [T]
  const row = g.one('Unsqueeze', [idx, i64('c.ax0', [0])]); // [1, T]: k
  const col = g.one('Unsqueeze', [idx, i64('c.ax1', [1])]); // [T, 1]: j
  const atOrBefore = cast(g.one('LessOrEqual', [row, col]), DT.FLOAT); // [j, k]: k <= j
  const before = cast(g.one('Less', [row, col]), DT.FLOAT); // [j, k]: k < j
  const pos1 = g.one('Add', [cast(idx, DT.FLOAT), g.f32('c.onef', [], [1])]); // 1-based index, 0 = no marker

  // last(X)[b, j] = 1 + index of the latest X marker at or before j (0 if none).
  const last = (name: string, data: Float32Array) => {
    const at = g.one('Unsqueeze', [g.one('Mul', [kept(name, data), pos1]), i64(g.fresh('c.ax1'), [1])]); // [B, 1, T]
    return g.one('ReduceMax', [g.one('Mul', [at, atOrBefore])], { axes: [2], keepdims: 0 }); // [B, T]
  };
  const lq = last('t.q', t.isQ);
  const ld = last('t.d', t.isD);
  const lp = last('t.p', t.isP);
  const le = last('t.e', t.isE);
  const word = kept('t.content', t.content);
  const seg = (mine: string, others: string[]) => g.one('Mul', [cast(g.one('Greater', [mine, g.one('Max', others)]), DT.FLOAT), word]);
  const inQ = seg(lq, [ld, lp, le]);
  const inD = seg(ld, [lq, lp, le]);
  const inP = seg(lp, [lq, ld, le]);

  // hit[b, j] = some query word k < j has the same lower-cased word as j.
  const canon = table('t.canon', t.canon);
  const same = cast(g.one('Equal', [g.one('Unsqueeze', [canon, i64('c.ax2', [2])]), g.one('Unsqueeze', [canon, i64('c.ax1b', [1])])]), DT.FLOAT);
  const qk = g.one('Unsqueeze', [inQ, i64('c.ax1c', [1])]); // [B, 1, T(k)]
  const hit = g.one('ReduceMax', [g.one('Mul', [g.one('Mul', [same, before]), qk])], { axes: [2], keepdims: 0 }); // [B, T]

  // Position i (cache index T - S + i) counts hits at indices <= its own.
  const qIdx = g.one('Unsqueeze', [g.one('Range', [g.one('Sub', [T, S]), T, one]), i64('c.ax1d', [1])]); // [S, 1]
  const causal = cast(g.one('LessOrEqual', [row, qIdx]), DT.FLOAT); // [S, T]
  const yes = g.one('MatMul', [causal, g.one('Unsqueeze', [g.one('Mul', [inD, hit]), i64('c.ax2b', [2])])]); // [B, S, 1]

  // Passage hits go to the identifier token: the token right after the passage's `[` (cache index last(P)).
  const maxIdx = g.one('Sub', [T, one]);
  const identIdx = g.one('Min', [cast(lp, DT.INT64), maxIdx]);
  const ident = g.one('GatherElements', [full, identIdx], { axis: 1 }); // [B, T]
  const vocabIds = g.i64('c.vocab', [t.V], Array.from({ length: t.V }, (_, i) => i));
  const identOneHot = cast(g.one('Equal', [g.one('Unsqueeze', [ident, i64('c.ax2c', [2])]), vocabIds]), DT.FLOAT); // [B, T, V]
  const passageHits = g.one('Mul', [g.one('Unsqueeze', [causal, i64('c.ax0b', [0])]), g.one('Unsqueeze', [g.one('Mul', [inP, hit]), i64('c.ax1e', [1])])]); // [B, S, T]
  const listwise = g.one('MatMul', [passageHits, identOneHot]); // [B, S, V]
  const pointwise = g.one('Mul', [yes, g.f32('t.yes', [t.V], Float32Array.from({ length: t.V }, (_, i) => (i === t.yes ? 1 : 0)))]);
  const posZero = g.one('Mul', [g.one('Unsqueeze', [cast(pos, DT.FLOAT), i64('c.ax2d', [2])]), g.f32('c.zerof', [], [0])]); // reads position_ids
  g.opTo('Add', [g.one('Add', [listwise, pointwise]), posZero], ['logits']);
  g.output('logits', DT.FLOAT, ['batch_size', 'sequence_length', t.V]);
  return g.encode('decoder_oracle');
}
