// The generated Qwen3-shaped decoder (tools/models/qwen3.ts) in onnxruntime-node: the KV cache, padding and
// quantised files behave as the runtime's shared-prefix and batching code will rely on.
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildQwen3, qwen3Weights } from '../../tools/models/qwen3.ts';
import { DECODER_SPECS } from '../../tools/models/specs.ts';
import { qwenSpecialIds } from '../../tools/models/decoders.ts';
import { qwen3Reference } from './qwen3-reference.ts';
import { encode, lastLogits, maxAbsDiff, rerankerPrompt, row, step, tilePast } from './decoder-support.ts';

const QUERY = 'how do cats and dogs get along';
const DOCS = ['cats and dogs can live together in one house', 'the sun is a star', 'python is a programming language used for data science and machine learning'];
const PAD = qwenSpecialIds().endOfText;

// The test-sized decoders (bench-qwen3 is for npm run bench:decoder: its float64 reference alone takes seconds).
for (const spec of DECODER_SPECS.filter((s) => s.kind === 'qwen3' && s.name.startsWith('tiny-'))) {
  const { kvHeads, headDim } = spec.shape;
  describe(`${spec.name} fp32`, () => {
    let s: ort.InferenceSession;
    beforeAll(async () => {
      s = await ort.InferenceSession.create(buildQwen3(spec.shape, qwen3Weights(spec.shape, spec.seed), 'fp32'));
    });

    it('has the hub port inputs and outputs', () => {
      const kv = Array.from({ length: spec.shape.layers }, (_, l) => [`.${l}.key`, `.${l}.value`]).flat();
      expect(s.inputNames).toEqual(['input_ids', 'attention_mask', 'position_ids', ...kv.map((k) => `past_key_values${k}`)]);
      expect(s.outputNames).toEqual([...kv.map((k) => `present${k}`), 'logits']);
    });

    it('equals a float64 Qwen3 forward pass written from the weights (within 1e-4, every position)', async () => {
      // Guards the architecture itself (q/k norm, rotary layout, GQA grouping, SwiGLU, tied head), which the
      // equality tests below cannot see: they compare the graph with itself.
      const ids = encode(Object.values(rerankerPrompt('cats and dogs', 'fish in water')).join('')).slice(-24);
      const r = await step(s, [ids], [ids.map(() => 1)], [ids.map((_, i) => i)], null, kvHeads, headDim);
      const ref = qwen3Reference(spec.shape, qwen3Weights(spec.shape, spec.seed), ids);
      const gap = Math.max(...ref.map((want, i) => maxAbsDiff(row(r, 0, i), want)));
      console.log(`[measured] ${spec.name} ONNX fp32 vs float64 reference over ${ids.length} positions, max |dlogit| = ${gap.toExponential(2)}`);
      expect(gap).toBeLessThan(1e-4);
    });

    it('prefix run -> present as past -> suffix run gives the full prompt\'s last logits (within 1e-5)', async () => {
      // Guards the shared-prefix plan: the query part runs once, each document continues from its KV cache.
      for (const doc of DOCS) {
        const { prefix, rest } = rerankerPrompt(QUERY, doc);
        const p = encode(prefix);
        const r = encode(rest);
        const full = await lastLogits(s, [...p, ...r], kvHeads, headDim);
        const first = await step(s, [p], [p.map(() => 1)], [p.map((_, i) => i)], null, kvHeads, headDim);
        expect(first.present[0]!.key.dims).toEqual([1, kvHeads, p.length, headDim]);
        const second = await step(s, [r], [[...p, ...r].map(() => 1)], [r.map((_, i) => p.length + i)], first.present, kvHeads, headDim);
        expect(second.present[0]!.value.dims).toEqual([1, kvHeads, p.length + r.length, headDim]);
        const gap = maxAbsDiff(row(second, 0, r.length - 1), full);
        console.log(`[measured] ${spec.name} prefix-cache vs full prompt, max |dlogit| = ${gap.toExponential(2)}`);
        expect(gap).toBeLessThan(1e-5);
      }
    });

    it('the document changes the last logits (the model is not degenerate)', async () => {
      const a = await lastLogits(s, encode(Object.values(rerankerPrompt(QUERY, DOCS[0]!)).join('')), kvHeads, headDim);
      const b = await lastLogits(s, encode(Object.values(rerankerPrompt(QUERY, DOCS[1]!)).join('')), kvHeads, headDim);
      expect(maxAbsDiff(a, b)).toBeGreaterThan(0.05);
    });

    const prompts = DOCS.slice(0, 2).map((d) => encode(Object.values(rerankerPrompt(QUERY, d)).join('')));
    for (const side of ['left', 'right'] as const) {
      it(`a batch of 2 with ${side} padding gives each prompt's single-run last logits (within 1e-5)`, async () => {
        // position_ids count real tokens only (0..len-1); pad positions get 0 and are masked out as keys.
        const T = Math.max(...prompts.map((p) => p.length));
        const padded = prompts.map((p) => (side === 'left' ? [...Array(T - p.length).fill(PAD), ...p] : [...p, ...Array(T - p.length).fill(PAD)]));
        const mask = prompts.map((p) => (side === 'left' ? [...Array(T - p.length).fill(0), ...p.map(() => 1)] : [...p.map(() => 1), ...Array(T - p.length).fill(0)]));
        const pos = prompts.map((p) => (side === 'left' ? [...Array(T - p.length).fill(0), ...p.map((_, i) => i)] : [...p.map((_, i) => i), ...Array(T - p.length).fill(0)]));
        const r = await step(s, padded, mask, pos, null, kvHeads, headDim);
        for (const [b, p] of prompts.entries()) {
          const gap = maxAbsDiff(row(r, b, side === 'left' ? T - 1 : p.length - 1), await lastLogits(s, p, kvHeads, headDim));
          console.log(`[measured] ${spec.name} ${side}-padded batch row ${b} vs single run, max |dlogit| = ${gap.toExponential(2)}`);
          expect(gap).toBeLessThan(1e-5);
        }
      });
    }

    for (const side of ['left', 'right'] as const) {
      it(`shared prefix + a batch of documents ${side}-padded after it gives the full prompts' last logits (within 1e-5)`, async () => {
        // The runtime's main path: past = prefix KV tiled over the batch; mask = [1 x prefix, document mask];
        // position_ids continue from the prefix length for real tokens.
        const { prefix } = rerankerPrompt(QUERY, '');
        const p = encode(prefix);
        const rests = DOCS.map((d) => encode(rerankerPrompt(QUERY, d).rest));
        const first = await step(s, [p], [p.map(() => 1)], [p.map((_, i) => i)], null, kvHeads, headDim);
        const S = Math.max(...rests.map((r) => r.length));
        const fill = (r: number[], v: number) => Array(S - r.length).fill(v);
        const ids = rests.map((r) => (side === 'left' ? [...fill(r, PAD), ...r] : [...r, ...fill(r, PAD)]));
        const mask = rests.map((r) => [...p.map(() => 1), ...(side === 'left' ? [...fill(r, 0), ...r.map(() => 1)] : [...r.map(() => 1), ...fill(r, 0)])]);
        const pos = rests.map((r) => { const real = r.map((_, i) => p.length + i); return side === 'left' ? [...fill(r, 0), ...real] : [...real, ...fill(r, 0)]; });
        const out = await step(s, ids, mask, pos, tilePast(first.present, rests.length), kvHeads, headDim);
        for (const [b, r] of rests.entries()) {
          const gap = maxAbsDiff(row(out, b, side === 'left' ? S - 1 : r.length - 1), await lastLogits(s, [...p, ...r], kvHeads, headDim));
          console.log(`[measured] ${spec.name} shared prefix + ${side}-padded batch row ${b} vs full prompt, max |dlogit| = ${gap.toExponential(2)}`);
          expect(gap).toBeLessThan(1e-5);
        }
      });
    }
  });
}

