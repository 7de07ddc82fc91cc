// Decoder recipes (src/core/decoder-recipes.ts): each preset's prompt, character for character, against its source;
// the shared-prefix cut tokenizing as the model card's pieces do; the pick by model id; a user's recipe, validated.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fill, MXBAI_RERANK_V2, pickRecipe, QWEN3_RERANKER, recipePrompt, recipeScore, validateRecipe, YES_NO, type DecoderRecipe } from '../../src/core/decoder-recipes.ts';
import { isRerankError } from '../../src/errors.ts';
import { encode, tokenizer } from './decoder-support.ts';

describe('preset prompts, character for character', () => {
  it('qwen3-reranker is the model card prompt', () => {
    // Qwen/Qwen3-Reranker-0.6B model card: prefix + format_instruction(instruction, query, doc) + suffix, where
    // format_instruction = "<Instruct>: {instruction}\n<Query>: {query}\n<Document>: {doc}".
    const p = recipePrompt(QWEN3_RERANKER, 'what is bm25', 'BM25 ranks documents.', 'Find answers');
    expect(p.text).toBe(
      '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. ' +
        'Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n' +
        '<Instruct>: Find answers\n<Query>: what is bm25\n<Document>: BM25 ranks documents.' +
        '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
    );
    // The card tokenizes prefix, the instruction/query/document string, and suffix, each on its own.
    expect(p.card).toHaveLength(3);
    expect(recipePrompt(QWEN3_RERANKER, 'q', 'd').text).toContain('<Instruct>: Given a web search query, retrieve relevant passages that answer the query\n');
  });

  it('mxbai-rerank-v2 is the mxbai-rerank package\'s prompt (MxbaiRerankV2), with and without an instruction', () => {
    // mxbai_rerank/mxbai_rerank_v2.py: sep = "\n"; instruction_prompt = "instruction: {instruction}";
    // query_prompt = "query: {query}"; doc_prompt = "document: {document}"; task_prompt = "You are a search relevance
    // expert who evaluates how well documents match search queries. For each query-document pair, carefully analyze
    // the semantic relationship between them, then provide your binary relevance judgment (0 for not relevant, 1 for
    // relevant).\nRelevance:"; chat_template prefix "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You
    // are a helpful assistant.<|im_end|>\n<|im_start|>user\n", suffix "<|im_end|>\n<|im_start|>assistant\n";
    // concat_input_ids = prefix + [instruction_prompt + sep +] query_prompt + sep + doc_prompt + sep + task + suffix.
    const sep = '\n';
    const task = 'You are a search relevance expert who evaluates how well documents match search queries. For each query-document pair, carefully analyze the semantic relationship between them, then provide your binary relevance judgment (0 for not relevant, 1 for relevant).\nRelevance:';
    const head = '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n';
    const tail = '<|im_end|>\n<|im_start|>assistant\n';
    const q = "Who wrote 'To Kill a Mockingbird'?";
    const d = "'To Kill a Mockingbird' is a novel by Harper Lee published in 1960.";
    expect(recipePrompt(MXBAI_RERANK_V2, q, d).text).toBe(head + `query: ${q}` + sep + `document: ${d}` + sep + task + tail);
    expect(recipePrompt(MXBAI_RERANK_V2, q, d, 'Find the author').text).toBe(head + 'instruction: Find the author' + sep + `query: ${q}` + sep + `document: ${d}` + sep + task + tail);
    // Tokenized piece by piece, as the package does: prefix, query (with its instruction), sep | document, sep, task, suffix.
    expect(recipePrompt(MXBAI_RERANK_V2, q, d).card).toEqual([head, `query: ${q}`, sep, `document: ${d}`, sep, task, tail]);
    expect(MXBAI_RERANK_V2.tokens).toEqual(['1', '0']);
  });

  it('yes-no is what a ChatML chat template renders for its system and user messages', () => {
    // The generated tokenizer carries Qwen3's chat template, which renders plain ChatML without enable_thinking.
    const user = 'Query: cats\nDocument: dogs chase cats\nIs the document relevant to the query? Answer only yes or no.';
    const text = tokenizer().apply_chat_template(
      [{ role: 'system', content: 'You judge whether a document is relevant to a search query.' }, { role: 'user', content: user }],
      { tokenize: false, add_generation_prompt: true },
    );
    expect(recipePrompt(YES_NO, 'cats', 'dogs chase cats').text).toBe(text);
    expect(recipePrompt(YES_NO, 'cats', 'dogs', 'Find pets').text).toContain('user\nTask: Find pets\nQuery: cats\n');
  });
});

