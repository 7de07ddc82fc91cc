// The benchmark's workload: SciFact claims as queries, BM25 (MiniSearch) over the corpus as the first stage, the
// top-K documents as "title text". Without ../shared it says so and builds a generated corpus of similar length.
import fs from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { mulberry32 } from '../../tools/models/rng.ts';
import { WORDS } from '../../tools/models/tiny-tokenizer.ts';

export const SCIFACT_DIR = path.resolve(import.meta.dirname, '../../../shared/data/scifact');

export interface Query {
  id: string;
  text: string;
  /** Documents per top-K, as "title text", in BM25 order. */
  docs: Record<number, string[]>;
}

export interface Workload {
  source: 'scifact' | 'generated';
  note: string;
  corpusSize: number;
  queries: Query[];
}

interface Doc {
  id: string;
  title: string;
  text: string;
}

function readJsonl<T>(file: string): T[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
}

/**
 * A corpus shaped like SciFact (title about 12 words; about 265 words a document, lognormal, which gives BM25 top-50
 * lists of about the same token counts as SciFact's, 380 a pair,
 * a long tail past 512 tokens), from a seeded Zipf draw over a word list, so that BM25 has something to rank.
 */
function generatedCorpus(): { docs: Doc[]; queries: { id: string; text: string }[] } {
  const rand = mulberry32(2024);
  const words = [...new Set(WORDS.split(/\s+/).filter(Boolean))];
  // Zipf-ish: word i drawn with weight 1/(i+1); a per-document shuffle of the ranks gives each document a topic.
  const pick = (bias: number[]): string => {
    const u = rand() * bias[bias.length - 1]!;
    let lo = 0;
    let hi = bias.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bias[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const topicCdf = () => {
    const order = words.map((_, i) => i).sort(() => rand() - 0.5);
    let acc = 0;
    return order.map((r) => (acc += 1 / (r + 1)));
  };
  const sentence = (cdf: number[], n: number) => Array.from({ length: n }, () => pick(cdf)).join(' ');
  const docs: Doc[] = [];
  for (let i = 0; i < 5000; i++) {
    const cdf = topicCdf();
    const total = Math.min(1500, Math.max(40, Math.round(265 * Math.exp(0.3 * normal()))));
    const titleLen = Math.max(4, Math.round(12 + 4 * normal()));
    docs.push({ id: `g${i}`, title: sentence(cdf, titleLen), text: sentence(cdf, Math.max(10, total - titleLen)) + '.' });
  }
  const queries = Array.from({ length: 100 }, (_, i) => {
    const cdf = topicCdf();
    return { id: `gq${i}`, text: sentence(cdf, Math.max(4, Math.round(12 + 4 * normal()))) };
  });
  return { docs, queries };
}

/** The first `count` queries (in file order) that BM25 gives at least max(topKs) documents. */
export function loadWorkload(count: number, topKs: number[]): Workload {
  // BENCH_NO_SHARED=1 takes the fresh-clone path on a machine that has ../shared.
  const haveScifact = !process.env.BENCH_NO_SHARED && fs.existsSync(path.join(SCIFACT_DIR, 'corpus.jsonl'));
  let docs: Doc[];
  let queries: { id: string; text: string }[];
  let note: string;
  if (haveScifact) {
    docs = readJsonl<{ _id: string; title: string; text: string }>(path.join(SCIFACT_DIR, 'corpus.jsonl'))
      .map((d) => ({ id: d._id, title: d.title ?? '', text: d.text ?? '' }));
    queries = readJsonl<{ _id: string; text: string }>(path.join(SCIFACT_DIR, 'queries.test.jsonl')).map((q) => ({ id: q._id, text: q.text }));
    note = `SciFact test claims, BM25 (MiniSearch) over ${docs.length} abstracts from ${path.relative(process.cwd(), SCIFACT_DIR)}`;
  } else {
    ({ docs, queries } = generatedCorpus());
    note = `../shared/data/scifact is absent (it exists on the project's machines only): GENERATED corpus of ${docs.length} documents with SciFact's length distribution`;
  }
  const index = new MiniSearch<Doc>({ fields: ['title', 'text'], storeFields: [] });
  index.addAll(docs);
  const byId = new Map(docs.map((d) => [d.id, d]));
  const need = Math.max(...topKs);
  const out: Query[] = [];
  for (const q of queries) {
    if (out.length >= count) break;
    const hits = index.search(q.text);
    if (hits.length < need) continue;
    const text = (id: string) => {
      const d = byId.get(id)!;
      return d.title ? `${d.title} ${d.text}` : d.text;
    };
    const top = hits.slice(0, need).map((h) => text(String(h.id)));
    out.push({ id: q.id, text: q.text, docs: Object.fromEntries(topKs.map((k) => [k, top.slice(0, k)])) });
  }
  return { source: haveScifact ? 'scifact' : 'generated', note, corpusSize: docs.length, queries: out };
}
