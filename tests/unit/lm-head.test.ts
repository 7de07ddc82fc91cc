// LM-head pruning (src/core/lm-head.ts) in onnxruntime-node: the rewritten graph's logits are the full head's columns
// of the kept tokens, for the head layouts the hub's decoder exports use (tied fp32 MatMul on the transposed
// embedding, untied MatMul, MatMulNBits q4, dynamic-int8 MatMulInteger) and a Gemm head with a bias.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { pruneLmHead } from '../../src/core/lm-head.ts';
import { scanModel, usesGroupQueryAttention } from '../../src/core/onnx-scan.ts';
import { buildQwen3, qwen3Weights } from '../../tools/models/qwen3.ts';
import { buildQwen3Gqa } from '../../tools/models/qwen3-gqa.ts';
import { DECODER_SPECS } from '../../tools/models/specs.ts';
import { DT, Graph } from '../../tools/models/onnx-graph.ts';
import type { Quant } from '../../tools/models/bert.ts';
import { encode, rerankerPrompt, step, maxAbsDiff } from './decoder-support.ts';

const spec = (name: string) => DECODER_SPECS.find((s) => s.name === name)!;
const TOKENS = [17, 3, 400, 3, 901]; // out of order, with a repeat: column j is token TOKENS[j]
const IDS = encode(Object.values(rerankerPrompt('cats and dogs', 'fish in water')).join('')).slice(-20);

async function logits(bytes: Uint8Array, kvHeads: number, headDim: number): Promise<{ data: Float32Array; V: number }> {
  const s = await ort.InferenceSession.create(bytes);
  const r = await step(s, [IDS], [IDS.map(() => 1)], [IDS.map((_, i) => i)], null, kvHeads, headDim);
  await s.release();
  return { data: r.logits, V: r.vocab };
}

const cases: [string, string, Quant, boolean][] = [
  // [model, label, dtype, expected in place]: tied fp32 shares the embedding (nothing to free: the edit appends).
  ['tiny-qwen3-gqa', 'tied fp32 MatMul(Transpose(embedding))', 'fp32', false],
  ['tiny-qwen3-gqa-untied', 'untied fp32 MatMul', 'fp32', true],
  ['tiny-qwen3-gqa', 'MatMulNBits q4', 'q4', true],
  ['tiny-qwen3-gqa', 'MatMulInteger int8', 'q8', true],
  ['tiny-qwen3', 'plain-op tied fp32', 'fp32', false],
  ['tiny-qwen3-untied', 'plain-op untied fp32', 'fp32', true],
];

describe('pruneLmHead on the generated decoders', () => {
  for (const [name, label, dtype, inPlace] of cases) {
    for (const mode of ['copy', 'in place'] as const) {
      it(`${name} ${label}, ${mode}: logits equal the full head's columns`, async () => {
        const sp = spec(name);
        const build = sp.kind === 'qwen3-gqa' ? buildQwen3Gqa : buildQwen3;
        const full = build(sp.shape, qwen3Weights(sp.shape, sp.seed), dtype);
        const before = new Uint8Array(full); // a copy (the generator returns a Buffer, whose slice() is a view)
        const r = pruneLmHead(full, TOKENS, { inPlace: mode === 'in place' });
        expect(r).toMatchObject({ pruned: true, tokens: TOKENS.length, reason: null, inPlace: mode === 'in place' && inPlace });
        // The copy mode leaves the caller's bytes alone (they may still be written to the cache).
        if (!r.inPlace) expect(Buffer.compare(Buffer.from(before), Buffer.from(full))).toBe(0);
        const a = await logits(before, sp.shape.kvHeads, sp.shape.headDim);
        const b = await logits(r.bytes, sp.shape.kvHeads, sp.shape.headDim);
        expect(b.V).toBe(TOKENS.length);
        const want = new Float32Array(IDS.length * TOKENS.length);
        for (let i = 0; i < IDS.length; i++) TOKENS.forEach((t, j) => (want[i * TOKENS.length + j] = a.data[i * a.V + t]!));
        const gap = maxAbsDiff(b.data, want);
        console.log(`[measured] ${name} ${dtype} pruned (${mode}) vs full head, max |dlogit| over ${IDS.length} positions = ${gap.toExponential(2)}`);
        // Same weights, same kernels per column: fp32 within 1e-6, the quantised heads exactly.
        expect(gap).toBeLessThanOrEqual(dtype === 'fp32' ? 1e-6 : 0);
      });
    }
  }

  it('a second rewrite of rewritten bytes is refused, not mis-sliced', () => {
    const sp = spec('tiny-qwen3-gqa');
    const once = pruneLmHead(buildQwen3Gqa(sp.shape, qwen3Weights(sp.shape, sp.seed), 'q4'), [1, 2], { inPlace: true });
    expect(pruneLmHead(once.bytes, [1, 2])).toMatchObject({ pruned: false, reason: 'the head was already rewritten' });
  });

  it('detects fused attention from the graph', () => {
    // Guards the engine's layout choice (GroupQueryAttention graphs run documents one per run after a past).
    const sp = spec('tiny-qwen3');
    expect(usesGroupQueryAttention(scanModel(buildQwen3Gqa(sp.shape, qwen3Weights(sp.shape, sp.seed), 'q4')))).toBe(true);
    expect(usesGroupQueryAttention(scanModel(buildQwen3(sp.shape, qwen3Weights(sp.shape, sp.seed), 'q4')))).toBe(false);
  });
});

