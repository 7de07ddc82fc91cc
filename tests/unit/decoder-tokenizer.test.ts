// The generated Qwen2-format byte-level BPE tokenizer (tools/models/bpe-tokenizer.ts) through transformers.js:
// what the decoder runtime needs from it (chat template, special tokens, single-token answers and identifiers).
import fs from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { bpeEncode, QWEN3_RERANKER_PROMPT as P } from '../../tools/models/bpe-tokenizer.ts';
import { qwenSpecialIds } from '../../tools/models/decoders.ts';
import fc from 'fast-check';
import { encode, rerankerPrompt, tokenizer } from './decoder-support.ts';

const MODELS = path.resolve(import.meta.dirname, '../../.models');
const GENERATED = path.join(MODELS, 'rerank-web-test/tiny-qwen3/tokenizer.json');

describe('Qwen2-format BPE tokenizer in transformers.js', () => {
  it('renders the Qwen3-Reranker prompt through apply_chat_template (system, user, assistant prefix, empty think)', () => {
    // Guards the chat_template: the runtime may build the prompt from it instead of hard-coding Qwen3's strings.
    const user = P.user(P.instruction, 'what is a cat', 'a cat is a small animal');
    // enable_thinking is a template variable (extra options reach the template); not in the options' type.
    const options = { tokenize: false as const, add_generation_prompt: true, enable_thinking: false };
    const text = tokenizer().apply_chat_template([{ role: 'system', content: P.system }, { role: 'user', content: user }], options);
    expect(text).toBe(P.prefix + user + P.suffix);
  });

  it('maps the chat special tokens to single ids and does not split them', () => {
    const ids = qwenSpecialIds();
    const enc = encode(P.prefix + P.user(P.instruction, 'q', 'd') + P.suffix);
    expect(enc[0]).toBe(ids.imStart);
    expect(enc.filter((i) => i === ids.imEnd)).toHaveLength(2);
    // The prompt ends with </think> then "\n\n": the yes/no logits are read after that last token.
    expect(tokenizer().decode(enc.slice(-2))).toBe('</think>\n\n');
    expect(tokenizer().convert_tokens_to_ids(['<think>', '</think>'])).toEqual([ids.endOfText + 3, ids.endOfText + 4]);
    expect(encode('\n\n')).toHaveLength(1); // as in Qwen's vocabulary (ĊĊ)
  });

  it('"yes", "no" and each digit are single tokens; "[12]" splits into "[", "1", "2", "]" as in Qwen\'s vocabulary', () => {
    // Pointwise reads the logits of one "yes" and one "no" token; listwise reads single-token identifiers.
    for (const w of ['yes', 'no', ' yes', ' no', ...'0123456789'.split('')]) expect(encode(w), w).toHaveLength(1);
    expect(tokenizer().tokenize('[12] x')).toEqual(['[', '1', '2', ']', 'Ġ', 'x']);
    expect(tokenizer().tokenize('[7]')).toEqual(['[', '7', ']']);
  });

  it('round-trips text through encode and decode, unicode included', () => {
    for (const t of ['how do cats and dogs get along?', 'Crème brûlée — 東京 😀 résumé', '  spaces\n\nand lines\t', 'BM25 42 3.14']) {
      expect(tokenizer().decode(encode(t))).toBe(t);
    }
  });

  it('the generator\'s own encoder agrees with transformers.js (the oracle\'s token tables rely on it)', () => {
    for (const t of ['<Query>: cats eat fish\n<Document>: dogs eat fish', '[1] the quick brown fox\n[2] lazy dog', 'Yes, NO; Über 123']) {
      expect(bpeEncode(t)).toEqual(encode(t));
    }
  });

  it('prefix and rest, cut after "<Document>:", tokenize as the whole prompt does, for any query and document (property)', () => {
    // Guards the shared-prefix plan: the cached prefix ids plus each document's ids must be the full prompt's ids.
    const unit = fc.oneof(fc.constantFrom(' ', '\n', '\r', '?', '.', ':', '>', '[', '1', 'é', '\u0301', 'cats', ' the', '<|im_end|>'), fc.string({ unit: 'grapheme' }));
    fc.assert(fc.property(fc.string({ unit }), fc.string({ unit }), (q, d) => {
      const { prefix, rest } = rerankerPrompt(q, d);
      expect([...encode(prefix), ...encode(rest)]).toEqual(encode(prefix + rest));
    }), { numRuns: 300 });
  }, 30_000); // 300 tokenizations of random prompts: 3.4 s alone, past vitest's 5 s default on a loaded machine

  it('a cut right after the query is not safe: "what?" then "\n<Document>" tokenizes differently when split', () => {
    const whole = encode('<Query>: what?\n<Document>: x');
    expect([...encode('<Query>: what?'), ...encode('\n<Document>: x')]).not.toEqual(whole);
  });

  it('keeps the vocabulary small (fast tests) and every corpus word whole', () => {
    const vocab = tokenizer().get_vocab().size;
    expect(vocab).toBeLessThan(2000);
    for (const w of ['search', 'reranker', 'programming', 'document']) expect(encode(` ${w}`), w).toHaveLength(1);
  });
});

describe.runIf(fs.existsSync(GENERATED))('the generated tiny-qwen3 folder through AutoTokenizer (offline)', () => {
  it('loads as Qwen2Tokenizer and encodes like the in-memory files', async () => {
    env.allowRemoteModels = false;
    env.localModelPath = MODELS;
    const t = await AutoTokenizer.from_pretrained('rerank-web-test/tiny-qwen3');
    expect(t.constructor.name).toBe('Qwen2Tokenizer');
    const text = P.prefix + P.user(P.instruction, 'cats', 'dogs') + P.suffix;
    expect(t.encode(text, { add_special_tokens: false })).toEqual(encode(text));
  });
});
if (!fs.existsSync(GENERATED)) console.log(`[skip] AutoTokenizer test: ${GENERATED} is absent (run npm run models)`);
