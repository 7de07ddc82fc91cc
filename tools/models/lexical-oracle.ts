// A cross-encoder whose relevance is known: it counts the document tokens that also occur in the query (special
// tokens excluded), logit = matches - 2. It has a reranker's inputs and output, so the whole pipeline runs on it, and
// ranking tests can state the expected order: more query words in the document, higher score. Not a neural network.
import { DT, Graph } from './onnx-graph.ts';

/** Token ids at or below `lastSpecialId` are special ([PAD], [UNK], [CLS], [SEP], [MASK] in the tiny vocabulary). */
export function buildLexicalOracle(lastSpecialId: number): Uint8Array {
  const g = new Graph();
  const ids = g.input('input_ids', DT.INT64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', DT.INT64, ['batch_size', 'sequence_length']);
  const types = g.input('token_type_ids', DT.INT64, ['batch_size', 'sequence_length']);
  const BOOL = 9;
  const word = g.one('And', [g.one('Greater', [ids, g.i64('c.last_special', [], [lastSpecialId])]), g.one('Cast', [mask], { to: BOOL })]);
  const side = (type: number) => g.one('Cast', [g.one('And', [g.one('Equal', [types, g.i64(`c.type${type}`, [], [type])]), word])], { to: DT.FLOAT });
  const queryTok = g.one('Unsqueeze', [side(0), g.i64('c.ax2', [1], [2])]); // [B, S, 1]
  const docTok = g.one('Unsqueeze', [side(1), g.i64('c.ax1', [1], [1])]); // [B, 1, S]
  const same = g.one('Cast', [g.one('Equal', [g.one('Unsqueeze', [ids, g.i64('c.ax2b', [1], [2])]), g.one('Unsqueeze', [ids, g.i64('c.ax1b', [1], [1])])])], { to: DT.FLOAT });
  const pairs = g.one('Mul', [g.one('Mul', [same, queryTok]), docTok]); // [B, S(query), S(doc)]
  const matchedDocTokens = g.one('ReduceMax', [pairs], { axes: [1], keepdims: 0 }); // [B, S]: doc token found in the query
  const hits = g.one('ReduceSum', [matchedDocTokens, g.i64('c.ax1c', [1], [1])], { keepdims: 1 }); // [B, 1]
  g.opTo('Sub', [hits, g.f32('c.bias', [], [2])], ['logits']);
  g.output('logits', DT.FLOAT, ['batch_size', 1]);
  return g.encode('lexical_oracle');
}
