// Decoder reranker recipes: a prompt template, the token or tokens whose logits are read at the last position, and
// the function that turns those logits into a score. Pure data and pure functions: recipes cross postMessage (a user's
// own recipe is an option), so templates are strings with placeholders, not functions.
//
// A prompt is a list of pieces, each tokenized on its own, in the order the model card's code tokenizes them:
//   prefix pieces ({instruction}, {query})  |  the document piece (ends with {document})  |  suffix pieces (fixed)
// The prefix is the same for every document of a call: with sharedPrefix it runs once and its key/value cache serves
// every document. The cut between prefix and document is a piece boundary, so the shared-prefix tokens are the full
// prompt's tokens by construction, except where `documentJoinsPrefix` says the card tokenizes the last prefix piece and
// the document piece as one string (Qwen3-Reranker): there the cut must be a pre-tokenizer boundary, which
// tests/unit/decoder-recipes.test.ts checks as a property.
import { RerankError } from '../errors.ts';
import { DEFAULT_INSTRUCTION, yesProbability } from './decoder-prompt.ts';

/** How the read logits become a score. */
export type RecipeScore =
  /** Softmax over the two read tokens, the first one's probability (P("yes")): calibrated 0..1. */
  | 'probability'
  /** The first token's logit minus the second's: not calibrated. */
  | 'margin'
  /** The first token's logit: not calibrated. */
  | 'logit';

export interface DecoderRecipe {
  /** Shown in `info.recipe`. */
  name: string;
  /** The shared prefix, piece by piece; `{query}` (exactly once) and `{instruction}` are filled in. */
  prefix: string[];
  /** The document's piece: ends with `{document}` (the document is cut from its end), e.g. `' {document}'`. */
  document: string;
  /** Fixed pieces after the document, up to the position whose logits are read. */
  suffix: string[];
  /** What `{instruction}` becomes when an instruction is set (`{text}` is the instruction); '' when none is. */
  instructionFormat: string;
  /** The instruction used when the `instruction` option is not set; null: none. */
  defaultInstruction: string | null;
  /** Token strings read at the last position, each a single token: [positive, negative] or [one]. */
  tokens: string[];
  score: RecipeScore;
  /** The model card tokenizes the last prefix piece and the document piece as one string (see the file comment). */
  documentJoinsPrefix?: boolean;
}

/** A recipe as the `recipe` option takes it: the defaults (name 'custom', score 'probability', instructionFormat '{text}', no default instruction) filled in by validateRecipe. */
export type DecoderRecipeOptions = Pick<DecoderRecipe, 'prefix' | 'document' | 'suffix' | 'tokens'> &
  Partial<Pick<DecoderRecipe, 'name' | 'score' | 'instructionFormat' | 'defaultInstruction' | 'documentJoinsPrefix'>>;

const QWEN3_SUFFIX = '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n';

/**
 * Qwen3-Reranker, from its model card (format_instruction and the prefix/suffix strings):
 *   prefix = "<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct
 *            provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n<|im_start|>user\n"
 *   "<Instruct>: {instruction}\n<Query>: {query}\n<Document>: {doc}"   (tokenized as one string)
 *   suffix = "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
 * score: softmax over the "no" and "yes" logits at the last position, P("yes").
 */
export const QWEN3_RERANKER: DecoderRecipe = {
  name: 'qwen3-reranker',
  prefix: [
    '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. ' +
      'Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n',
    '<Instruct>: {instruction}\n<Query>: {query}\n<Document>:',
  ],
  document: ' {document}',
  suffix: [QWEN3_SUFFIX],
  instructionFormat: '{text}',
  defaultInstruction: DEFAULT_INSTRUCTION,
  tokens: ['yes', 'no'],
  score: 'probability',
  documentJoinsPrefix: true,
};

