import { describe, expect, it } from 'vitest';
import { docText, parseCorpus, parseQrels, parseQueries } from '../../tools/search-kit/corpus.ts';

describe('demo corpus parsing', () => {
  it('JSONL with BEIR fields', () => {
    expect(parseCorpus('c.jsonl', '{"_id":"7","title":"T","text":"body"}\n\n{"id":8,"body":"b2"}\n')).toEqual([
      { id: '7', title: 'T', text: 'body' }, { id: '8', title: '', text: 'b2' },
    ]);
  });

  it('keeps a hostile document as plain text (rendering must not interpret it)', () => {
    const [d] = parseCorpus('x.jsonl', JSON.stringify({ text: '<script>alert(1)</script>' }));
    expect(d!.text).toBe('<script>alert(1)</script>');
  });

  it('JSON arrays of strings or objects', () => {
    expect(parseCorpus('a.json', '["one", {"content": "two"}]').map((d) => d.text)).toEqual(['one', 'two']);
  });

  it('CSV with quotes, commas and newlines in fields', () => {
    const csv = 'id,title,text\n1,"A, B","line one\nline two"\n2,C,"say ""hi"""\n';
    expect(parseCorpus('c.csv', csv)).toEqual([
      { id: '1', title: 'A, B', text: 'line one\nline two' }, { id: '2', title: 'C', text: 'say "hi"' },
    ]);
  });

  it('plain text: paragraphs, or lines when there are no blank lines', () => {
    expect(parseCorpus('p.txt', 'a\nb\n\nc').map((d) => d.text)).toEqual(['a\nb', 'c']);
    expect(parseCorpus('p.txt', 'a\nb\nc').map((d) => d.text)).toEqual(['a', 'b', 'c']);
  });

  it('names the bad line or record', () => {
    expect(() => parseCorpus('c.jsonl', '{"text":"ok"}\nnot json')).toThrow(/line 2/);
    expect(() => parseCorpus('c.jsonl', '{"x":1}')).toThrow(/record 1/);
  });

  it('BEIR queries and qrels', () => {
    expect(parseQueries('{"_id":"1","text":"q one"}\n')).toEqual([{ id: '1', text: 'q one' }]);
    const q = parseQrels('query-id\tcorpus-id\tscore\n1\t7\t1\n1\t8\t2\n');
    expect([...q.get('1')!]).toEqual([['7', 1], ['8', 2]]);
  });

  it('joins title and text for the reranker', () => {
    expect(docText({ id: '1', title: 'T', text: 'b' })).toBe('T b');
    expect(docText({ id: '1', title: '', text: 'b' })).toBe('b');
  });
});
