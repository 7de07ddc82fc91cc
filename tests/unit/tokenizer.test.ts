// Pair and prompt encoding through @huggingface/tokenizers, checked against transformers.js's own tokenizer classes
// (what users of transformers.js get, and what our models' ports were checked with).
import { BertTokenizer, DebertaV2Tokenizer, PreTrainedTokenizer, Qwen2Tokenizer, XLMRobertaTokenizer } from '@huggingface/transformers';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPairEncoder, createTextTokenizer } from '../../workers/backend/tokenizer.ts';
import { bpeTokenizerFiles } from '../../tools/models/bpe-tokenizer.ts';
import { tinyTokenizerFiles, tinyVocab } from '../../tools/models/tiny-tokenizer.ts';
import { xlmrTokenizerFiles } from '../../tools/models/xlmr-tokenizer.ts';
import { debertaTokenizerFiles } from '../../tools/models/deberta-tokenizer.ts';
import { modernbertTokenizerFiles } from '../../tools/models/modernbert-tokenizer.ts';

const SHARED = path.resolve(import.meta.dirname, '../../../shared/tokenizers/bert-base-uncased');
const hasShared = fs.existsSync(SHARED);
if (!hasShared) console.log(`[skip] bert-base-uncased tests: ${SHARED} is absent (it ships in ../shared, not in the repository)`);

// deberta: DeBERTa-v3's SentencePiece Unigram with [CLS] q [SEP] d [SEP] and token types 0/1 (mxbai-rerank-*-v1).
// modernbert: byte-level BPE with [CLS] q [SEP] d [SEP] from TemplateProcessing (gte-reranker-modernbert-base).
type Kind = 'tiny' | 'bert' | 'xlmr' | 'deberta' | 'modernbert';
const CLASS: Record<Kind, typeof PreTrainedTokenizer> = { tiny: BertTokenizer, bert: BertTokenizer, xlmr: XLMRobertaTokenizer, deberta: DebertaV2Tokenizer, modernbert: PreTrainedTokenizer };

function files(kind: Kind): [unknown, Record<string, unknown>] {
  if (kind !== 'bert') {
    const f = kind === 'tiny' ? tinyTokenizerFiles(tinyVocab()) : kind === 'xlmr' ? xlmrTokenizerFiles() : kind === 'deberta' ? debertaTokenizerFiles() : modernbertTokenizerFiles();
    return [f['tokenizer.json'], f['tokenizer_config.json'] as Record<string, unknown>];
  }
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(SHARED, f), 'utf8'));
  return [read('tokenizer.json'), read('tokenizer_config.json')];
}

const PAIRS: [string, string][] = [
  ['how do cats and dogs get along', 'Cats and dogs can live together when introduced slowly.'],
  ['What is BM25?', 'BM25 is a bag-of-words ranking function used by search engines.'],
  ['Über café naïve', 'Crème brûlée — 東京 😀 résumé'],
  ['', 'an empty query is still a pair'],
];

