// A small byte-level BPE tokenizer in the tokenizer.json layout of ModernBERT's ports (answerdotai/ModernBERT-base,
// gte-reranker-modernbert-base): GPT-2-style ByteLevel pre-tokenizer (its own regex), BPE, [CLS] q [SEP] d [SEP]
// through TemplateProcessing, special tokens after the BPE vocabulary, PreTrainedTokenizerFast as the class.
// The BPE vocabulary and merges are the generated Qwen-style ones (bpe-tokenizer.ts): the same byte-level machinery.
import { bpeVocab } from './bpe-tokenizer.ts';

// ModernBERT's specials, in its order at the end of the vocabulary.
const SPECIAL = ['[UNK]', '[CLS]', '[SEP]', '[PAD]', '[MASK]'];

export function modernbertVocabSize(): number {
  return bpeVocab().vocab.length + SPECIAL.length;
}

export function modernbertTokenizerFiles(): Record<string, unknown> {
  const v = bpeVocab();
  const base = v.vocab.length;
  const id = (t: string) => base + SPECIAL.indexOf(t);
  const added = SPECIAL.map((content) => ({ id: id(content), content, single_word: false, lstrip: content === '[MASK]', rstrip: false, normalized: false, special: true }));
  const tok = (t: string, type: number) => ({ SpecialToken: { id: t, type_id: type } });
  const seq = (s: 'A' | 'B', type: number) => ({ Sequence: { id: s, type_id: type } });
  return {
    'tokenizer.json': {
      version: '1.0', truncation: null, padding: null, added_tokens: added,
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: {
        type: 'TemplateProcessing',
        single: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0)],
        pair: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0), seq('B', 1), tok('[SEP]', 1)],
        special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
      },
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: {
        type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false,
        byte_fallback: false, ignore_merges: false, vocab: Object.fromEntries(v.vocab.map((t, i) => [t, i])), merges: v.merges,
      },
    },
    'tokenizer_config.json': {
      tokenizer_class: 'PreTrainedTokenizerFast', model_max_length: 8192, clean_up_tokenization_spaces: true,
      cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', mask_token: '[MASK]', unk_token: '[UNK]',
      model_input_names: ['input_ids', 'attention_mask'],
    },
    'special_tokens_map.json': { cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', mask_token: '[MASK]', unk_token: '[UNK]' },
  };
}
