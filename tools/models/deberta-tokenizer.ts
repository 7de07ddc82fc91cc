// A small Unigram (SentencePiece) tokenizer in the tokenizer.json layout of DeBERTa-v3's ports (mxbai-rerank-*-v1):
// Metaspace pre-tokenizer, no lower-casing, [CLS] q [SEP] d [SEP] pairs with token types 0/1, DebertaV2Tokenizer class.
import { WORDS } from './tiny-tokenizer.ts';

// DeBERTa-v3's special ids: [PAD] 0, [CLS] 1, [SEP] 2, [UNK] 3; [MASK] last.
const SPECIAL = ['[PAD]', '[CLS]', '[SEP]', '[UNK]'];

export function debertaVocab(): [string, number][] {
  const words = [...new Set(WORDS.split(/\s+/).filter(Boolean))];
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?\'"()-'.split('');
  return [
    ...SPECIAL.map((t): [string, number] => [t, 0]),
    ['▁', -4],
    // Capitalised forms too: DeBERTa-v3 keeps case, so "The" and "the" are different pieces.
    ...words.flatMap((w, i): [string, number][] => [[`▁${w}`, -5 - i / 1000], [`▁${w[0]!.toUpperCase()}${w.slice(1)}`, -6 - i / 1000]]),
    ...chars.map((c): [string, number] => [c, -9]),
    ...chars.map((c): [string, number] => [`▁${c}`, -9.5]),
    ['[MASK]', 0],
  ];
}

export function debertaTokenizerFiles(): Record<string, unknown> {
  const vocab = debertaVocab();
  const id = (t: string) => vocab.findIndex(([p]) => p === t);
  const specials = [...SPECIAL, '[MASK]'].map((content) => ({
    id: id(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
  }));
  const tok = (t: string, type: number) => ({ SpecialToken: { id: t, type_id: type } });
  const seq = (s: 'A' | 'B', type: number) => ({ Sequence: { id: s, type_id: type } });
  const metaspace = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true };
  return {
    'tokenizer.json': {
      version: '1.0', truncation: null, padding: null, added_tokens: specials,
      normalizer: { type: 'Sequence', normalizers: [{ type: 'Strip', strip_left: true, strip_right: true }, { type: 'Replace', pattern: { String: '``' }, content: '"' }] },
      pre_tokenizer: metaspace,
      post_processor: {
        type: 'TemplateProcessing',
        single: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0)],
        pair: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0), seq('B', 1), tok('[SEP]', 1)],
        special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
      },
      decoder: metaspace,
      model: { type: 'Unigram', unk_id: id('[UNK]'), vocab, byte_fallback: false },
    },
    'tokenizer_config.json': {
      tokenizer_class: 'DebertaV2Tokenizer', model_max_length: 512, do_lower_case: false, split_by_punct: false,
      bos_token: '[CLS]', eos_token: '[SEP]', sep_token: '[SEP]', cls_token: '[CLS]', unk_token: '[UNK]', pad_token: '[PAD]',
      mask_token: '[MASK]', vocab_type: 'spm',
    },
    'special_tokens_map.json': { bos_token: '[CLS]', eos_token: '[SEP]', sep_token: '[SEP]', cls_token: '[CLS]', unk_token: '[UNK]', pad_token: '[PAD]', mask_token: '[MASK]' },
  };
}
