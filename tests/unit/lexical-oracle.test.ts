// The lexical oracle on the demo's own sample queries and BM25 results, run by onnxruntime-node through the worker's
// pair encoder (issue 24: it scored every demo document 1.000, so reranking moved nothing). Its scores must be graded,
// never saturated, equal to the formula it documents, and re-order some of BM25's top 50 on the sample queries.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildLexicalOracle, oracleLogit, oracleVocab } from '../../tools/models/lexical-oracle.ts';
import { tinyTokenizerFiles } from '../../tools/models/tiny-tokenizer.ts';
import { docText } from '../../tools/search-kit/corpus.ts';
import { SAMPLE_QUERIES, sampleCorpus } from '../../tools/search-kit/sample-corpus.ts';
import { FirstStage } from '../../tools/search-kit/search.ts';
import { createPairEncoder } from '../../workers/backend/tokenizer.ts';

const vocab = oracleVocab();
const files = tinyTokenizerFiles(vocab) as Record<string, unknown>;
const encoder = createPairEncoder(files['tokenizer.json'], files['tokenizer_config.json'] as Record<string, unknown>);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const words = (t: string) => t.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

async function scores(session: ort.InferenceSession, query: string, docs: string[]): Promise<number[]> {
  const q = encoder.encodeQuery(query, 512);
  const out: number[] = [];
  for (const d of docs) {
    const p = encoder.encodeDocument(q, d, 512);
    const t = (a: number[]) => new ort.Tensor('int64', BigInt64Array.from(a, BigInt), [1, a.length]);
    const r = await session.run({ input_ids: t(p.ids), attention_mask: t(p.ids.map(() => 1)), token_type_ids: t(p.typeIds) });
    out.push(sigmoid((r.logits!.data as Float32Array)[0]!));
  }
  return out;
}

describe('lexical oracle on the demo', async () => {
  const session = await ort.InferenceSession.create(buildLexicalOracle(vocab));
  const stage = new FirstStage(sampleCorpus());

  it('graded, unsaturated scores equal to its formula, and a re-ordered top 50, on every sample query', async () => {
    for (const query of SAMPLE_QUERIES) {
      const hits = stage.search(query, 50);
      const texts = hits.map((h) => docText(h.doc));
      const s = await scores(session, query, texts);
      // The documented formula, word for word (the demo's words are whole tokens of this vocabulary).
      s.forEach((x, i) => expect(x).toBeCloseTo(sigmoid(oracleLogit(words(query), words(texts[i]!), vocab)), 5));
      // Graded: at least three levels, the top below 0.9 (4 * 1 - 2 = 2: 0.881 at most), never the old 1.000.
      expect(new Set(s.map((x) => x.toFixed(3))).size, query).toBeGreaterThanOrEqual(3);
      expect(Math.max(...s)).toBeLessThan(0.9);
      // Reranking moves something: the oracle's order (ties keep BM25's) is not BM25's.
      const order = s.map((x, i) => [x, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i);
      expect(order, query).not.toEqual(order.slice().sort((a, b) => a - b));
    }
  });

  it('stop words and word pieces count for nothing; a query of stop words alone scores every document alike', async () => {
    // 'the' and 'how' are stop words; 'zzz' splits into character pieces: none of them may raise a score.
    const [a, b] = await scores(session, 'how the zzz cats', ['cats', 'the how zzz']);
    expect(a).toBeCloseTo(sigmoid(2), 5);
    expect(b).toBeCloseTo(sigmoid(-2), 5);
    const flat = await scores(session, 'how is the', ['how is the', 'cats']);
    expect(flat[0]).toBe(flat[1]);
  });
});