describe('pruneLmHead on other head layouts', () => {
  // x [B, S, 8] -> Reshape [-1, 8] -> Gemm(transB, bias over the vocabulary) -> Reshape [B, S, -1]: a 2-D head.
  const H = 8;
  const V = 50;
  const gemmModel = (transB: 0 | 1, shapeLast: number) => {
    const g = new Graph();
    const x = g.input('x', DT.FLOAT, ['b', 's', H]);
    const w = Float32Array.from({ length: H * V }, (_, i) => Math.sin(i * 1.7));
    const bias = Float32Array.from({ length: V }, (_, i) => i / 10);
    const flat = g.one('Reshape', [x, g.i64('shape_in', [2], [-1, H])]);
    const y = g.one('Gemm', [flat, g.f32('W', transB ? [V, H] : [H, V], w), g.f32('C', [V], bias)], { transB });
    const s = g.one('Shape', [x]);
    void s;
    g.opTo('Reshape', [y, g.i64('shape_out', [3], [2, 3, shapeLast])], ['logits']);
    g.output('logits', DT.FLOAT, [2, 3, V]);
    return g.encode('gemm_head');
  };
  const run = async (bytes: Uint8Array) => {
    const s = await ort.InferenceSession.create(bytes);
    const x = Float32Array.from({ length: 2 * 3 * H }, (_, i) => Math.cos(i));
    const r = await s.run({ x: new ort.Tensor('float32', x, [2, 3, H]) });
    return r.logits!;
  };

  for (const transB of [0, 1] as const) {
    it(`Gemm transB=${transB} with a per-column bias: the kept columns equal the full head's`, async () => {
      const full = gemmModel(transB, -1);
      const r = pruneLmHead(full, [49, 0, 7]);
      expect(r.pruned).toBe(true);
      const a = await run(full);
      const b = await run(r.bytes);
      expect(b.dims).toEqual([2, 3, 3]);
      const want = Array.from({ length: 6 }, (_, i) => [49, 0, 7].map((t) => (a.data as Float32Array)[i * V + t]!)).flat();
      expect(maxAbsDiff(b.data as Float32Array, want)).toBeLessThanOrEqual(1e-6);
    });
  }

  it('a head it cannot rewrite runs in full, with the reason', () => {
    // The Reshape after the Gemm names the vocabulary size: slicing the head alone would break it.
    const r = pruneLmHead(gemmModel(1, V), [1, 2]);
    expect(r).toMatchObject({ pruned: false, reason: "a Reshape on the head's path names the vocabulary size", tokens: V });
    expect(pruneLmHead(gemmModel(1, -1), [V])).toMatchObject({ pruned: false, reason: `token ${V} is outside the head's ${V} columns` });
  });
});
