// Prompts for decoder (causal LM) rerankers, and the pure parts of reading their answers. No tokenizer here: the
// worker tokenizes each piece; this module says which pieces there are and how they join.
//
// Pointwise (Qwen3-Reranker): one prompt per document, relevance = P("yes") against P("no") at the last position.
// The part before the document (system line, instruction, query) is the same for every document, so it is a
// separate piece that can run once per call and hand its key/value cache to every document.
// Listwise (FIRST): one prompt with numbered candidates; the logits of the identifiers at the first generated
// position give the whole order in one forward pass. Lists longer than a window go through windows, bottom up.

/** Qwen3-Reranker's default instruction (its model card). */
export const DEFAULT_INSTRUCTION = 'Given a web search query, retrieve relevant passages that answer the query';

export interface PointwisePrompt {
  /** System line and the start of the user turn (tokenized on its own, as the model card does). */
  system: string;
  /** Instruction and query, up to and including "<Document>:": together with `system`, the shared prefix. */
  query: string;
  /** The document as it follows the prefix (its leading space belongs to it, so the prefix cut is a token boundary). */
  document: string;
  /** Closes the user turn and opens the assistant's answer; the next token is "yes" or "no". */
  suffix: string;
}

/**
 * Qwen3-Reranker's prompt (model card): system, `<Instruct>: … \n<Query>: … \n<Document>: …`, then the assistant
 * prefix with an empty think block. `system + query + document + suffix` is the card's full prompt, character for
 * character; the cut before the document falls between ":" and " " + text, which byte-level BPE pre-tokenization
 * never merges (tests/unit/decoder-prompt.test.ts checks the token equality on the generated tokenizer).
 */
export function pointwisePrompt(query: string, doc: string, instruction = DEFAULT_INSTRUCTION): PointwisePrompt {
  return {
    system:
      '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. ' +
      'Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n',
    query: `<Instruct>: ${instruction}\n<Query>: ${query}\n<Document>:`,
    document: ` ${doc}`,
    suffix: '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
  };
}

/** P(yes) from the two logits: softmax over ["no", "yes"], as the model card computes it. */
export function yesProbability(yes: number, no: number): number {
  const d = no - yes;
  return d >= 0 ? Math.exp(-d) / (1 + Math.exp(-d)) : 1 / (1 + Math.exp(d));
}

/** Identifiers for listwise windows: single letters (single tokens in byte-level BPE vocabularies), as FIRST uses. */
export const LISTWISE_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

export interface ListwisePrompt {
  /** Everything before the first passage. */
  head: string;
  /** One piece per passage, `[A] text\n`; passages are cut by the worker to fit. */
  passages: string[];
  /** After the passages, up to the position whose logits are read (the assistant's answer opens with "["). */
  tail: string;
}

/**
 * FIRST's listwise prompt (lettered passages, the order read at the first generated position) written with
 * Qwen3-Reranker's `<Query>:` / `<Instruct>:` tags, in the chat format of Qwen-style decoders. Passage text is put on
 * one line (whitespace collapsed) so that each passage is exactly one `[X] …` line.
 */
export function listwisePrompt(query: string, passages: readonly string[]): ListwisePrompt {
  const n = passages.length;
  if (n > LISTWISE_IDS.length) throw new RangeError(`a listwise window holds at most ${LISTWISE_IDS.length} passages, got ${n}`);
  return {
    head:
      '<|im_start|>system\nYou are RankLLM, an intelligent assistant that can rank passages based on their relevancy to the query.<|im_end|>\n' +
      `<|im_start|>user\nI will provide you with ${n} passages, each indicated by an alphabetical identifier []. ` +
      `Rank them by their relevance to the query.\n<Query>: ${query}\n\n`,
    passages: passages.map((p, i) => `[${LISTWISE_IDS[i]}] ${p.replace(/\s+/g, ' ').trim()}\n`),
    tail:
      `<Instruct>: Rank the ${n} passages above by their relevance to the query. All the passages should be included and ` +
      'listed using identifiers, in descending order of relevance. The output format should be [] > [], e.g., [B] > [A]. ' +
      'Only respond with the ranking results, do not say any word or explain.<|im_end|>\n' +
      '<|im_start|>assistant\n<think>\n\n</think>\n\n[',
  };
}

/** Windows [start, end) over a list of n, from the bottom up: the last window first, moving up by `stride`. */
export function slidingWindows(n: number, window: number, stride: number): [number, number][] {
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`window must be an integer >= 2, got ${window}`);
  if (!Number.isInteger(stride) || stride < 1 || stride >= window) throw new RangeError(`stride must be an integer in [1, window), got ${stride}`);
  if (n <= window) return n > 0 ? [[0, n]] : [];
  const out: [number, number][] = [];
  for (let end = n; ; end -= stride) {
    const start = Math.max(0, end - window);
    out.push([start, end]);
    if (start === 0) return out;
  }
}

/**
 * Reorders `order[start, end)` by the identifier logits of that window (logits[i] belongs to order[start + i]),
 * highest first; ties keep the current order. Returns the new order.
 */
export function applyWindow(order: readonly number[], start: number, end: number, logits: ArrayLike<number>): number[] {
  const slice = order.slice(start, end);
  if (logits.length !== slice.length) throw new RangeError(`expected ${slice.length} identifier logits, got ${logits.length}`);
  const ranked = slice.map((doc, i) => ({ doc, i })).sort((a, b) => logits[b.i]! - logits[a.i]! || a.i - b.i);
  return [...order.slice(0, start), ...ranked.map((r) => r.doc), ...order.slice(end)];
}
