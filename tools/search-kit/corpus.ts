// Corpora the demo accepts: dropped or pasted files (JSONL, JSON, CSV, plain text) and BEIR folders. Pure parsing,
// unit-tested in Node; fetching lives in beir.ts.
import Papa from 'papaparse';

export interface Doc {
  id: string;
  title: string;
  text: string;
}

const TEXT_KEYS = ['text', 'body', 'content', 'abstract', 'description', 'passage'];
const TITLE_KEYS = ['title', 'name', 'heading'];
const ID_KEYS = ['_id', 'id', 'docid', 'doc_id'];

function pick(o: Record<string, unknown>, keys: string[]): string | undefined {
  const lower = new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
  for (const k of keys) {
    const v = lower.get(k);
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return undefined;
}

function fromObject(o: unknown, i: number): Doc {
  if (typeof o === 'string') return { id: String(i), title: '', text: o };
  if (!o || typeof o !== 'object') throw new Error(`record ${i + 1} is not an object`);
  const rec = o as Record<string, unknown>;
  const text = pick(rec, TEXT_KEYS);
  const title = pick(rec, TITLE_KEYS) ?? '';
  if (text === undefined && !title) throw new Error(`record ${i + 1} has none of the fields ${TEXT_KEYS.join(', ')}`);
  return { id: pick(rec, ID_KEYS) ?? String(i), title, text: text ?? '' };
}

/** Parses a corpus file by its name's extension (or its first character when the name says nothing). */
export function parseCorpus(name: string, content: string): Doc[] {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const trimmed = content.trim();
  if (trimmed === '') return [];
  if (ext === 'jsonl' || ext === 'ndjson' || (ext !== 'json' && trimmed.startsWith('{'))) {
    return trimmed.split(/\r?\n/).filter((l) => l.trim()).map((line, i) => {
      let o: unknown;
      try {
        o = JSON.parse(line);
      } catch {
        throw new Error(`line ${i + 1} is not valid JSON`);
      }
      return fromObject(o, i);
    });
  }
  if (ext === 'json' || trimmed.startsWith('[')) {
    const arr = JSON.parse(trimmed) as unknown;
    if (!Array.isArray(arr)) throw new Error('a JSON corpus must be an array of documents');
    return arr.map(fromObject);
  }
  if (ext === 'csv' || ext === 'tsv') {
    const parsed = Papa.parse<Record<string, string>>(trimmed, { header: true, skipEmptyLines: true });
    if (parsed.errors.length > 0 && parsed.data.length === 0) throw new Error(`CSV: ${parsed.errors[0]!.message}`);
    return parsed.data.map((row, i) => {
      const text = pick(row, TEXT_KEYS) ?? Object.values(row).join(' ');
      return { id: pick(row, ID_KEYS) ?? String(i), title: pick(row, TITLE_KEYS) ?? '', text };
    });
  }
  // Plain text: paragraphs separated by blank lines, or one document per line when there are none.
  const parts = /\n\s*\n/.test(trimmed) ? trimmed.split(/\n\s*\n/) : trimmed.split(/\r?\n/);
  return parts.map((p) => p.trim()).filter(Boolean).map((text, i) => ({ id: String(i), title: '', text }));
}

export interface Query {
  id: string;
  text: string;
}

export function parseQueries(jsonl: string): Query[] {
  return jsonl.split(/\r?\n/).filter((l) => l.trim()).map((l) => {
    const o = JSON.parse(l) as { _id: string; text: string };
    return { id: String(o._id), text: o.text };
  });
}

/** BEIR qrels: a TSV with a header, query-id, corpus-id, score. */
export function parseQrels(tsv: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const lines = tsv.split(/\r?\n/).filter((l) => l.trim());
  for (const line of lines.slice(1)) {
    const [q, d, s] = line.split('\t');
    if (!q || !d) continue;
    if (!out.has(q)) out.set(q, new Map());
    out.get(q)!.set(d, Number(s ?? 1));
  }
  return out;
}

/** The text the reranker sees: title and body, as BEIR's reranking examples join them. */
export function docText(d: Doc): string {
  return d.title ? `${d.title} ${d.text}` : d.text;
}
