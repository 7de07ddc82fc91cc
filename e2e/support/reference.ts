// The reference the browser is compared with: onnxruntime-node on the same ONNX file, one pair per run (no padding),
// with pairs built by transformers.js's own pair encoding where the pair fits the window and by the documented
// [CLS] q [SEP] d[:room] [SEP] layout where it does not.
import { BertTokenizer } from '@huggingface/transformers';
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { sigmoid } from '../../src/core/scoring.ts';

export const MODELS_DIR = path.resolve(import.meta.dirname, '../../.models');

export function modelAvailable(model: string): boolean {
  return fs.existsSync(path.join(MODELS_DIR, model, 'config.json'));
}

export async function referenceScores(model: string, file: string, query: string, docs: string[], maxLength = 512): Promise<number[]> {
  const dir = path.join(MODELS_DIR, model);
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const tok = new BertTokenizer(read('tokenizer.json'), read('tokenizer_config.json'));
  const session = await ort.InferenceSession.create(path.join(dir, file), { intraOpNumThreads: 2 });
  const [cls, sep] = [tok.encode('', { add_special_tokens: true })[0]!, tok.sep_token_id!];
  const q = tok.encode(query, { add_special_tokens: false });
  const out: number[] = [];
  for (const doc of docs) {
    let ids: number[];
    let types: number[];
    const d = tok.encode(doc, { add_special_tokens: false });
    if (q.length + d.length + 3 <= maxLength && doc !== '') {
      const e = tok(query, { text_pair: doc });
      ids = Array.from(e.input_ids.data as BigInt64Array, Number);
      types = Array.from(e.token_type_ids!.data as BigInt64Array, Number);
    } else {
      const dk = d.slice(0, maxLength - 3 - q.length);
      ids = [cls, ...q, sep, ...dk, sep];
      types = ids.map((_, i) => (i < q.length + 2 ? 0 : 1));
    }
    const t = (v: number[]) => new ort.Tensor('int64', BigInt64Array.from(v.map(BigInt)), [1, v.length]);
    const r = await session.run({ input_ids: t(ids), attention_mask: t(ids.map(() => 1)), token_type_ids: t(types) });
    out.push(sigmoid((r.logits!.data as Float32Array)[0]!));
  }
  await session.release();
  return out;
}
