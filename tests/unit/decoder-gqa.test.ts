// The fused-attention Qwen3 decoder (tools/models/qwen3-gqa.ts, com.microsoft.GroupQueryAttention as the hub's
// ports have it) in onnxruntime-node's CPU kernel: which batch layouts it gets right. The engine's layout for GQA
// graphs (docs/decoder-rerankers.md, "Fused attention") rests on these cases.
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildQwen3, qwen3Weights } from '../../tools/models/qwen3.ts';
import { buildQwen3Gqa } from '../../tools/models/qwen3-gqa.ts';
import { DECODER_SPECS } from '../../tools/models/specs.ts';
import { encode, lastLogits, maxAbsDiff, rerankerPrompt, row, step, tilePast } from './decoder-support.ts';

const QUERY = 'how do cats and dogs get along';
const DOCS = ['cats and dogs can live together in one house', 'the sun is a star', 'python is a programming language used for data science and machine learning'];

for (const dtype of ['fp32', 'q4'] as const) {
  describe(`tiny-qwen3-gqa ${dtype} (CPU kernel)`, () => {
    const spec = DECODER_SPECS.find((s) => s.name === 'tiny-qwen3-gqa')!;
    const { kvHeads, headDim } = spec.shape;
    let gqa: ort.InferenceSession;
    let plain: ort.InferenceSession;
    const parts = DOCS.map((d) => rerankerPrompt(QUERY, d));
    const prefix = encode(parts[0]!.prefix);
    const rests = parts.map((p) => encode(p.rest));
    beforeAll(async () => {
      const w = qwen3Weights(spec.shape, spec.seed);
      gqa = await ort.InferenceSession.create(buildQwen3Gqa(spec.shape, w, dtype));
      plain = await ort.InferenceSession.create(buildQwen3(spec.shape, w, dtype));
    });

    it('equals the plain-op twin (same weights) on full prompts, within 1e-5', async () => {
      // Guards the generator: fused attention with do_rotary and the cos/sin caches computes what rotary at
      // position_ids and explicit attention compute.
      for (const r of rests) {
        const gap = maxAbsDiff(await lastLogits(gqa, [...prefix, ...r], kvHeads, headDim), await lastLogits(plain, [...prefix, ...r], kvHeads, headDim));
        expect(gap).toBeLessThan(1e-5);
      }
    });

    it('a multi-token run after a past at batch 1 equals the full prompt (the engine\'s shared-prefix layout)', async () => {
      const pre = await step(gqa, [prefix], [prefix.map(() => 1)], [prefix.map((_, i) => i)], null, kvHeads, headDim);
      for (const r of rests) {
        const s = await step(gqa, [r], [[...prefix, ...r].map(() => 1)], [r.map((_, i) => prefix.length + i)], pre.present, kvHeads, headDim);
        expect(maxAbsDiff(row(s, 0, r.length - 1), await lastLogits(plain, [...prefix, ...r], kvHeads, headDim))).toBeLessThan(1e-5);
      }
    });

    it('refuses a batch of several multi-token rows after a past (why the engine runs them one by one)', async () => {
      const pre = await step(gqa, [prefix], [prefix.map(() => 1)], [prefix.map((_, i) => i)], null, kvHeads, headDim);
      const L = Math.max(...rests.map((r) => r.length));
      const ids = rests.map((r) => [...r, ...Array<number>(L - r.length).fill(0)]);
      const mask = rests.map((r) => [...prefix.map(() => 1), ...r.map(() => 1), ...Array<number>(L - r.length).fill(0)]);
      const pos = rests.map(() => Array.from({ length: L }, (_, i) => prefix.length + i));
      await expect(step(gqa, ids, mask, pos, tilePast(pre.present, rests.length), kvHeads, headDim)).rejects.toThrow(/batch_size must be 1 when sequence_length > 1 and past context is given/);
    });

    it('right-padded full prompts (no past) are exact; left padding is not', async () => {
      // Without a past the op reads each row's length from seqlens_k and numbers positions from 0: right padding
      // leaves real tokens where they belong. Left padding shifts them (positions count the pads).
      const fulls = rests.map((r) => [...prefix, ...r]);
      const F = Math.max(...fulls.map((r) => r.length));
      const pad = (r: number[], left: boolean) => { const p = Array<number>(F - r.length).fill(0); return left ? [...p, ...r] : [...r, ...p]; };
      const ones = (r: number[], left: boolean) => pad(r.map(() => 1), left);
      const pos = fulls.map(() => Array.from({ length: F }, (_, i) => i));
      const right = await step(gqa, fulls.map((r) => pad(r, false)), fulls.map((r) => ones(r, false)), pos, null, kvHeads, headDim);
      const left = await step(gqa, fulls.map((r) => pad(r, true)), fulls.map((r) => ones(r, true)), pos, null, kvHeads, headDim);
      let worstLeft = 0;
      for (const [k, r] of fulls.entries()) {
        const want = await lastLogits(plain, r, kvHeads, headDim);
        expect(maxAbsDiff(row(right, k, r.length - 1), want)).toBeLessThan(1e-5);
        worstLeft = Math.max(worstLeft, maxAbsDiff(row(left, k, F - 1), want));
      }
      console.log(`[measured] GQA ${dtype}: left-padded full prompts, max |dlogit| = ${worstLeft.toFixed(2)}`);
      expect(worstLeft).toBeGreaterThan(0.1);
    });
  });
}
