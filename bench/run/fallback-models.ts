// The models the benchmark runs. scripts/gen-models.ts makes the MiniLM-L6 and TinyBERT-L2 shapes only where
// ../shared holds the bert-base-uncased tokenizer; in a fresh clone without it, the same shapes are generated here
// with the project's small tokenizer (speed does not depend on weights or on the vocabulary size).
import fs from 'node:fs';
import path from 'node:path';
import { BertTokenizer } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { buildBert, randomWeights, type BertShape, type Quant } from '../../tools/models/bert.ts';
import { MODEL_SPECS, TEST_MODEL_ORG } from '../../tools/models/specs.ts';
import { tinyTokenizerFiles, tinyVocab, WORDS } from '../../tools/models/tiny-tokenizer.ts';
import { MINILM, TINYBERT } from './configs.ts';

export const FALLBACK_ORG = 'rerank-web-bench';
const FILES: Record<Quant, string> = { fp32: 'model.onnx', q8: 'model_quantized.onnx', q4: 'model_q4.onnx' };
const STAMP = '1';

export interface ModelsInfo {
  org: string;
  note: string | null;
}

const complete = (dir: string) => ['config.json', 'tokenizer.json', ...Object.values(FILES).map((f) => `onnx/${f}`)].every((f) => fs.existsSync(path.join(dir, f)));

/** Scales the classifier so that logits over some pairs have std 2 around 0 (scores then spread over 0..1). */
async function calibrate(s: BertShape, weights: ReturnType<typeof randomWeights>, tok: Record<string, unknown>): Promise<void> {
  const tokenizer = new BertTokenizer(tok['tokenizer.json'] as object, tok['tokenizer_config.json'] as object);
  const session = await ort.InferenceSession.create(buildBert(s, weights, 'fp32'));
  const words = WORDS.split(/\s+/).filter(Boolean);
  const sentence = (n: number, k: number) => Array.from({ length: n }, (_, i) => words[(i * 7 + k * 13) % words.length]).join(' ');
  const logits: number[] = [];
  for (let k = 0; k < 24; k++) {
    const e = tokenizer(sentence(3 + (k % 7), k), { text_pair: sentence(20 + k * 5, k + 1) });
    const out = await session.run({ input_ids: e.input_ids.ort_tensor, attention_mask: e.attention_mask.ort_tensor, token_type_ids: e.token_type_ids!.ort_tensor });
    logits.push((Object.values(out)[0]!.data as Float32Array)[0]!);
  }
  await session.release();
  const mean = logits.reduce((a, b) => a + b, 0) / logits.length;
  const std = Math.sqrt(logits.reduce((a, b) => a + (b - mean) ** 2, 0) / logits.length) || 1;
  const k = 2 / std;
  const w = weights.get('cls.w')!;
  w.data = w.data.map((v) => v * k);
  weights.get('cls.b')!.data = Float32Array.from([-mean * k]);
}

export async function ensureModels(modelsRoot: string, log: (m: string) => void): Promise<ModelsInfo> {
  const names = [MINILM.name, TINYBERT.name];
  const have = names.every((n) => complete(path.join(modelsRoot, TEST_MODEL_ORG, n)));
  if (have && !process.env.BENCH_NO_SHARED) return { org: TEST_MODEL_ORG, note: null };
  const tok = tinyTokenizerFiles(tinyVocab());
  for (const name of names) {
    const dir = path.join(modelsRoot, FALLBACK_ORG, name);
    if (complete(dir) && fs.readFileSync(path.join(dir, '.bench-version'), 'utf8') === STAMP) continue;
    const spec = MODEL_SPECS.find((m) => m.name === name)!;
    const shape: BertShape = { ...spec.shape, vocabSize: tinyVocab().length };
    log(`generating ${name} (${shape.layers} layers, hidden ${shape.hidden}) with the small tokenizer into ${path.relative(process.cwd(), dir)}`);
    const weights = randomWeights(shape, spec.seed);
    await calibrate(shape, weights, tok);
    fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
    for (const [f, content] of Object.entries(tok)) fs.writeFileSync(path.join(dir, f), JSON.stringify(content));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({
      architectures: ['BertForSequenceClassification'], model_type: 'bert', vocab_size: shape.vocabSize, hidden_size: shape.hidden,
      num_hidden_layers: shape.layers, num_attention_heads: shape.heads, intermediate_size: shape.intermediate,
      max_position_embeddings: shape.maxPositions, type_vocab_size: 2, hidden_act: 'gelu', layer_norm_eps: 1e-12, pad_token_id: 0,
      id2label: { 0: 'LABEL_0' }, label2id: { LABEL_0: 0 },
    }, null, 2));
    for (const q of Object.keys(FILES) as Quant[]) fs.writeFileSync(path.join(dir, 'onnx', FILES[q]), buildBert(shape, weights, q));
    fs.writeFileSync(path.join(dir, '.bench-version'), STAMP);
  }
  return {
    org: FALLBACK_ORG,
    note: `the bert-base-uncased tokenizer (../shared/tokenizers) is absent, so the MiniLM-L6 and TinyBERT-L2 shapes run with the project's small tokenizer (${tinyVocab().length} tokens; compute per token is the same)`,
  };
}
