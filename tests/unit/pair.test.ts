import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bertTemplate, encodePair, pairTemplateFromTokenizerJson, robertaTemplate, splitPassages, tokenizeBounded } from '../../src/core/pair.ts';

const CLS = 101;
const SEP = 102;
const bert = bertTemplate({ cls: CLS, sep: SEP });

describe('encodePair', () => {
  it('lays out [CLS] q [SEP] d [SEP] with token types 0 then 1', () => {
    const p = encodePair(bert, [1, 2], [3, 4, 5], 512);
    expect(p.ids).toEqual([CLS, 1, 2, SEP, 3, 4, 5, SEP]);
    expect(p.typeIds).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(p.truncated).toBe(false);
  });

  it('cuts only the document and keeps both [SEP]s (the transformers.js truncation lost the last one)', () => {
    const doc = Array.from({ length: 100 }, (_, i) => 1000 + i);
    const p = encodePair(bert, [1, 2, 3], doc, 16);
    expect(p.ids).toHaveLength(16);
    expect(p.ids.slice(0, 5)).toEqual([CLS, 1, 2, 3, SEP]);
    expect(p.ids.at(-1)).toBe(SEP);
    expect(p.ids.slice(5, -1)).toEqual(doc.slice(0, 10));
    expect(p.truncated).toBe(true);
  });

  it('scores an empty document as [CLS] q [SEP] [SEP]', () => {
    expect(encodePair(bert, [7], [], 512).ids).toEqual([CLS, 7, SEP, SEP]);
  });

  it('gives a very long query at most half the window so the document still fits', () => {
    const q = Array.from({ length: 600 }, () => 5);
    const d = Array.from({ length: 600 }, () => 6);
    const p = encodePair(bert, q, d, 64);
    const room = 64 - 3;
    expect(p.ids.filter((x) => x === 5)).toHaveLength(Math.floor(room / 2));
    expect(p.ids.filter((x) => x === 6)).toHaveLength(room - Math.floor(room / 2));
  });

  it('lets a long query use room that a short document leaves', () => {
    const q = Array.from({ length: 50 }, () => 5);
    const p = encodePair(bert, q, [6, 6], 64);
    expect(p.ids.filter((x) => x === 5)).toHaveLength(50);
    expect(p.truncated).toBe(false);
  });

  it('RoBERTa/XLM-R layout: <s> q </s></s> d </s>, all token type 0', () => {
    const p = encodePair(robertaTemplate({ cls: 0, sep: 2 }), [10], [20], 512);
    expect(p.ids).toEqual([0, 10, 2, 2, 20, 2]);
    expect(p.typeIds).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses a window too small for a pair', () => {
    expect(() => encodePair(bert, [1], [2], 4)).toThrow(RangeError);
  });

  it('property: fits the window, keeps the specials, and keeps prefixes of query and document', () => {
    const ids = fc.array(fc.integer({ min: 1000, max: 2000 }), { maxLength: 300 });
    fc.assert(
      fc.property(ids, ids, fc.integer({ min: 5, max: 256 }), (q, d, maxLength) => {
        const p = encodePair(bert, q, d, maxLength);
        expect(p.ids.length).toBeLessThanOrEqual(maxLength);
        expect(p.ids[0]).toBe(CLS);
        expect(p.ids.at(-1)).toBe(SEP);
        expect(p.ids.filter((x) => x === SEP)).toHaveLength(2);
        const sep1 = p.ids.indexOf(SEP);
        const qKept = p.ids.slice(1, sep1);
        const dKept = p.ids.slice(sep1 + 1, -1);
        expect(qKept).toEqual(q.slice(0, qKept.length));
        expect(dKept).toEqual(d.slice(0, dKept.length));
        expect(p.truncated).toBe(dKept.length < d.length);
        if (q.length + d.length + 3 <= maxLength) expect(p.ids.length).toBe(q.length + d.length + 3);
        expect(p.typeIds).toEqual(p.ids.map((_, i) => (i <= sep1 ? 0 : 1)));
      }),
    );
  });
});