/**
 * mxbai-rerank-base-v2 / -large-v2 (Qwen2), from the mxbai-rerank package (mxbai_rerank/mxbai_rerank_v2.py,
 * MxbaiRerankV2): chat_template prefix "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful
 * assistant.<|im_end|>\n<|im_start|>user\n", then query_prompt "query: {query}" (after "instruction: {instruction}"
 * + sep when an instruction is given), sep "\n", doc_prompt "document: {document}", sep, task_prompt ("You are a
 * search relevance expert ... (0 for not relevant, 1 for relevant).\nRelevance:"), chat_template suffix
 * "<|im_end|>\n<|im_start|>assistant\n". concat_input_ids joins pieces tokenized one by one, so the shared prefix may
 * end after the query's sep. The package scores logits[-1, "1"] - logits[-1, "0"] and predicts sigmoid(that) > 0.5:
 * here the score is that sigmoid, softmax over ["1", "0"], so that it is 0..1 like every pointwise score.
 */
export const MXBAI_RERANK_V2: DecoderRecipe = {
  name: 'mxbai-rerank-v2',
  prefix: [
    '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n',
    '{instruction}query: {query}',
    '\n',
  ],
  document: 'document: {document}',
  suffix: [
    '\n',
    'You are a search relevance expert who evaluates how well documents match search queries. For each query-document ' +
      'pair, carefully analyze the semantic relationship between them, then provide your binary relevance judgment ' +
      '(0 for not relevant, 1 for relevant).\nRelevance:',
    '<|im_end|>\n<|im_start|>assistant\n',
  ],
  instructionFormat: 'instruction: {text}\n',
  defaultInstruction: null,
  tokens: ['1', '0'],
  score: 'probability',
};

/**
 * A generic instruct model in the ChatML chat format (Qwen2/2.5-Instruct and others): a system message and a user
 * message that ends by asking for "yes" or "no", then the assistant's turn; P("yes") as for Qwen3-Reranker. The text
 * is what apply_chat_template renders for those two messages with add_generation_prompt (the unit test renders it).
 */
export const YES_NO: DecoderRecipe = {
  name: 'yes-no',
  prefix: [
    '<|im_start|>system\nYou judge whether a document is relevant to a search query.<|im_end|>\n<|im_start|>user\n',
    '{instruction}Query: {query}\nDocument:',
  ],
  document: ' {document}',
  suffix: ['\nIs the document relevant to the query? Answer only yes or no.<|im_end|>\n<|im_start|>assistant\n'],
  instructionFormat: 'Task: {text}\n',
  defaultInstruction: null,
  tokens: ['yes', 'no'],
  score: 'probability',
  documentJoinsPrefix: true,
};

export const RECIPES = { 'qwen3-reranker': QWEN3_RERANKER, 'mxbai-rerank-v2': MXBAI_RERANK_V2, 'yes-no': YES_NO } as const;
export type RecipeName = keyof typeof RECIPES;

/**
 * The recipe for a model when the `recipe` option is 'auto': mxbai-rerank-*-v2 by its id, Qwen3-Reranker's otherwise
 * (the prompt every decoder used before recipes existed, and the hub's Qwen3-Reranker ports').
 */
export function pickRecipe(model: string, requested: RecipeName | DecoderRecipe | 'auto'): DecoderRecipe {
  if (requested !== 'auto') return typeof requested === 'string' ? RECIPES[requested] : requested;
  if (/mxbai-rerank-(base|large)-v2/i.test(model)) return MXBAI_RERANK_V2;
  return QWEN3_RERANKER;
}

/** Fills `{name}` placeholders in one pass, so that text that itself holds "{document}" is inserted as it is. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? values[k]! : m));
}

export interface RecipePrompt {
  /** Shared-prefix pieces (tokenized one by one). */
  prefix: string[];
  /** The document's piece. */
  document: string;
  /** Fixed pieces after the document. */
  suffix: string[];
  /** The pieces as the model card tokenizes them (joins the last prefix piece and the document where it says so). */
  card: string[];
  /** The whole prompt as text. */
  text: string;
}

/** A recipe's prompt for one query and document. `instruction` undefined: the recipe's default; null: none. */
export function recipePrompt(recipe: DecoderRecipe, query: string, doc: string, instruction?: string | null): RecipePrompt {
  const text = instruction === undefined ? recipe.defaultInstruction : instruction;
  const values = { query, instruction: text === null ? '' : fill(recipe.instructionFormat, { text }) };
  const prefix = recipe.prefix.map((p) => fill(p, values));
  const document = fill(recipe.document, { document: doc });
  const suffix = [...recipe.suffix];
  const card = recipe.documentJoinsPrefix ? [...prefix.slice(0, -1), prefix.at(-1)! + document, ...suffix] : [...prefix, document, ...suffix];
  return { prefix, document, suffix, card, text: card.join('') };
}

