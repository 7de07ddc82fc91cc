// The reference for decoder rerankers: onnxruntime-node on the same ONNX file, one full prompt per run (no cache, no
// padding), the prompt tokenized as Qwen3-Reranker's model card does it: system part, then the instruction/query/
// document text as one piece (cut to fit), then the suffix.
import { PreTrainedTokenizer, Qwen2Tokenizer } from '@huggingface/transformers';
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { pointwisePrompt, yesProbability } from '../../src/core/decoder-prompt.ts';
import { recipePrompt, recipeScore, type DecoderRecipe } from '../../src/core/decoder-recipes.ts';
import { MODELS_DIR } from './reference.ts';

export function decoderTokenizer(model: string): PreTrainedTokenizer {
  const dir = path.join(MODELS_DIR, model);
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  return new Qwen2Tokenizer(read('tokenizer.json'), read('tokenizer_config.json'));
}

/** Full-prompt ids per document, as the model card builds them. */
export function fullPrompts(model: string, query: string, docs: string[], instruction?: string): number[][] {
  const tok = decoderTokenizer(model);
  const enc = (s: string) => tok.encode(s, { add_special_tokens: false });
  return docs.map((d) => {
    const p = pointwisePrompt(query, d, instruction);
    return [...enc(p.system), ...enc(p.query + p.document), ...enc(p.suffix)];
  });
}

/** P(yes) per prompt from onnxruntime-node, one prompt per run with an empty cache. */
export async function decoderReferenceScores(model: string, file: string, prompts: number[][]): Promise<number[]> {
  return (await referenceLogits(model, file, prompts, ['yes', 'no'])).map(([yes, no]) => yesProbability(yes!, no!));
}

/** A recipe's full prompts, each tokenized piece by piece as its model card does (recipePrompt's `card` pieces). */
export function recipePrompts(model: string, recipe: DecoderRecipe, query: string, docs: string[], instruction?: string | null): number[][] {
  const tok = decoderTokenizer(model);
  return docs.map((d) => recipePrompt(recipe, query, d, instruction).card.flatMap((piece) => tok.encode(piece, { add_special_tokens: false })));
}

/** A recipe's scores from onnxruntime-node on its full prompts, one per run with an empty cache. */
export async function recipeReferenceScores(model: string, file: string, recipe: DecoderRecipe, prompts: number[][]): Promise<number[]> {
  return (await referenceLogits(model, file, prompts, recipe.tokens)).map((l) => recipeScore(recipe, l));
}

/** The logits of `tokens` (each a single token) at each prompt's last position. */
async function referenceLogits(model: string, file: string, prompts: number[][], tokens: string[]): Promise<number[][]> {
  const dir = path.join(MODELS_DIR, model);
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  const tok = decoderTokenizer(model);
  const read = tokens.map((w) => tok.encode(w, { add_special_tokens: false })[0]!);
  const session = await ort.InferenceSession.create(path.join(dir, file), { intraOpNumThreads: 2 });
  const layers = session.inputNames.filter((n) => /^past_key_values\.\d+\.key$/.test(n)).length;
  const kvHeads = config.num_key_value_heads ?? config.num_attention_heads;
  const headDim = config.head_dim ?? config.hidden_size / config.num_attention_heads;
  const out: number[][] = [];
  for (const ids of prompts) {
    const T = ids.length;
    const t64 = (v: number[]) => new ort.Tensor('int64', BigInt64Array.from(v.map(BigInt)), [1, v.length]);
    const feeds: Record<string, ort.Tensor> = { input_ids: t64(ids), attention_mask: t64(ids.map(() => 1)) };
    if (session.inputNames.includes('position_ids')) feeds.position_ids = t64(ids.map((_, i) => i));
    for (let l = 0; l < layers; l++) {
      for (const kv of ['key', 'value']) feeds[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
    }
    const r = await session.run(feeds, ['logits']);
    const logits = r.logits!;
    const V = logits.dims.at(-1)!;
    const data = logits.data as Float32Array;
    out.push(read.map((t) => data[(T - 1) * V + t]!));
  }
  await session.release();
  return out;
}
