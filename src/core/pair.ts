// Pair encoding as the cross-encoders were trained: [CLS] query [SEP] document [SEP] (BERT) or
// <s> query </s></s> document </s> (RoBERTa/XLM-R), read from the tokenizer's post-processor, with only the
// document cut to fit and every special token kept.

export type TemplatePiece = { special: number[]; typeId: number } | { seq: 'A' | 'B'; typeId: number };

export interface PairTemplate {
  pieces: TemplatePiece[];
  /** Number of special tokens the template adds to a pair. */
  specialCount: number;
}

interface SpecialIds {
  cls: number;
  sep: number;
}

function makeTemplate(pieces: TemplatePiece[]): PairTemplate {
  const seqs = pieces.filter((p) => 'seq' in p).map((p) => (p as { seq: string }).seq);
  if (seqs.join() !== 'A,B') throw new Error(`pair template must hold sequence A then B, found [${seqs.join()}]`);
  const specialCount = pieces.reduce((n, p) => n + ('special' in p ? p.special.length : 0), 0);
  return { pieces, specialCount };
}

/**
 * Reads the pair template from tokenizer.json's post_processor (TemplateProcessing, BertProcessing,
 * RobertaProcessing, or a Sequence holding one). Without one, falls back to BERT's layout with the given ids.
 */
export function pairTemplateFromTokenizerJson(tokenizerJson: unknown, fallback: SpecialIds): PairTemplate {
  const pp = findProcessor((tokenizerJson as { post_processor?: unknown } | null)?.post_processor);
  if (pp?.type === 'TemplateProcessing') {
    const specials = (pp.special_tokens ?? {}) as Record<string, { ids: number[] }>;
    const pieces = (pp.pair as Record<string, { id: string; type_id: number }>[]).map((p): TemplatePiece => {
      if (p.SpecialToken) {
        const ids = specials[p.SpecialToken.id]?.ids;
        if (!ids) throw new Error(`post_processor names special token ${p.SpecialToken.id} without ids`);
        return { special: ids, typeId: p.SpecialToken.type_id };
      }
      if (p.Sequence) return { seq: p.Sequence.id as 'A' | 'B', typeId: p.Sequence.type_id };
      throw new Error(`unknown template piece ${JSON.stringify(p)}`);
    });
    return makeTemplate(pieces);
  }
  if (pp?.type === 'BertProcessing' || pp?.type === 'RobertaProcessing') {
    const cls = (pp.cls as [string, number])[1];
    const sep = (pp.sep as [string, number])[1];
    return pp.type === 'BertProcessing' ? bertTemplate({ cls, sep }) : robertaTemplate({ cls, sep });
  }
  return bertTemplate(fallback);
}

type Processor = Record<string, unknown> & { type?: string };
function findProcessor(pp: unknown): Processor | null {
  if (!pp || typeof pp !== 'object') return null;
  const p = pp as Processor;
  if (p.type === 'Sequence' && Array.isArray(p.processors)) {
    for (const inner of p.processors) {
      const found = findProcessor(inner);
      if (found && found.type !== 'ByteLevel') return found;
    }
    return null;
  }
  return p;
}

export function bertTemplate({ cls, sep }: SpecialIds): PairTemplate {
  return makeTemplate([
    { special: [cls], typeId: 0 }, { seq: 'A', typeId: 0 }, { special: [sep], typeId: 0 },
    { seq: 'B', typeId: 1 }, { special: [sep], typeId: 1 },
  ]);
}

export function robertaTemplate({ cls, sep }: SpecialIds): PairTemplate {
  return makeTemplate([
    { special: [cls], typeId: 0 }, { seq: 'A', typeId: 0 }, { special: [sep, sep], typeId: 0 },
    { seq: 'B', typeId: 0 }, { special: [sep], typeId: 0 },
  ]);
}

export interface EncodedPair {
  ids: number[];
  typeIds: number[];
  /** The document was cut to fit. */
  truncated: boolean;
}

/**
 * Lays out one pair within maxLength tokens. The document is cut first; the query gives up tokens only when it
 * is longer than half of the room left by the special tokens (a very long query must not starve the document).
 */
export function encodePair(t: PairTemplate, query: readonly number[], doc: readonly number[], maxLength: number): EncodedPair {
  const room = maxLength - t.specialCount;
  if (room < 2) throw new RangeError(`maxLength ${maxLength} leaves no room for a pair (${t.specialCount} special tokens)`);
  const docKeep = Math.min(doc.length, room - Math.min(query.length, Math.floor(room / 2)));
  const queryKeep = Math.min(query.length, room - docKeep);
  const ids: number[] = [];
  const typeIds: number[] = [];
  for (const p of t.pieces) {
    const part = 'special' in p ? p.special : p.seq === 'A' ? query.slice(0, queryKeep) : doc.slice(0, docKeep);
    for (const id of part) {
      ids.push(id);
      typeIds.push(p.typeId);
    }
  }
  return { ids, typeIds, truncated: docKeep < doc.length };
}

/**
 * Tokenizes at most about `limit` tokens of a long text: the text is cut at a whitespace boundary well past what
 * `limit` tokens can span, so the ids equal the first ids of the whole text's tokenization while time and memory
 * stay bounded for a megabyte-long document. `tokenize` must split on whitespace first (WordPiece, Metaspace do).
 */
export function tokenizeBounded(text: string, limit: number, tokenize: (s: string) => number[]): { ids: number[]; clipped: boolean } {
  // A cut inside a word changes that word's pieces only; WordPiece gives a word at most 100 pieces (longer words
  // become [UNK]), so 100 extra tokens past the limit keep the first `limit` ids exact.
  const need = limit + 100;
  let chars = need * 8 + 256;
  for (;;) {
    if (text.length <= chars) return { ids: tokenize(text), clipped: false };
    let cut = chars;
    const space = text.lastIndexOf(' ', chars);
    if (space > chars - 256 && space > 0) cut = space;
    const ids = tokenize(text.slice(0, cut));
    if (ids.length > need) return { ids, clipped: true };
    chars *= 4;
  }
}

/** Tokens a document may use in one pair beside this query (the query keeps at most half the room, as in encodePair). */
export function documentRoom(t: PairTemplate, queryLength: number, maxLength: number): number {
  const room = maxLength - t.specialCount;
  return room - Math.min(queryLength, Math.floor(room / 2));
}

/**
 * Overlapping windows over a long document's tokens: each `size` long, starting `size - overlap` apart, at most
 * `max` of them; the last one ends at the document's end when `max` allows. A short document is one window.
 */
export function splitPassages(ids: readonly number[], size: number, overlap: number, max: number): { passages: number[][]; complete: boolean } {
  if (size < 1 || overlap < 0 || overlap >= size || max < 1) throw new RangeError(`bad passage geometry: size ${size}, overlap ${overlap}, max ${max}`);
  if (ids.length <= size) return { passages: [ids.slice()], complete: true };
  const stride = size - overlap;
  const passages: number[][] = [];
  for (let start = 0; passages.length < max; start += stride) {
    const end = Math.min(start + size, ids.length);
    // The final window is aligned to the end so that it is full length and the tail is never scored in a sliver.
    passages.push(ids.slice(Math.max(0, end - size), end));
    if (end === ids.length) return { passages, complete: true };
  }
  return { passages, complete: false };
}