/** The score from the logits of `recipe.tokens`, in that order. */
export function recipeScore(recipe: DecoderRecipe, logits: ArrayLike<number>): number {
  if (recipe.score === 'probability') return yesProbability(logits[0]!, logits[1]!);
  if (recipe.score === 'margin') return logits[0]! - logits[1]!;
  return logits[0]!;
}

/** Whether scores are calibrated 0..1 (probability) or raw logits. */
export const isCalibrated = (recipe: DecoderRecipe): boolean => recipe.score === 'probability';

const count = (s: string, needle: string) => s.split(needle).length - 1;

/** A user's recipe, checked field by field (INVALID_OPTION says which field and why). */
export function validateRecipe(v: unknown): DecoderRecipe {
  const bad = (why: string): never => {
    throw new RerankError('INVALID_OPTION', `recipe: ${why}`);
  };
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return bad('must be a preset name or a recipe object');
  const r = v as Record<string, unknown>;
  const strings = (k: string, min: number): string[] => {
    const a = r[k];
    if (!Array.isArray(a) || a.length < min || !a.every((s) => typeof s === 'string')) return bad(`'${k}' must be an array of strings (at least ${min})`);
    return a as string[];
  };
  const prefix = strings('prefix', 1);
  const suffix = strings('suffix', 0);
  const document = r.document;
  if (typeof document !== 'string' || !document.endsWith('{document}') || count(document, '{document}') !== 1) {
    return bad("'document' must be a string that ends with {document} and holds it once (text after the document goes in 'suffix')");
  }
  const joined = prefix.join('');
  if (count(joined, '{query}') !== 1) bad("'prefix' must hold {query} exactly once");
  if (joined.includes('{document}')) bad("{document} belongs in 'document', not in 'prefix'");
  if (suffix.some((s) => /\{(query|document|instruction)\}/.test(s))) bad("'suffix' is fixed text: no {query}, {document} or {instruction}");
  if (document.includes('{query}') || document.includes('{instruction}')) bad("'document' holds only {document}");
  const tokens = strings('tokens', 1);
  if (tokens.length > 2 || tokens.some((t) => t === '')) bad("'tokens' must be one or two non-empty token strings, e.g. ['yes', 'no']");
  const score = r.score ?? 'probability';
  if (score !== 'probability' && score !== 'margin' && score !== 'logit') return bad(`'score' must be 'probability', 'margin' or 'logit', got ${String(score)}`);
  if (score !== 'logit' && tokens.length !== 2) bad(`'score' '${score}' reads two tokens [positive, negative]`);
  const instructionFormat = r.instructionFormat ?? '{text}';
  if (typeof instructionFormat !== 'string') return bad("'instructionFormat' must be a string");
  const defaultInstruction = r.defaultInstruction ?? null;
  if (defaultInstruction !== null && typeof defaultInstruction !== 'string') return bad("'defaultInstruction' must be a string or null");
  const name = r.name ?? 'custom';
  if (typeof name !== 'string') return bad("'name' must be a string");
  return {
    name, prefix: [...prefix], document, suffix: [...suffix], instructionFormat, defaultInstruction, tokens: [...tokens], score,
    documentJoinsPrefix: r.documentJoinsPrefix === true,
  };
}

/** The `recipe` option, resolved: 'auto', a preset's name, or a validated recipe (INVALID_OPTION otherwise). */
export function resolveRecipe(v: unknown): RecipeName | DecoderRecipe | 'auto' {
  if (v === undefined || v === 'auto') return 'auto';
  if (typeof v === 'string') {
    if (v in RECIPES) return v as RecipeName;
    throw new RerankError('INVALID_OPTION', `unknown recipe '${v}'; expected 'auto', one of ${Object.keys(RECIPES).join(', ')}, or a recipe object`);
  }
  return validateRecipe(v);
}