describe('shared-prefix cut', () => {
  const unit = fc.oneof(fc.constantFrom(' ', '\n', '\r', '?', '.', ':', '>', '[', '1', '0', 'é', '\u0301', 'cats', ' the', '<|im_end|>'), fc.string({ unit: 'grapheme' }));
  for (const recipe of [QWEN3_RERANKER, MXBAI_RERANK_V2, YES_NO]) {
    it(`${recipe.name}: prefix, document and suffix pieces tokenize as the model card's pieces, for any query and document (property)`, () => {
      // Guards the shared prefix: the cached prefix ids plus each document's ids must be the reference prompt's ids.
      fc.assert(fc.property(fc.string({ unit }), fc.string({ unit }), fc.option(fc.string({ unit }), { nil: undefined }), (q, d, instr) => {
        const p = recipePrompt(recipe, q, d, instr);
        const cut = [...p.prefix, p.document, ...p.suffix].flatMap(encode);
        expect(cut).toEqual(p.card.flatMap(encode));
      }), { numRuns: 150 });
    }, 60_000);
  }

  it('the read tokens are single tokens in the generated Qwen2-format vocabulary', () => {
    for (const r of [QWEN3_RERANKER, MXBAI_RERANK_V2, YES_NO]) for (const t of r.tokens) expect(encode(t), `${r.name} ${t}`).toHaveLength(1);
  });
});

describe('pickRecipe', () => {
  it('picks by model id under auto, and an explicit choice wins', () => {
    expect(pickRecipe('mixedbread-ai/mxbai-rerank-base-v2', 'auto')).toBe(MXBAI_RERANK_V2);
    expect(pickRecipe('someone/mxbai-rerank-large-v2-onnx', 'auto')).toBe(MXBAI_RERANK_V2);
    expect(pickRecipe('onnx-community/Qwen3-Reranker-0.6B-ONNX', 'auto')).toBe(QWEN3_RERANKER);
    // Any other decoder keeps the prompt every decoder used before recipes existed.
    expect(pickRecipe('rerank-web-test/tiny-qwen3', 'auto')).toBe(QWEN3_RERANKER);
    expect(pickRecipe('mixedbread-ai/mxbai-rerank-base-v2', 'yes-no')).toBe(YES_NO);
  });
});

describe('recipeScore', () => {
  it('probability is softmax over the two tokens, margin their difference, logit the first', () => {
    expect(recipeScore(MXBAI_RERANK_V2, [2, 0])).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(recipeScore({ ...YES_NO, score: 'margin' }, [2, 0.5])).toBe(1.5);
    expect(recipeScore({ ...YES_NO, score: 'logit', tokens: ['Yes'] }, [3.25])).toBe(3.25);
  });
});

describe('fill and validateRecipe', () => {
  it('fills in one pass: a query holding "{document}" stays as it is', () => {
    expect(fill('q: {query} d: {document}', { query: '{document}', document: 'x' })).toBe('q: {document} d: x');
    expect(fill('{unknown} {query}', { query: 'a' })).toBe('{unknown} a');
  });

  const good = { name: 'bge-gemma-like', prefix: ['A: {query}\nB:'], document: ' {document}', suffix: ['\nYes or no?'], tokens: ['Yes'], score: 'logit' };
  it('accepts a well-formed recipe and fills its defaults', () => {
    const r = validateRecipe(good);
    expect(r).toMatchObject({ name: 'bge-gemma-like', instructionFormat: '{text}', defaultInstruction: null, documentJoinsPrefix: false });
    expect(recipePrompt(r, 'q', 'd').text).toBe('A: q\nB: d\nYes or no?');
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['no {query}', { prefix: ['A:'] }, /\{query\} exactly once/],
    ['{query} twice', { prefix: ['{query}', '{query}'] }, /exactly once/],
    ['{document} in the prefix', { prefix: ['{query} {document}'] }, /belongs in 'document'/],
    ['text after the document', { document: ' {document}!' }, /ends with \{document\}/],
    ['three tokens', { tokens: ['a', 'b', 'c'] }, /one or two/],
    ['probability on one token', { tokens: ['Yes'], score: 'probability' }, /reads two tokens/],
    ['an unknown score', { score: 'max' }, /'score' must be/],
    ['a placeholder in the suffix', { suffix: ['{query}'] }, /fixed text/],
    ['prefix not an array', { prefix: 'A: {query}' }, /'prefix' must be an array/],
  ];
  for (const [why, patch, message] of cases) {
    it(`rejects ${why} with INVALID_OPTION`, () => {
      // Each field's rule: a recipe that would build a wrong prompt fails at createReranker, not mid-call.
      let err: unknown;
      try {
        validateRecipe({ ...good, ...patch } as DecoderRecipe);
      } catch (e) {
        err = e;
      }
      expect(isRerankError(err, 'INVALID_OPTION')).toBe(true);
      expect((err as Error).message).toMatch(message);
    });
  }
});
