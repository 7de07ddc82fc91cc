// The model's tokenizer through transformers.js, and pair encoding on top of it (the pair layout comes from the
// tokenizer's own post-processor; only the document is cut).
import {
  BertTokenizer, DebertaV2Tokenizer, DistilBertTokenizer, ElectraTokenizer, MPNetTokenizer, PreTrainedTokenizer,
  Qwen2Tokenizer, RobertaTokenizer, XLMRobertaTokenizer,
} from '@huggingface/transformers';
import { encodePair, pairTemplateFromTokenizerJson, tokenizeBounded, type EncodedPair, type PairTemplate } from '../../src/core/pair.ts';
import { RerankError } from '../../src/errors.ts';

// The classes AutoTokenizer would pick for the reranker families in use; others run as PreTrainedTokenizer,
// which applies tokenizer.json's normalizer, pre-tokenizer and model all the same.
const CLASSES: Record<string, typeof PreTrainedTokenizer> = {
  BertTokenizer, DebertaV2Tokenizer, DistilBertTokenizer, ElectraTokenizer, MPNetTokenizer, Qwen2Tokenizer, RobertaTokenizer, XLMRobertaTokenizer,
};

function build(tokenizerJson: unknown, tokenizerConfig: Record<string, unknown>): PreTrainedTokenizer {
  try {
    const name = String(tokenizerConfig.tokenizer_class ?? '').replace(/Fast$/, '');
    const Cls = CLASSES[name] ?? PreTrainedTokenizer;
    return new Cls(tokenizerJson, tokenizerConfig);
  } catch (e) {
    throw new RerankError('MODEL_INVALID', `tokenizer.json: transformers.js could not build the tokenizer (${(e as Error).message})`, { file: 'tokenizer.json' });
  }
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
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
    decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: false }),
    padId: (tokenizer as unknown as { pad_token_id?: number }).pad_token_id ?? null,
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
  const t = tokenizer as unknown as Record<string, number | undefined>;
  const cls = t.cls_token_id ?? t.bos_token_id;
  const sep = t.sep_token_id ?? t.eos_token_id;
  let template: PairTemplate;
  try {
    template = pairTemplateFromTokenizerJson(tokenizerJson, { cls: cls ?? 0, sep: sep ?? 0 });
  } catch (e) {
    throw new RerankError('MODEL_UNSUPPORTED', `tokenizer.json: ${(e as Error).message}`, { file: 'tokenizer.json' });
  }
  const ids = (text: string): number[] => tokenizer.encode(text, { add_special_tokens: false });
  return {
    template,
    padId: t.pad_token_id ?? 0,
    encodeQuery: (query, maxLength) => tokenizeBounded(query, maxLength, ids).ids,
    tokenizeDocument: (doc, limit) => tokenizeBounded(doc, limit, ids),
    encodeDocument: (queryIds, doc, maxLength) => {
      const { ids: docIds, clipped } = tokenizeBounded(doc, maxLength, ids);
      const pair = encodePair(template, queryIds, docIds, maxLength);
      return clipped ? { ...pair, truncated: true } : pair;
    },
  };
}