describe('tiny-qwen3 q8 and q4 against fp32 (full prompts)', () => {
  const spec = DECODER_SPECS.find((s) => s.name === 'tiny-qwen3')!;
  const { kvHeads, headDim } = spec.shape;
  const w = qwen3Weights(spec.shape, spec.seed);
  const yes = encode('yes')[0]!;
  const no = encode('no')[0]!;
  const ratio = (l: Float32Array) => l[yes]! - l[no]!; // the reranker's score is sigmoid(yes - no)

  // Bounds about twice the gaps measured on these prompts (yes-no margin: q8 0.25, q4 0.22; any logit: q8 0.30, q4
  // 2.24); the fp32 margins of the three documents are printed with the gaps.
  for (const [quant, bound] of [['q8', 0.5], ['q4', 0.5]] as const) {
    it(`${quant} runs, its last logits stay close to fp32 (bound ${bound} on the yes-no margin)`, async () => {
      const fp = await ort.InferenceSession.create(buildQwen3(spec.shape, w, 'fp32'));
      const q = await ort.InferenceSession.create(buildQwen3(spec.shape, w, quant));
      let maxLogit = 0;
      let maxMargin = 0;
      const margins: number[] = [];
      for (const doc of DOCS) {
        const ids = encode(Object.values(rerankerPrompt(QUERY, doc)).join(''));
        const [a, b] = [await lastLogits(fp, ids, kvHeads, headDim), await lastLogits(q, ids, kvHeads, headDim)];
        maxLogit = Math.max(maxLogit, maxAbsDiff(a, b));
        maxMargin = Math.max(maxMargin, Math.abs(ratio(a) - ratio(b)));
        margins.push(ratio(a));
      }
      console.log(`[measured] tiny-qwen3 ${quant} vs fp32 over ${DOCS.length} prompts: max |dlogit| = ${maxLogit.toFixed(4)}, max |d(yes-no)| = ${maxMargin.toFixed(4)}; fp32 yes-no margins ${margins.map((m) => m.toFixed(4)).join(', ')}`);
      expect(maxMargin).toBeLessThan(bound);
      expect(maxLogit).toBeGreaterThan(0); // the quantised graph really differs (it is not the fp32 file)
    });
  }
});
