// Helpers for the decoder tests: run a causal-LM ONNX graph (hub port layout) in onnxruntime-node, with or without a
// past, and build Qwen3-Reranker prompts through the generated tokenizer.
import * as ort from 'onnxruntime-node';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import { bpeTokenizerFiles, QWEN3_RERANKER_PROMPT as P } from '../../tools/models/bpe-tokenizer.ts';

export interface Kv { key: ort.Tensor; value: ort.Tensor }
export interface Step { logits: Float32Array; vocab: number; seq: number; present: Kv[] }

let tok: PreTrainedTokenizer | null = null;
export function tokenizer(): PreTrainedTokenizer {
  const f = bpeTokenizerFiles();
  return (tok ??= new PreTrainedTokenizer(f['tokenizer.json'] as object, f['tokenizer_config.json'] as object));
}

export const encode = (text: string): number[] => tokenizer().encode(text, { add_special_tokens: false });

/**
 * The Qwen3-Reranker prompt split where the shared prefix ends: [system + instruction + query + "\n<Document>:"] and
 * [" " + document + suffix]. Cut there, the two halves tokenize exactly as the whole prompt does whatever the query and
 * document (decoder-tokenizer.test.ts checks it): ">:" can never absorb the space that follows. A cut right after the
 * query is not safe: a query ending in punctuation or a space merges with the "\n" after it ("?\n" is one pre-token).
 */
export function rerankerPrompt(query: string, doc: string): { prefix: string; rest: string } {
  const user = P.user(P.instruction, query, doc);
  const cut = user.lastIndexOf('\n<Document>:') + '\n<Document>:'.length;
  return { prefix: P.prefix + user.slice(0, cut), rest: user.slice(cut) + P.suffix };
}

const i64 = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0]!.length]);

/** One run: ids, mask (past + current), position_ids; `past` empty means a first run (past length 0). */
export async function step(s: ort.InferenceSession, ids: number[][], mask: number[][], pos: number[][], past: Kv[] | null, kvHeads: number, headDim: number): Promise<Step> {
  const B = ids.length;
  const layers = s.inputNames.filter((n) => n.endsWith('.key')).length;
  const feeds: Record<string, ort.Tensor> = { input_ids: i64(ids), attention_mask: i64(mask), position_ids: i64(pos) };
  for (let l = 0; l < layers; l++) {
    const empty = () => new ort.Tensor('float32', new Float32Array(0), [B, kvHeads, 0, headDim]);
    feeds[`past_key_values.${l}.key`] = past?.[l]?.key ?? empty();
    feeds[`past_key_values.${l}.value`] = past?.[l]?.value ?? empty();
  }
  const out = await s.run(feeds);
  const logits = out.logits!;
  return {
    logits: logits.data as Float32Array, seq: logits.dims[1]!, vocab: logits.dims[2]!,
    present: Array.from({ length: layers }, (_, l) => ({ key: out[`present.${l}.key`]!, value: out[`present.${l}.value`]! })),
  };
}

/** Logits of batch row b at position i. */
export const row = (r: Step, b: number, i: number): Float32Array => r.logits.slice((b * r.seq + i) * r.vocab, (b * r.seq + i + 1) * r.vocab);

export const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

/** A single full-prompt run; logits at its last position. */
export async function lastLogits(s: ort.InferenceSession, ids: number[], kvHeads: number, headDim: number): Promise<Float32Array> {
  const r = await step(s, [ids], [ids.map(() => 1)], [ids.map((_, i) => i)], null, kvHeads, headDim);
  return row(r, 0, ids.length - 1);
}

/** Repeats a batch-1 past along the batch axis (the shared prefix for a batch of documents). */
export function tilePast(past: Kv[], B: number): Kv[] {
  const tile = (t: ort.Tensor) => {
    const d = t.data as Float32Array;
    const out = new Float32Array(d.length * B);
    for (let b = 0; b < B; b++) out.set(d, b * d.length);
    return new ort.Tensor('float32', out, [B, ...t.dims.slice(1)]);
  };
  return past.map((p) => ({ key: tile(p.key), value: tile(p.value) }));
}
