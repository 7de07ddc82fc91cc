// The generated decoder files in onnxruntime-web's WASM backend (run here in Node) against onnxruntime-node: a Node
// pre-check of what the Chromium parity tests measure, so that an operator the web build lacks shows up here first.
import fs from 'node:fs';
import path from 'node:path';
import * as web from 'onnxruntime-web';
import * as node from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encode, maxAbsDiff, rerankerPrompt } from './decoder-support.ts';

const ROOT = path.resolve(import.meta.dirname, '../../.models/rerank-web-test');
const present = fs.existsSync(path.join(ROOT, 'tiny-qwen3/onnx/model_q4.onnx')) && fs.existsSync(path.join(ROOT, 'decoder-oracle/onnx/model.onnx'));
if (!present) console.log(`[skip] decoder web parity: generated models absent under ${ROOT} (run npm run models)`);

type Ort = typeof node;
async function logits(ort: Ort, bytes: Uint8Array, ids: number[], layers: number, kvHeads: number, headDim: number): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(bytes);
  const t = (a: number[]) => new ort.Tensor('int64', BigInt64Array.from(a.map(BigInt)), [1, a.length]);
  const feeds: Record<string, InstanceType<Ort['Tensor']>> = { input_ids: t(ids), attention_mask: t(ids.map(() => 1)), position_ids: t(ids.map((_, i) => i)) };
  for (let l = 0; l < layers; l++) {
    for (const k of ['key', 'value']) feeds[`past_key_values.${l}.${k}`] = new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
  }
  const out = (await s.run(feeds)).logits!.data as Float32Array;
  await s.release();
  return out;
}

describe.runIf(present)('decoder files: onnxruntime-web WASM vs onnxruntime-node, full prompt, every position', () => {
  const ids = encode(Object.values(rerankerPrompt('how do cats and dogs get along', 'cats and dogs can live together in one house')).join(''));
  // Bounds: fp32 and q4 (float kernels) to float32 rounding; q8 is int8 with activations quantised at run time, where
  // the two builds' kernels differ (measured 2.8e-2 on this prompt); the oracle is integer arithmetic: exact.
  const cases = [['tiny-qwen3', 'model.onnx', 1e-4], ['tiny-qwen3', 'model_quantized.onnx', 0.06], ['tiny-qwen3', 'model_q4.onnx', 1e-4], ['decoder-oracle', 'model.onnx', 0]] as const;
  for (const [model, file, bound] of cases) {
    it(`${model}/${file} within ${bound}`, async () => {
      web.env.wasm.numThreads = 1;
      const bytes = fs.readFileSync(path.join(ROOT, model, 'onnx', file));
      const [layers, kvHeads, headDim] = model === 'decoder-oracle' ? [1, 1, 1] : [2, 2, 16];
      const gap = maxAbsDiff(await logits(web as unknown as Ort, bytes, ids, layers, kvHeads, headDim), await logits(node, bytes, ids, layers, kvHeads, headDim));
      console.log(`[measured] ${model}/${file}: onnxruntime-web WASM vs onnxruntime-node over ${ids.length} tokens, max |dlogit| = ${gap.toExponential(2)}`);
      expect(gap).toBeLessThanOrEqual(bound);
    });
  }
});
