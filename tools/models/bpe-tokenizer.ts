// A byte-level BPE tokenizer in the exact tokenizer.json layout of the Qwen2/Qwen3 hub ports (NFC, Qwen2's split
// regex, ByteLevel without regex, BPE, ByteLevel decoder, the chat special tokens), small enough for fast tests.
// Merges come from a deterministic BPE training over the tiny corpus (WORDS) and the Qwen3-Reranker prompt, then
// forced merges make every corpus word (bare and with its leading space) and the answer words single tokens.
// Digits are always single tokens: Qwen2's regex splits numbers into single digits (\p{N}), as in the real vocabulary.
import { WORDS } from './tiny-tokenizer.ts';

/** Qwen2's pre-tokenizer regex (tokenizer.json of Qwen/Qwen3-0.6B), verbatim. */
export const QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
// The same in JavaScript syntax (Node 20 has no inline (?i:) groups), for the generator's own encoding.
const SPLIT_JS = /'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/** Qwen3's chat special tokens, in their order (ids follow the base vocabulary here). think tags are not special. */
export const QWEN_ADDED = [
  { content: '<|endoftext|>', special: true },
  { content: '<|im_start|>', special: true },
  { content: '<|im_end|>', special: true },
  { content: '<think>', special: false },
  { content: '</think>', special: false },
] as const;

/** Qwen3-Reranker's prompt, as on its model card (system line, user content, assistant prefix with an empty think). */
export const QWEN3_RERANKER_PROMPT = {
  system: 'Judge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".',
  instruction: 'Given a web search query, retrieve relevant passages that answer the query',
  prefix: '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n',
  suffix: '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
  user: (instruction: string, query: string, doc: string) => `<Instruct>: ${instruction}\n<Query>: ${query}\n<Document>: ${doc}`,
};

// A short listwise prompt's words, so that they tokenize compactly too (the runtime may phrase it differently).
const LISTWISE_WORDS = 'system user assistant Rank the passages by relevance to the query. Answer with the identifier of the most relevant passage. Search Passage Passages';

/** GPT-2's bytes_to_unicode: each byte to a printable character, in the order of the real vocabularies' first 256 ids. */
export function byteChars(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n++); }
  const out: string[] = new Array(256);
  bs.forEach((b, i) => { out[b] = String.fromCharCode(cs[i]!); });
  return bs.map((b) => out[b]!); // vocabulary order (id i is byte bs[i])
}

const BYTE_OF = (() => {
  const chars = byteChars();
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) bs.push(b);
  const map = new Map<number, string>();
  bs.forEach((b, i) => map.set(b, chars[i]!));
  return map;
})();

/** Pre-tokenizes as the tokenizer.json does: NFC, Qwen2 split, then each piece as byte-level characters. */
export function preTokenize(text: string): string[] {
  const pieces = text.normalize('NFC').match(SPLIT_JS) ?? [];
  return pieces.map((p) => Array.from(new TextEncoder().encode(p), (b) => BYTE_OF.get(b)!).join(''));
}

/** Applies merges in rank order, leftmost first (the BPE model's algorithm). */
export function applyMerges(word: string, ranks: Map<string, number>): string[] {
  let parts = Array.from(word);
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < parts.length; i++) {
      const r = ranks.get(`${parts[i]} ${parts[i + 1]}`);
      if (r !== undefined && r < bestRank) { bestRank = r; best = i; }
    }
    if (best < 0) return parts;
    parts = [...parts.slice(0, best), parts[best]! + parts[best + 1]!, ...parts.slice(best + 2)];
  }
}

export interface BpeVocab { vocab: string[]; merges: string[] }

