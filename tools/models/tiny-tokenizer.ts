// A WordPiece tokenizer of the project's own for the tiny test model: a few hundred tokens, in the exact
// tokenizer.json layout of bert-base-uncased, so that the real tokenizer code path runs without ../shared.
export const WORDS = `the a an of to in and or is are was were be been for on with as by at from that this it its not no
what which who how why when where does do did can could should would will may might more most less than then
search query result results document documents page web browser worker model models rank rerank reranker relevance
relevant score scores fast slow speed quick brown fox jumps over lazy dog cat cats dogs bird birds fish water fire
earth air sun moon star stars space planet planets mars venus ocean sea river lake mountain forest tree trees city
cities car cars train trains plane planes bike road house home room door window food bread cheese apple apples
banana orange tea coffee milk sugar salt cook cooking recipe recipes soup pasta rice music song songs piano guitar
book books read reading write writing code program programs programming language languages python rust java script
data database index indexes vector vectors neural network networks learning machine deep gpu cpu memory time day
days night year years people person child children health disease diseases cell cells gene genes protein proteins
cancer drug drugs study studies patient patients treatment risk effect effects increase decrease high low large
small new old good bad best first last one two three four five many few all some each every other such only also
very much well just about into up down out over under between after before during through because if but so`;

export const TINY_SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

export function tinyVocab(): string[] {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
  const punct = '.,;:!?\'"()[]{}<>-_/\\@#$%&*+=~`^|'.split('');
  const words = [...new Set(WORDS.split(/\s+/).filter(Boolean))];
  return [...TINY_SPECIAL, ...chars, ...punct, ...chars.map((c) => `##${c}`), ...words];
}

export function tinyTokenizerFiles(vocab: string[]): Record<string, unknown> {
  const id = (t: string) => vocab.indexOf(t);
  const special = TINY_SPECIAL.map((content) => ({
    id: id(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
  }));
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special,
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
  const tokenizerConfig = {
    clean_up_tokenization_spaces: true, cls_token: '[CLS]', do_lower_case: true, mask_token: '[MASK]',
    model_max_length: 512, pad_token: '[PAD]', sep_token: '[SEP]', strip_accents: null,
    tokenize_chinese_chars: true, tokenizer_class: 'BertTokenizer', unk_token: '[UNK]',
  };
  const specialTokensMap = { cls_token: '[CLS]', mask_token: '[MASK]', pad_token: '[PAD]', sep_token: '[SEP]', unk_token: '[UNK]' };
  return { 'tokenizer.json': tokenizerJson, 'tokenizer_config.json': tokenizerConfig, 'special_tokens_map.json': specialTokensMap };
}
