// Query/document sets for parity and smoke tests: SciFact when ../shared has it (real lengths, some past 512
// tokens), and built-in sentences otherwise.
import fs from 'node:fs';
import path from 'node:path';

export const SCIFACT = path.resolve(import.meta.dirname, '../../../shared/data/scifact');

export const BUILTIN = {
  query: 'how do cats and dogs get along',
  docs: [
    'Cats and dogs can live together when they are introduced slowly.',
    'A recipe for tomato soup with fresh basil.',
    'Dogs are loyal animals that need daily walks.',
    'The GPU runs many small programs in parallel.',
    '',
    'Crème brûlée, 東京, emoji 😀 and an RTL word: שלום.',
    'the quick brown fox jumps over the lazy dog '.repeat(80),
    'How to train a dog to live with a cat in a small home.',
  ],
};

/** The first query of SciFact and n documents (its relevant ones first, then the corpus in order). */
export function scifactSample(n: number): { query: string; docs: string[] } | null {
  if (!fs.existsSync(SCIFACT)) return null;
  const lines = (f: string) => fs.readFileSync(path.join(SCIFACT, f), 'utf8').split('\n').filter(Boolean);
  const q = JSON.parse(lines('queries.test.jsonl')[0]!) as { _id: string; text: string };
  const relevant = new Set(lines('qrels/test.tsv').slice(1).map((l) => l.split('\t')).filter((c) => c[0] === q._id).map((c) => c[1]));
  const corpus = lines('corpus.jsonl').slice(0, 400).map((l) => JSON.parse(l) as { _id: string; title: string; text: string });
  const all = lines('corpus.jsonl').map((l) => JSON.parse(l) as { _id: string; title: string; text: string });
  const rel = all.filter((d) => relevant.has(d._id));
  const docs = [...rel, ...corpus.filter((d) => !relevant.has(d._id))].slice(0, n).map((d) => `${d.title} ${d.text}`);
  return { query: q.text, docs };
}
