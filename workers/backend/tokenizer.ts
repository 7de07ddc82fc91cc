// The model's tokenizer through @huggingface/tokenizers (the library transformers.js's tokenizer classes wrap: the
// same normalizer, pre-tokenizer, model and decoder code, without transformers.js's model and ORT code in the worker's
// bundle), and pair encoding on top of it (the pair layout comes from the tokenizer's own post-processor; only the
// document is cut). tests/unit/tokenizer.test.ts holds it to transformers.js's pair encoding, kind by kind.
import { Tokenizer } from '@huggingface/tokenizers';
import { encodePair, pairTemplateFromTokenizerJson, tokenizeBounded, type EncodedPair, type PairTemplate } from '../../src/core/pair.ts';
import { RerankError } from '../../src/errors.ts';

function build(tokenizerJson: unknown, tokenizerConfig: Record<string, unknown>): Tokenizer {
  try {
    return new Tokenizer(tokenizerJson as object, tokenizerConfig);
  } catch (e) {
    throw new RerankError('MODEL_INVALID', `tokenizer.json: the tokenizer could not be built (${(e as Error).message})`, { file: 'tokenizer.json' });
  }
}

/**
 * A special token's id as transformers.js resolves it: tokenizer_config.json names the token (a string, or an
 * AddedToken object), the first key present wins, and the vocabulary gives the id.
 */
function specialId(tokenizer: Tokenizer, config: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const item = config[key];
    if (!item) continue;
    const token = typeof item === 'object' ? (item as { content?: unknown }).content : item;
    return typeof token === 'string' ? tokenizer.token_to_id(token) : undefined;
  }
  return undefined;
}

/** Plain text to ids and back, for decoder prompts (special tokens written in the text, like <|im_start|>, are parsed). */
export interface TextTokenizer {
  encode(text: string): number[];
  decode(ids: number[]): string;
  padId: number | null;
}

export function createTextTokenizer(tokenizerJson: unknown, tokenizerConfig: Record<string, unknown>): TextTokenizer {
  const tokenizer = build(tokenizerJson, tokenizerConfig);
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: false }),
    padId: specialId(tokenizer, tokenizerConfig, 'pad_token', 'eos_token') ?? null,
  };
}

export interface PairEncoder {
  template: PairTemplate;
  padId: number;
  /** Query ids without special tokens: computed once per call. */
  encodeQuery(query: string, maxLength: number): number[];
  encodeDocument(queryIds: number[], doc: string, maxLength: number): EncodedPair;
  /** Document ids without special tokens, at least the first `limit` of them exact (see tokenizeBounded). */
  tokenizeDocument(doc: string, limit: number): { ids: number[]; clipped: boolean };
}

export function createPairEncoder(tokenizerJson: unknown, tokenizerConfig: Record<string, unknown>): PairEncoder {
  const tokenizer = build(tokenizerJson, tokenizerConfig);
  const id = (...keys: string[]) => specialId(tokenizer, tokenizerConfig, ...keys);
  const cls = id('cls_token') ?? id('bos_token');
  const sep = id('sep_token') ?? id('eos_token');
  let template: PairTemplate;
  try {
    template = pairTemplateFromTokenizerJson(tokenizerJson, { cls: cls ?? 0, sep: sep ?? 0 });
  } catch (e) {
    throw new RerankError('MODEL_UNSUPPORTED', `tokenizer.json: ${(e as Error).message}`, { file: 'tokenizer.json' });
  }
  const ids = (text: string): number[] => tokenizer.encode(text, { add_special_tokens: false }).ids;
  return {
    template,
    padId: id('pad_token', 'eos_token') ?? 0,
    encodeQuery: (query, maxLength) => tokenizeBounded(query, maxLength, ids).ids,
    tokenizeDocument: (doc, limit) => tokenizeBounded(doc, limit, ids),
    encodeDocument: (queryIds, doc, maxLength) => {
      const { ids: docIds, clipped } = tokenizeBounded(doc, maxLength, ids);
      const pair = encodePair(template, queryIds, docIds, maxLength);
      return clipped ? { ...pair, truncated: true } : pair;
    },
  };
}