/** Deterministic BPE training (most frequent pair, ties by string order) plus forced merges. Cached. */
let cached: BpeVocab | null = null;
export function bpeVocab(trainMerges = 300): BpeVocab {
  if (cached) return cached;
  const words = [...new Set(WORDS.split(/\s+/).filter(Boolean))];
  const text = [words.join(' '), QWEN3_RERANKER_PROMPT.system, QWEN3_RERANKER_PROMPT.user(QWEN3_RERANKER_PROMPT.instruction, 'q', 'd'), LISTWISE_WORDS].join('\n');
  const counts = new Map<string, number>();
  for (const p of [...preTokenize(text), ...words]) counts.set(p, (counts.get(p) ?? 0) + 1);
  const letterWords = [...counts.keys()].filter((w) => /^Ġ?[A-Za-z]+$/.test(w));
  const vocab = [...byteChars()];
  const known = new Set(vocab);
  const merges: string[] = [];
  const ranks = new Map<string, number>();
  const addMerge = (a: string, b: string) => {
    ranks.set(`${a} ${b}`, merges.length);
    merges.push(`${a} ${b}`);
    if (!known.has(a + b)) { known.add(a + b); vocab.push(a + b); }
  };
  // Training: only on letter words, so punctuation such as '[' never merges (listwise identifiers stay '[', '1', ']').
  let split = new Map(letterWords.map((w) => [w, Array.from(w)]));
  for (let m = 0; m < trainMerges; m++) {
    const pairs = new Map<string, number>();
    for (const [w, parts] of split) {
      for (let i = 0; i + 1 < parts.length; i++) {
        const k = `${parts[i]} ${parts[i + 1]}`;
        pairs.set(k, (pairs.get(k) ?? 0) + counts.get(w)!);
      }
    }
    let best: string | null = null;
    for (const [k, c] of pairs) if (best === null || c > pairs.get(best)! || (c === pairs.get(best)! && k < best)) best = k;
    if (!best || pairs.get(best)! < 2) break;
    const [a, b] = best.split(' ') as [string, string];
    addMerge(a, b);
    split = new Map([...split.keys()].map((w) => [w, applyMerges(w, ranks)]));
  }
  // Forced: whole words, the answer words, "\n\n" (one token in Qwen's vocabulary, the prompt's last), punctuation or
  // space + newline (single tokens in Qwen's vocabulary too, they make tokenization context-dependent as there) and
  // the prompt markers the oracle reads become single tokens.
  const forced = [...letterWords.sort(), ...words.map((w) => `Ġ${w}`), 'yes', 'no', 'Ġyes', 'Ġno', 'ĊĊ', '.Ċ', '?Ċ', 'ĠĊ', '<Query', '<Document', '<Instruct'];
  for (const w of forced) {
    for (let parts = applyMerges(w, ranks); parts.length > 1; parts = applyMerges(w, ranks)) {
      if (ranks.has(`${parts[0]} ${parts[1]}`)) throw new Error(`BPE forcing stuck on ${w}`);
      addMerge(parts[0]!, parts[1]!);
    }
  }
  cached = { vocab, merges };
  return cached;
}

/** Token ids of a text (no special-token handling), through the same vocabulary and merges. */
export function bpeEncode(text: string, v: BpeVocab = bpeVocab()): number[] {
  const ranks = new Map(v.merges.map((m, i) => [m, i]));
  const ids = new Map(v.vocab.map((t, i) => [t, i]));
  return preTokenize(text).flatMap((p) => applyMerges(p, ranks).map((t) => ids.get(t)!));
}

/** The chat template: Qwen3's for plain text messages (system/user/assistant, add_generation_prompt, enable_thinking). */
export const QWEN3_CHAT_TEMPLATE =
  "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}{%- endfor %}" +
  "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- if enable_thinking is defined and enable_thinking is false %}" +
  "{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}{%- endif %}";

/** tokenizer.json, tokenizer_config.json, vocab.json, merges.txt and special_tokens_map.json, as the Qwen3 ports ship. */
export function bpeTokenizerFiles(v: BpeVocab = bpeVocab()): Record<string, unknown> {
  const base = v.vocab.length;
  const added = QWEN_ADDED.map((t, i) => ({ id: base + i, content: t.content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: t.special }));
  const byteLevel = { add_prefix_space: false, trim_offsets: false, use_regex: false };
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: 'NFC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [{ type: 'Split', pattern: { Regex: QWEN2_SPLIT }, behavior: 'Isolated', invert: false }, { type: 'ByteLevel', ...byteLevel }],
    },
    post_processor: { type: 'ByteLevel', ...byteLevel },
    decoder: { type: 'ByteLevel', ...byteLevel },
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false,
      byte_fallback: false, ignore_merges: false, vocab: Object.fromEntries(v.vocab.map((t, i) => [t, i])), merges: v.merges,
    },
  };
  const addedDecoder = Object.fromEntries(added.map(({ id, ...t }) => [String(id), t]));
  const tokenizerConfig = {
    add_bos_token: false, add_prefix_space: false, added_tokens_decoder: addedDecoder,
    additional_special_tokens: ['<|im_start|>', '<|im_end|>'], bos_token: null, chat_template: QWEN3_CHAT_TEMPLATE,
    clean_up_tokenization_spaces: false, eos_token: '<|im_end|>', errors: 'replace', model_max_length: 131072,
    pad_token: '<|endoftext|>', split_special_tokens: false, tokenizer_class: 'Qwen2Tokenizer', unk_token: null,
  };
  return {
    'tokenizer.json': tokenizerJson,
    'tokenizer_config.json': tokenizerConfig,
    'special_tokens_map.json': { additional_special_tokens: ['<|im_start|>', '<|im_end|>'], eos_token: '<|im_end|>', pad_token: '<|endoftext|>' },
    'vocab.json': Object.fromEntries(v.vocab.map((t, i) => [t, i])),
    'merges.txt': `#version: 0.2\n${v.merges.join('\n')}\n`,
  };
}

/** Size of the whole vocabulary (base + added tokens): the models' vocab_size. */
export function bpeVocabSize(): number {
  return bpeVocab().vocab.length + QWEN_ADDED.length;
}