describe('pairTemplateFromTokenizerJson', () => {
  it('reads a TemplateProcessing pair (bert-base-uncased layout)', () => {
    const json = {
      post_processor: {
        type: 'TemplateProcessing',
        pair: [
          { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
          { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
        ],
        special_tokens: { '[CLS]': { ids: [101] }, '[SEP]': { ids: [102] } },
      },
    };
    expect(pairTemplateFromTokenizerJson(json, { cls: 0, sep: 0 })).toEqual(bert);
  });

  it('reads RobertaProcessing inside a Sequence (XLM-R exports)', () => {
    const json = { post_processor: { type: 'Sequence', processors: [{ type: 'ByteLevel' }, { type: 'RobertaProcessing', cls: ['<s>', 0], sep: ['</s>', 2] }] } };
    expect(pairTemplateFromTokenizerJson(json, { cls: 9, sep: 9 })).toEqual(robertaTemplate({ cls: 0, sep: 2 }));
  });

  it('falls back to BERT layout with the tokenizer ids when there is no post-processor', () => {
    expect(pairTemplateFromTokenizerJson({ post_processor: null }, { cls: 1, sep: 2 })).toEqual(bertTemplate({ cls: 1, sep: 2 }));
  });
});

describe('tokenizeBounded', () => {
  const words = (s: string) => s.split(/\s+/).filter(Boolean).map((w) => w.length);

  it('tokenizes a short text whole', () => {
    expect(tokenizeBounded('a bb ccc', 10, words)).toEqual({ ids: [1, 2, 3], clipped: false });
  });

  it('reads only a bounded prefix of a megabyte document', () => {
    let seen = 0;
    const text = 'word '.repeat(200_000);
    const r = tokenizeBounded(text, 512, (s) => ((seen = s.length), words(s)));
    expect(r.clipped).toBe(true);
    expect(seen).toBeLessThan(20_000);
    expect(r.ids.length).toBeGreaterThan(512);
  });

  it('property: the first `limit` ids equal those of the whole text', () => {
    const text = fc.array(fc.constantFrom('a', 'bb', 'cccc', ' ', '  ', '\n', 'dddddddd'), { maxLength: 3000 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 100 }), (t, limit) => {
        const r = tokenizeBounded(t, limit, words);
        expect(r.ids.slice(0, limit)).toEqual(words(t).slice(0, limit));
      }),
    );
  });
});

describe('splitPassages', () => {
  it('one window for a short document', () => {
    expect(splitPassages([1, 2, 3], 5, 2, 8)).toEqual({ passages: [[1, 2, 3]], complete: true });
  });

  it('overlapping windows, the last aligned to the end', () => {
    const ids = Array.from({ length: 10 }, (_, i) => i);
    expect(splitPassages(ids, 4, 1, 8).passages).toEqual([[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]);
    expect(splitPassages(ids, 4, 0, 8).passages).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [6, 7, 8, 9]]);
  });

  it('stops at max windows and says the document was not covered', () => {
    expect(splitPassages(Array.from({ length: 100 }, (_, i) => i), 10, 2, 3)).toMatchObject({ complete: false });
  });

  it('property: windows are full-size, cover the document in order when complete, and overlap as asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 63 }), fc.integer({ min: 1, max: 20 }), (n, size, ov, max) => {
        fc.pre(ov < size);
        const ids = Array.from({ length: n }, (_, i) => i);
        const { passages, complete } = splitPassages(ids, size, ov, max);
        expect(passages.length).toBeLessThanOrEqual(max);
        for (const p of passages) {
          expect(p.length).toBe(Math.min(size, n));
          expect(p).toEqual(ids.slice(p[0] ?? 0, (p[0] ?? 0) + p.length)); // contiguous
        }
        const covered = new Set(passages.flat());
        if (complete) expect(covered.size).toBe(n);
        else expect(covered.size).toBeLessThan(n);
        for (let i = 1; i < passages.length; i++) expect(passages[i]![0]!).toBeLessThanOrEqual(passages[i - 1]!.at(-1)! + 1);
      }),
    );
  });
});
