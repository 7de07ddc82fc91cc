// The first stage: BM25 over the whole corpus in the page, through MiniSearch.
import MiniSearch from 'minisearch';
import type { Doc } from './corpus.ts';

export interface Hit {
  doc: Doc;
  /** MiniSearch's BM25 score. */
  bm25: number;
}

export class FirstStage {
  private readonly index: MiniSearch<Doc>;
  private readonly byId = new Map<string, Doc>();

  constructor(docs: Doc[]) {
    // Ids must be unique for MiniSearch; user files may repeat them, so index by position.
    this.index = new MiniSearch<Doc>({ fields: ['title', 'text'], idField: 'key', extractField: (d, f) => (f === 'key' ? (d as Doc & { key: string }).key : (d as unknown as Record<string, string>)[f] ?? '') });
    const keyed = docs.map((d, i) => ({ ...d, key: String(i) }));
    for (const d of keyed) this.byId.set(d.key, d);
    this.index.addAll(keyed);
  }

  get size(): number {
    return this.byId.size;
  }

  search(query: string, limit: number): Hit[] {
    if (!query.trim()) return [];
    return this.index
      .search(query, { combineWith: 'OR', boost: { title: 1.5 } })
      .slice(0, limit)
      .map((r) => ({ doc: this.byId.get(String(r.id))!, bm25: r.score }));
  }
}
