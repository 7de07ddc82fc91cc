// A small Unigram (SentencePiece-style) tokenizer in the tokenizer.json layout of XLM-RoBERTa's ports: Metaspace
// pre-tokenizer, <s> q </s></s> d </s> pairs, no token types. For the generated XLM-R-shaped cross-encoder.
import { WORDS } from './tiny-tokenizer.ts';

const SPECIAL = ['<s>', '<pad>', '</s>', '<unk>'];

export function xlmrVocab(): [string, number][] {
  const words = [...new Set(WORDS.split(/\s+/).filter(Boolean))];
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789.,;:!?\'"()-'.split('');
  return [
    ...SPECIAL.map((t): [string, number] => [t, 0]),
    ['▁', -4],
    ...words.map((w, i): [string, number] => [`▁${w}`, -5 - i / 1000]),
    ...chars.map((c): [string, number] => [c, -9]),
    ...chars.map((c): [string, number] => [`▁${c}`, -9.5]),
    ['<mask>', 0],
  ];
}

export function xlmrTokenizerFiles(): Record<string, unknown> {
  const vocab = xlmrVocab();
  const id = (t: string) => vocab.findIndex(([p]) => p === t);
  const specials = [...SPECIAL, '<mask>'].map((content) => ({
    id: id(content), content, single_word: false, lstrip: content === '<mask>', rstrip: false, normalized: false, special: true,
  }));
  const tok = (t: string, type = 0) => ({ SpecialToken: { id: t, type_id: type } });
  const seq = (s: 'A' | 'B') => ({ Sequence: { id: s, type_id: 0 } });
  const metaspace = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true };
  return {
    'tokenizer.json': {
      version: '1.0', truncation: null, padding: null, added_tokens: specials,
      normalizer: { type: 'Lowercase' },
      pre_tokenizer: metaspace,
      post_processor: {
        type: 'TemplateProcessing',
        single: [tok('<s>'), seq('A'), tok('</s>')],
        pair: [tok('<s>'), seq('A'), tok('</s>'), tok('</s>'), seq('B'), tok('</s>')],
        special_tokens: Object.fromEntries(['<s>', '</s>'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
      },
      decoder: metaspace,
      model: { type: 'Unigram', unk_id: id('<unk>'), vocab, byte_fallback: false },
    },
    'tokenizer_config.json': {
      tokenizer_class: 'XLMRobertaTokenizer', model_max_length: 512, bos_token: '<s>', eos_token: '</s>', sep_token: '</s>',
      cls_token: '<s>', unk_token: '<unk>', pad_token: '<pad>', mask_token: '<mask>', clean_up_tokenization_spaces: true,
    },
    'special_tokens_map.json': { bos_token: '<s>', eos_token: '</s>', sep_token: '</s>', cls_token: '<s>', unk_token: '<unk>', pad_token: '<pad>', mask_token: '<mask>' },
  };
}
