// A cross-encoder whose relevance is known: the share of the query's content words (stop words, single characters and
// word pieces aside) that the document contains, logit = 4 * share - 2, so scores run from 0.119 (none) to 0.881
// (all) in steps a page can explain. It has a reranker's inputs and output, so the whole pipeline runs on it, and
// ranking tests can state the expected order. Not a neural network.
// Its vocabulary is the tiny test vocabulary plus the words of the demo's sample corpus and queries, so that the
// offline demo ranks by whole words. (It used to count every matching document token, character pieces included:
// on the demo's documents every score saturated at 1.000 and nothing moved.)
import { SAMPLE_QUERIES, sampleCorpus } from '../../tools/search-kit/sample-corpus.ts';
import { DT, Graph } from './onnx-graph.ts';
import { TINY_SPECIAL, tinyVocab } from './tiny-tokenizer.ts';

/** Words that say little about a topic: Lucene's English stop words and the question words of the demo's queries. */
export const STOP_WORDS: ReadonlySet<string> = new Set(`a an and are as at be but by for if in into is it no not of on or such that the their
then there these they this to was will with i my me you your we our he she his her its do does did how what why when
where which who whom can could would should may might has have had been being were am so than too very just about also
get got one all some each every other only more most less many few much well up down out over under between after
before during through because without`.split(/\s+/).filter(Boolean));

/** The tiny vocabulary, then the demo's words it lacks (sorted, so the ids are stable). */
export function oracleVocab(): string[] {
  const base = tinyVocab();
  const known = new Set(base);
  const texts = [...sampleCorpus().flatMap((d) => [d.title ?? '', d.text]), ...SAMPLE_QUERIES];
  const extra = new Set<string>();
  for (const t of texts) for (const w of t.toLowerCase().split(/[^a-z]+/)) if (w.length >= 2 && !known.has(w)) extra.add(w);
  return [...base, ...[...extra].sort()];
}

/** 1 for a content word, 0 for special tokens, characters, punctuation, word pieces and stop words. */
export function oracleWeights(vocab: readonly string[]): Float32Array {
  return Float32Array.from(vocab, (t) => (/^[a-z]{2,}$/.test(t) && !STOP_WORDS.has(t) ? 1 : 0));
}

/** What the graph computes, in plain code: for tests that state expected scores. */
export function oracleLogit(queryWords: readonly string[], docWords: readonly string[], vocab: readonly string[]): number {
  const w = oracleWeights(vocab);
  const content = queryWords.filter((q) => w[vocab.indexOf(q)] === 1);
  if (content.length === 0) return -2;
  const doc = new Set(docWords);
  return (4 * content.filter((q) => doc.has(q)).length) / content.length - 2;
}

/** Token ids at or below `lastSpecialId` are special ([PAD], [UNK], [CLS], [SEP], [MASK]). */
export function buildLexicalOracle(vocab: readonly string[], lastSpecialId = TINY_SPECIAL.length - 1): Uint8Array {
  const g = new Graph();
  const ids = g.input('input_ids', DT.INT64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', DT.INT64, ['batch_size', 'sequence_length']);
  const types = g.input('token_type_ids', DT.INT64, ['batch_size', 'sequence_length']);
  const BOOL = 9;
  const word = g.one('And', [g.one('Greater', [ids, g.i64('c.last_special', [], [lastSpecialId])]), g.one('Cast', [mask], { to: BOOL })]);
  const side = (type: number) => g.one('Cast', [g.one('And', [g.one('Equal', [types, g.i64(`c.type${type}`, [], [type])]), word])], { to: DT.FLOAT });
  const weight = g.one('Gather', [g.f32('c.weights', [vocab.length], oracleWeights(vocab)), ids], { axis: 0 }); // [B, S]
  const queryContent = g.one('Mul', [weight, side(0)]); // [B, S]: 1 at the query's content words
  const docTok = g.one('Unsqueeze', [side(1), g.i64('c.ax1', [1], [1])]); // [B, 1, S]
  const same = g.one('Cast', [g.one('Equal', [g.one('Unsqueeze', [ids, g.i64('c.ax2b', [1], [2])]), g.one('Unsqueeze', [ids, g.i64('c.ax1b', [1], [1])])])], { to: DT.FLOAT });
  const found = g.one('ReduceMax', [g.one('Mul', [same, docTok])], { axes: [2], keepdims: 0 }); // [B, S]: token i occurs in the document
  const covered = g.one('ReduceSum', [g.one('Mul', [queryContent, found]), g.i64('c.ax1c', [1], [1])], { keepdims: 1 }); // [B, 1]
  const total = g.one('Max', [g.one('ReduceSum', [queryContent, g.i64('c.ax1d', [1], [1])], { keepdims: 1 }), g.f32('c.one', [], [1])]);
  const share = g.one('Div', [covered, total]);
  g.opTo('Sub', [g.one('Mul', [share, g.f32('c.four', [], [4])]), g.f32('c.two', [], [2])], ['logits']);
  g.output('logits', DT.FLOAT, ['batch_size', 1]);
  return g.encode('lexical_oracle');
}
