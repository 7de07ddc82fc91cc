// The reference the browser is compared with: onnxruntime-node on the same ONNX file, one pair per run (no padding),
// with pairs built by transformers.js's own pair encoding where the pair fits the window and by the documented
// [CLS] q [SEP] d[:room] [SEP] layout where it does not.
import { BertTokenizer, DebertaV2Tokenizer, PreTrainedTokenizer, XLMRobertaTokenizer } from '@huggingface/transformers';
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { sigmoid } from '../../src/core/scoring.ts';

export const MODELS_DIR = path.resolve(import.meta.dirname, '../../.models');

export function modelAvailable(model: string): boolean {
  return fs.existsSync(path.join(MODELS_DIR, model, 'config.json'));
}

export interface EncodedPairs { ids: number[][]; types: number[][] }

/** The pairs as the reference runs them: transformers.js's own pair encoding, or q + d[:room] when too long. */
export function encodePairs(model: string, query: string, docs: string[], maxLength = 512): EncodedPairs {
  const dir = path.join(MODELS_DIR, model);
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const config = read('tokenizer_config.json');
  const xlmr = config.tokenizer_class === 'XLMRobertaTokenizer';
  const classes: Record<string, typeof PreTrainedTokenizer> = { XLMRobertaTokenizer, DebertaV2Tokenizer, BertTokenizer };
  const Cls = classes[String(config.tokenizer_class).replace(/Fast$/, '')] ?? PreTrainedTokenizer;
  const tok = new Cls(read('tokenizer.json'), config);
  const [cls, sep] = [tok.encode('', { add_special_tokens: true })[0]!, tok.sep_token_id!];
  // Specials around the document: [SEP] d [SEP] for BERT, </s></s> d </s> for XLM-R.
  const mid = xlmr ? [sep, sep] : [sep];
  const q = tok.encode(query, { add_special_tokens: false });
  const out: EncodedPairs = { ids: [], types: [] };
  for (const doc of docs) {
    let ids: number[];
    let types: number[];
    const d = tok.encode(doc, { add_special_tokens: false });
    const specials = 2 + mid.length;
    if (q.length + d.length + specials <= maxLength && doc !== '') {
      const e = tok(query, { text_pair: doc });
      ids = Array.from(e.input_ids.data as BigInt64Array, Number);
      types = e.token_type_ids ? Array.from(e.token_type_ids.data as BigInt64Array, Number) : ids.map(() => 0);
    } else {
      const dk = d.slice(0, maxLength - specials - q.length);
      ids = [cls, ...q, ...mid, ...dk, sep];
      types = ids.map((_, i) => (xlmr || i < q.length + 2 ? 0 : 1));
    }
    out.ids.push(ids);
    out.types.push(types);
  }
  return out;
}

/** onnxruntime-node's logits for the pairs, one pair per run (no padding). */
export async function nodeLogits(file: string, pairs: EncodedPairs, options: ort.InferenceSession.SessionOptions = {}): Promise<number[]> {
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 2, ...options });
  const out: number[] = [];
  for (let k = 0; k < pairs.ids.length; k++) {
    const ids = pairs.ids[k]!;
    const t = (v: number[]) => new ort.Tensor('int64', BigInt64Array.from(v.map(BigInt)), [1, v.length]);
    const feeds: Record<string, ort.Tensor> = { input_ids: t(ids), attention_mask: t(ids.map(() => 1)) };
    if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = t(pairs.types[k]!);
    const r = await session.run(feeds);
    out.push((r[session.outputNames[0]!]!.data as Float32Array)[0]!);
  }
  await session.release();
  return out;
}

export async function referenceScores(model: string, file: string, query: string, docs: string[], maxLength = 512): Promise<number[]> {
  const logits = await nodeLogits(path.join(MODELS_DIR, model, file), encodePairs(model, query, docs, maxLength));
  return logits.map(sigmoid);
}