for (const kind of ['tiny', 'bert', 'xlmr', 'deberta', 'modernbert'] as const) {
  describe.skipIf(kind === 'bert' && !hasShared)(`${kind} tokenizer`, () => {
    const [json, config] = kind === 'bert' && !hasShared ? [null, {}] : files(kind);
    const enc = () => createPairEncoder(json, config);

    it.each(PAIRS)('matches transformers.js pair encoding: %s | %s', (q, d) => {
      const e = enc();
      const ours = e.encodeDocument(e.encodeQuery(q, 512), d, 512);
      const ref = new CLASS[kind](json, config)(q, { text_pair: d });
      expect(ours.ids).toEqual(Array.from(ref.input_ids.data as BigInt64Array, Number));
      if (ref.token_type_ids) expect(ours.typeIds).toEqual(Array.from(ref.token_type_ids.data as BigInt64Array, Number));
      // XLM-R: one token type. ModernBERT's template states types but the model has no token_type_ids input.
      else if (kind !== 'modernbert') expect(new Set(ours.typeIds)).toEqual(new Set([0]));
    });

    it('pads with the id transformers.js pads with', () => {
      // Padding with another id would change nothing under attention mask 0, except for a model that reads it anyway.
      expect(enc().padId).toBe(new CLASS[kind](json, config).pad_token_id);
    });

    it('an empty document is still a pair, [CLS] q [SEP] [SEP], as in Python transformers', () => {
      // transformers.js treats text_pair '' as no pair and drops the second [SEP]; the models were trained on pairs.
      const e = enc();
      const q = e.encodeQuery('query', 512);
      const p = e.encodeDocument(q, '', 512);
      const single = Array.from(new CLASS[kind](json, config)('query').input_ids.data as BigInt64Array, Number);
      // BERT: [CLS] q [SEP] [SEP]; XLM-R: <s> q </s></s></s>.
      expect(p.ids.slice(0, single.length)).toEqual(single);
      expect(p.ids.length).toBe(single.length + (kind === 'xlmr' ? 2 : 1));
      expect(p.ids.at(-1)).toBe(p.ids.at(-2));
      expect(p.typeIds.at(-1)).toBe(kind === 'xlmr' ? 0 : 1);
    });

    it('truncates the document side only, to maxLength, keeping the final [SEP]', () => {
      const e = enc();
      const q = e.encodeQuery('cats and dogs', 32);
      const long = 'the quick brown fox jumps over the lazy dog '.repeat(50);
      const p = e.encodeDocument(q, long, 32);
      const full = e.encodeDocument(q, long, 100_000);
      expect(p.ids).toHaveLength(32);
      expect(p.truncated).toBe(true);
      expect(p.ids.at(-1)).toBe(full.ids.at(-1)); // [SEP]
      expect(p.ids.slice(0, -1)).toEqual(full.ids.slice(0, 31));
    });

    it('tokenizes a 1,000,000-character document in bounded time', () => {
      const e = enc();
      const t0 = performance.now();
      const p = e.encodeDocument(e.encodeQuery('x', 512), 'lorem ipsum dolor '.repeat(55_556), 512);
      expect(p.ids).toHaveLength(512);
      expect(performance.now() - t0).toBeLessThan(5_000); // whole-text tokenization would take far longer
    });
  });
}

describe('long-window pairs (JinaBERT: WordPiece, 8,192-token window)', () => {
  it('a 2,000-token document within the long default equals transformers.js pair encoding, uncut', () => {
    // Guards the long window end to end in the encoder: nothing in pair encoding caps a pair at 512.
    const f = tinyTokenizerFiles(tinyVocab());
    const config = { ...(f['tokenizer_config.json'] as Record<string, unknown>), model_max_length: 8192 };
    const e = createPairEncoder(f['tokenizer.json'], config);
    const doc = Array.from({ length: 2000 }, (_, i) => ['cats', 'dogs'][i % 2]).join(' ');
    const ours = e.encodeDocument(e.encodeQuery('cats and dogs', 4096), doc, 4096);
    const ref = new BertTokenizer(f['tokenizer.json'], config)('cats and dogs', { text_pair: doc });
    expect(ours.truncated).toBeFalsy();
    expect(ours.ids.length).toBeGreaterThan(2000);
    expect(ours.ids).toEqual(Array.from(ref.input_ids.data as BigInt64Array, Number));
    expect(ours.typeIds).toEqual(Array.from(ref.token_type_ids!.data as BigInt64Array, Number));
  });
});

describe('decoder prompts (Qwen2 byte-level BPE with chat tokens)', () => {
  // Guards the decoder path's tokenizer: the prompt text carries <|im_start|> and friends, which must come out as
  // their single added-token ids, exactly as transformers.js's Qwen2Tokenizer encodes them, and decode back.
  const f = bpeTokenizerFiles();
  const json = f['tokenizer.json'];
  const config = f['tokenizer_config.json'] as Record<string, unknown>;
  const prompt = '<|im_start|>system\nJudge whether the Document meets the requirements.<|im_end|>\n<|im_start|>user\n<Query>: Über café 東京 😀?\n<Document>: cats and dogs<|im_end|>\n<|im_start|>assistant\n';

  it('encodes and decodes a prompt as transformers.js does', () => {
    const ours = createTextTokenizer(json, config);
    const ref = new Qwen2Tokenizer(json, config);
    const ids = ours.encode(prompt);
    expect(ids).toEqual(ref.encode(prompt, { add_special_tokens: false }));
    expect(ours.decode(ids)).toBe(ref.decode(ids, { skip_special_tokens: false }));
    expect(ours.decode(ids)).toBe(prompt);
    expect(ours.padId).toBe(ref.pad_token_id);
  });
});
