// The first stage: BM25 over the whole corpus in the page, through MiniSearch.
import MiniSearch, { type Options, type SearchOptions } from 'minisearch';
import { stemmer } from 'stemmer';
import { englishProcessTerm, STANDARD_BM25 } from '../../src/index.ts';
import type { Doc } from './corpus.ts';

export interface Hit {
  doc: Doc;
  /** MiniSearch's BM25 score. */
  bm25: number;
}

/**
 * 'standard': BM25 as BEIR's baseline runs it (Porter stemming, English stop words, k1 0.9, b 0.4), the set-up that
 * docs/first-stage.md recommends. 'classic': the demo's first set-up (no stemming, title boost 1.5, MiniSearch's
 * BM25+ defaults), kept to show what the first stage costs the reranker.
 */
export type FirstStageMode = 'standard' | 'classic';
export const FIRST_STAGE_MODES: readonly FirstStageMode[] = ['standard', 'classic'];

type Keyed = Doc & { key: string };

const SETUPS: Record<FirstStageMode, { index: Partial<Options<Keyed>>; search: SearchOptions }> = {
  standard: { index: { processTerm: englishProcessTerm(stemmer) }, search: { combineWith: 'OR', bm25: STANDARD_BM25 } },
  classic: { index: {}, search: { combineWith: 'OR', boost: { title: 1.5 } } },
};

export class FirstStage {
  private readonly index: MiniSearch<Keyed>;
  private readonly byId = new Map<string, Doc>();
  private readonly searchOptions: SearchOptions;

  constructor(docs: Doc[], readonly mode: FirstStageMode = 'standard') {
    const setup = SETUPS[mode];
    this.searchOptions = setup.search;
    // Ids must be unique for MiniSearch; user files may repeat them, so index by position.
    this.index = new MiniSearch<Keyed>({
      fields: ['title', 'text'],
      idField: 'key',
      extractField: (d, f) => (d as unknown as Record<string, string>)[f] ?? '',
      ...setup.index,
    });
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
      .search(query, this.searchOptions)
      .slice(0, limit)
      .map((r) => ({ doc: this.byId.get(String(r.id))!, bm25: r.score }));
  }
}
